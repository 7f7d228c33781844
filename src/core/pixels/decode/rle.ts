// DICOM RLE Lossless (PS3.5 annex G): a 64-byte header of segment offsets, then PackBits segments.
import { PixelError } from './pixel-error';

/** Decodes one PackBits segment into `out` (exactly out.length bytes; PS3.5 G.3.1). */
export function unpackRleSegment(src: Uint8Array, out: Uint8Array): void {
  let i = 0;
  let o = 0;
  while (o < out.length && i < src.length) {
    const n = src[i++];
    if (n < 128) {
      // Literal run: n + 1 bytes follow.
      const count = Math.min(n + 1, out.length - o, src.length - i);
      out.set(src.subarray(i, i + count), o);
      i += n + 1;
      o += count;
    } else if (n > 128) {
      // Replicate run: the next byte 257 − n times. (n = 128, i.e. −128, is a no-op.)
      const count = Math.min(257 - n, out.length - o);
      if (i >= src.length) break;
      out.fill(src[i++], o, o + count);
      o += count;
    }
  }
  if (o < out.length) {
    throw new PixelError(
      'truncated-pixels',
      'An RLE segment of PixelData (7FE0,0010) ends before the frame is complete.',
    );
  }
}

/**
 * One RLE frame to interleaved unsigned samples. Segments come per sample, most significant byte
 * first (PS3.5 G.2): segment s·B + b holds byte b (0 = most significant) of sample s.
 */
export function decodeRleFrame(
  frame: Uint8Array,
  rows: number,
  columns: number,
  samplesPerPixel: number,
  bitsAllocated: 8 | 16 | 32,
): Uint8Array | Uint16Array | Uint32Array {
  if (frame.length < 64)
    throw new PixelError('truncated-pixels', 'An RLE frame is shorter than its 64-byte header.');
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const segments = view.getUint32(0, true);
  const bytesPerSample = bitsAllocated / 8;
  if (segments !== samplesPerPixel * bytesPerSample || segments > 15) {
    throw new PixelError(
      'bad-pixel-module',
      'The RLE header segment count does not fit SamplesPerPixel (0028,0002) and BitsAllocated (0028,0100).',
    );
  }
  const offsets = Array.from({ length: segments }, (_, i) => view.getUint32(4 + 4 * i, true));
  const pixels = rows * columns;
  const out =
    bitsAllocated === 8
      ? new Uint8Array(pixels * samplesPerPixel)
      : bitsAllocated === 16
        ? new Uint16Array(pixels * samplesPerPixel)
        : new Uint32Array(pixels * samplesPerPixel);
  const plane = new Uint8Array(pixels);
  for (let seg = 0; seg < segments; seg++) {
    const start = offsets[seg];
    const end = seg + 1 < segments ? offsets[seg + 1] : frame.length;
    if (start < 64 || start > end || end > frame.length) {
      throw new PixelError('bad-pixel-module', 'An RLE segment offset points outside the frame.');
    }
    unpackRleSegment(frame.subarray(start, end), plane);
    const sample = Math.floor(seg / bytesPerSample);
    const weight = 2 ** (8 * (bytesPerSample - 1 - (seg % bytesPerSample)));
    for (let i = 0, o = sample; i < pixels; i++, o += samplesPerPixel) out[o] += plane[i] * weight;
  }
  return out;
}
