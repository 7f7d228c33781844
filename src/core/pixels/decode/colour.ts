// Colour models to RGB: planar to interleaved, YBR_FULL and YBR_FULL_422 to RGB, PALETTE COLOR lookup (PS3.3 C.7.6.3.1.2).
import type { PixelDescription } from '../types';
import { PixelError } from './pixel-error';

type Samples = Uint8Array | Uint16Array | Uint32Array;

/** R…G…B… (PlanarConfiguration 1) to R1G1B1R2… of the same type. */
export function interleavePlanes<T extends Samples>(planar: T, pixels: number): T {
  const out = new (planar.constructor as new (n: number) => T)(pixels * 3);
  for (let c = 0; c < 3; c++) {
    const base = c * pixels;
    for (let i = 0, o = c; i < pixels; i++, o += 3) out[o] = planar[base + i];
  }
  return out;
}

/**
 * YBR_FULL to RGB in place, full range (PS3.3 C.7.6.3.1.2; the same equations as JFIF):
 * R = Y + 1.402 Cr', G = Y − 0.344136 Cb' − 0.714136 Cr', B = Y + 1.772 Cb', with Cb' = Cb − 2^(bits−1).
 */
export function convertYbrFullToRgb(data: Samples, bits: number): void {
  const half = 1 << (bits - 1);
  const max = bits >= 32 ? 0xffffffff : 2 ** bits - 1;
  for (let i = 0; i + 2 < data.length; i += 3) {
    const y = data[i];
    const cb = data[i + 1] - half;
    const cr = data[i + 2] - half;
    const r = Math.round(y + 1.402 * cr);
    const g = Math.round(y - 0.344136 * cb - 0.714136 * cr);
    const b = Math.round(y + 1.772 * cb);
    data[i] = r < 0 ? 0 : r > max ? max : r;
    data[i + 1] = g < 0 ? 0 : g > max ? max : g;
    data[i + 2] = b < 0 ? 0 : b > max ? max : b;
  }
}

/**
 * Uncompressed YBR_FULL_422: each pair of pixels on a line is stored Y1 Y2 Cb Cr (PS3.3
 * C.7.6.3.1.2). Returns full YBR_FULL samples, interleaved, ready for convertYbrFullToRgb.
 */
export function expandYbr422(data: Samples, columns: number, rows: number): Samples {
  const out = new (data.constructor as new (n: number) => Samples)(columns * rows * 3);
  const pairs = Math.ceil(columns / 2);
  for (let y = 0; y < rows; y++) {
    for (let p = 0; p < pairs; p++) {
      const s = (y * pairs + p) * 4;
      const cb = data[s + 2];
      const cr = data[s + 3];
      for (let k = 0; k < 2; k++) {
        const x = 2 * p + k;
        if (x >= columns) break;
        const o = (y * columns + x) * 3;
        out[o] = data[s + k];
        out[o + 1] = cb;
        out[o + 2] = cr;
      }
    }
  }
  return out;
}

/**
 * PALETTE COLOR indices to 8-bit RGB through the description's lookup tables. Indices below the
 * first mapped value take the first entry, above the last take the last (PS3.3 C.7.6.3.1.5).
 */
export function applyPalette(
  indices: Uint8Array | Uint16Array | Int16Array,
  palette: NonNullable<PixelDescription['palette']>,
): Uint8Array {
  const { first, red, green, blue } = palette;
  const n = Math.min(red.length, green.length, blue.length);
  if (n === 0)
    throw new PixelError('bad-pixel-module', 'The palette colour lookup tables are empty.');
  const out = new Uint8Array(indices.length * 3);
  for (let i = 0; i < indices.length; i++) {
    let k = indices[i] - first;
    if (k < 0) k = 0;
    else if (k >= n) k = n - 1;
    out[3 * i] = red[k] >> 8;
    out[3 * i + 1] = green[k] >> 8;
    out[3 * i + 2] = blue[k] >> 8;
  }
  return out;
}
