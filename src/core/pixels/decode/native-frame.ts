// Cuts one frame out of native (uncompressed) PixelData as unsigned stored values (PS3.5 8.1, 8.2).
import type { PixelDescription } from '../types';
import { PixelError } from './pixel-error';

/** Stored values per frame: YBR_FULL_422 keeps two chroma samples per two pixels (PS3.3 C.7.6.3.1.2). */
export function valuesPerFrame(desc: PixelDescription): number {
  const pixels = desc.rows * desc.columns;
  if (desc.photometric === 'YBR_FULL_422') return desc.rows * Math.ceil(desc.columns / 2) * 4;
  return pixels * desc.samplesPerPixel;
}

/**
 * The stored values of frame `index`, as in the file (planar or interleaved), unsigned, in the
 * platform's number type. Big endian: 16- and 32-bit values are read big endian; 8- and 1-bit data
 * written as OW is byte-swapped per 16-bit word first (PS3.5 8.1.1). 1-bit frames follow one
 * another without padding, least significant bit first.
 */
export function nativeFrameValues(
  bytes: Uint8Array,
  desc: PixelDescription,
  index: number,
  littleEndian: boolean,
  vr: string,
): Uint8Array | Uint16Array | Uint32Array {
  const count = valuesPerFrame(desc);
  const bits = desc.bitsAllocated;
  const startBit = index * count * bits;
  const endByte = Math.ceil((startBit + count * bits) / 8);
  if (endByte > bytes.length) {
    throw new PixelError(
      'truncated-pixels',
      `PixelData (7FE0,0010) ends before frame ${index} is complete.`,
    );
  }
  let src = bytes;
  if (!littleEndian && bits <= 8 && vr === 'OW') {
    const from = Math.floor(startBit / 16) * 2;
    const to = Math.min(bytes.length, Math.ceil(endByte / 2) * 2);
    const swapped = new Uint8Array(to - from);
    for (let i = 0; i + 1 < swapped.length; i += 2) {
      swapped[i] = bytes[from + i + 1];
      swapped[i + 1] = bytes[from + i];
    }
    src = new Uint8Array(bytes.length);
    src.set(swapped, from);
  }
  const start = startBit >> 3;
  if (bits === 1) {
    const out = new Uint8Array(count);
    for (let i = 0, b = startBit; i < count; i++, b++) out[i] = (src[b >> 3] >> (b & 7)) & 1;
    return out;
  }
  if (bits === 8) return src.slice(start, start + count);
  const view = new DataView(src.buffer, src.byteOffset + start, count * (bits / 8));
  if (bits === 16) {
    const out = new Uint16Array(count);
    if (littleEndian && (src.byteOffset + start) % 2 === 0) {
      out.set(new Uint16Array(src.buffer, src.byteOffset + start, count));
    } else for (let i = 0; i < count; i++) out[i] = view.getUint16(i * 2, littleEndian);
    return out;
  }
  const out = new Uint32Array(count);
  for (let i = 0; i < count; i++) out[i] = view.getUint32(i * 4, littleEndian);
  return out;
}
