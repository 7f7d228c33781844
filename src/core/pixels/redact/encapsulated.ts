// Redacts compressed pixel data: decode every frame, fill its boxes, re-encode every frame as RLE Lossless.
import type { Dataset } from '../../dicom/types';
import { decodeFrame } from '../decode/decode-frame';
import type { CodecSet, Frame, PixelDescription } from '../types';
import type { Rect } from './boxes';
import { monochromeFill } from './fill';
import type { DecodedEncoding } from './header';
import { encodeRleFrame } from './rle-encode';

export interface ReencodedPixels {
  /** Basic Offset Table first, then one fragment per frame. */
  fragments: Uint8Array[];
  encoding: DecodedEncoding;
  fillDescription: string;
}

function bitsOf(data: Frame['data']): 8 | 16 | 32 {
  return (data.BYTES_PER_ELEMENT * 8) as 8 | 16 | 32;
}

/** BitsStored that holds every value of the frame (decoders may widen, e.g. 12-bit JPEG in 16). */
function bitsNeeded(frame: Frame): number {
  const width = bitsOf(frame.data);
  let bits = Math.min(Math.max(frame.bitsStored, 1), width);
  let min = 0;
  let max = 0;
  for (const v of frame.data) {
    if (v < min) min = v;
    else if (v > max) max = v;
  }
  const fits = (b: number) =>
    frame.signed ? min >= -(2 ** (b - 1)) && max <= 2 ** (b - 1) - 1 : max <= 2 ** b - 1;
  while (bits < width && !fits(bits)) bits++;
  return bits;
}

function fillFrame(frame: Frame, rects: readonly Rect[]): number[] {
  const spp = frame.samplesPerPixel;
  const fill =
    frame.photometric === 'RGB'
      ? [0, 0, 0]
      : [monochromeFill(frame.photometric, frame.bitsStored, frame.signed)];
  const data = frame.data;
  const columns = frame.width;
  for (const r of rects)
    for (let y = r.y0; y < r.y1; y++)
      for (let x = r.x0; x < r.x1; x++) {
        const p = (y * columns + x) * spp;
        for (let s = 0; s < spp; s++) data[p + s] = fill[s];
      }
  return fill;
}

function offsetTable(fragments: Uint8Array[]): Uint8Array {
  const table = new Uint8Array(4 * fragments.length);
  const view = new DataView(table.buffer);
  let offset = 0;
  fragments.forEach((f, i) => {
    view.setUint32(4 * i, offset, true);
    offset += 8 + f.length;
  });
  return table;
}

/**
 * Every frame decoded (stored values; colour as RGB), the boxes of its frame filled (black for
 * RGB, the darkest value for monochrome), and re-encoded as RLE Lossless, so frames without boxes
 * keep their decoded values exactly. Frames are decoded one at a time to bound memory.
 */
export async function reencodeRedacted(
  dataset: Dataset,
  desc: PixelDescription,
  rects: Map<number, Rect[]>,
  codecs: CodecSet,
): Promise<ReencodedPixels> {
  const frames: Uint8Array[] = [];
  let encoding: DecodedEncoding | undefined;
  let fillDescription = '';
  for (let f = 0; f < desc.numberOfFrames; f++) {
    const decoded = await decodeFrame(dataset, desc, f, codecs);
    const frameRects = rects.get(f);
    // The decoder may hand back a view of shared or input bytes: fill a copy.
    const frame: Frame = frameRects
      ? { ...decoded, data: decoded.data.slice() as Frame['data'] }
      : decoded;
    if (frameRects) {
      const fill = fillFrame(frame, frameRects);
      fillDescription =
        frame.photometric === 'RGB'
          ? 'black (RGB 0,0,0)'
          : `${frame.photometric === 'MONOCHROME1' ? 'maximum (darkest in MONOCHROME1)' : 'minimum'} stored value ${fill[0]}`;
    }
    const bitsAllocated = bitsOf(frame.data);
    const bitsStored = bitsNeeded(frame);
    if (!encoding) {
      encoding = {
        samplesPerPixel: frame.samplesPerPixel,
        photometric: frame.photometric,
        bitsAllocated,
        bitsStored,
        signed: frame.signed,
      };
    } else {
      encoding.bitsStored = Math.max(encoding.bitsStored, bitsStored);
    }
    frames.push(
      encodeRleFrame({
        rows: frame.height,
        columns: frame.width,
        samplesPerPixel: frame.samplesPerPixel,
        bitsAllocated,
        samples: frame.data,
      }),
    );
  }
  return {
    fragments: [offsetTable(frames), ...frames],
    encoding: encoding as DecodedEncoding,
    fillDescription,
  };
}
