// The fill value of a redaction: black, in the stored values of the image's photometric interpretation.
import { PixelError } from '../decode/pixel-error';
import type { PixelDescription } from '../types';

export interface Fill {
  /** One stored value per sample (as the samples are stored: Y Cb Cr for YBR, an index for PALETTE COLOR). */
  samples: number[];
  /** For the log: what was written, in words. */
  description: string;
}

/**
 * The darkest value a monochrome image can store. MONOCHROME2 shows its minimum as black; for
 * MONOCHROME1 the minimum is white (PS3.3 C.7.6.3.1.2), so its darkest value is the maximum:
 * filling a MONOCHROME1 box with the minimum would paint a white box, which looks like text
 * background rather than a redaction and is the wrong "minimum" on screen.
 */
export function monochromeFill(photometric: string, bitsStored: number, signed: boolean): number {
  const min = signed ? -(2 ** (bitsStored - 1)) : 0;
  const max = signed ? 2 ** (bitsStored - 1) - 1 : 2 ** bitsStored - 1;
  return photometric === 'MONOCHROME1' ? max : min;
}

function darkestPaletteIndex(palette: NonNullable<PixelDescription['palette']>): number {
  let best = 0;
  let bestLuma = Infinity;
  for (let i = 0; i < palette.red.length; i++) {
    const luma = 299 * palette.red[i] + 587 * palette.green[i] + 114 * palette.blue[i];
    if (luma < bestLuma) {
      bestLuma = luma;
      best = i;
    }
  }
  return palette.first + best;
}

/** The fill of native stored pixels described by `desc`. */
export function storedFill(desc: PixelDescription): Fill {
  const bits = desc.bitsStored;
  const mid = 2 ** (bits - 1);
  switch (desc.photometric) {
    case 'MONOCHROME1':
    case 'MONOCHROME2': {
      const v = monochromeFill(desc.photometric, bits, desc.pixelRepresentation === 1);
      const what =
        desc.photometric === 'MONOCHROME1' ? 'maximum (darkest in MONOCHROME1)' : 'minimum';
      return { samples: [v], description: `${what} stored value ${v}` };
    }
    case 'RGB':
      return { samples: [0, 0, 0], description: 'black (RGB 0,0,0)' };
    case 'YBR_FULL':
    case 'YBR_FULL_422':
      return { samples: [0, mid, mid], description: `black (YCbCr 0,${mid},${mid})` };
    case 'YBR_PARTIAL_422':
    case 'YBR_PARTIAL_420': {
      const y = 16 * 2 ** (bits - 8);
      return { samples: [y, mid, mid], description: `black (YCbCr ${y},${mid},${mid})` };
    }
    case 'PALETTE COLOR': {
      if (!desc.palette) break;
      const index = darkestPaletteIndex(desc.palette);
      return { samples: [index], description: `darkest palette entry ${index}` };
    }
  }
  throw new PixelError(
    'bad-pixel-module',
    'PhotometricInterpretation (0028,0004) is not one redaction can fill.',
  );
}
