// Fills boxes in native (uncompressed) PixelData bytes, in place, in the layout and byte order they are stored in.
import { PixelError } from '../decode/pixel-error';
import type { PixelDescription } from '../types';
import type { Rect } from './boxes';
import type { Fill } from './fill';

/** Writes one stored value into a BitsAllocated-wide slot: stored bits at HighBit, two's complement. */
class ValueWriter {
  private readonly view: DataView;
  private readonly size: number;
  /** 8-bit data written as OW in big endian is byte-swapped per 16-bit word (PS3.5 8.1.1). */
  private readonly swap8: number;

  constructor(
    private readonly bytes: Uint8Array,
    desc: PixelDescription,
    private readonly littleEndian: boolean,
    vr: string,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.size = desc.bitsAllocated / 8;
    this.swap8 = !littleEndian && desc.bitsAllocated === 8 && vr === 'OW' ? 1 : 0;
  }

  /** The slot's bits for a stored value: two's complement in the allocated width, or shifted to HighBit. */
  static slotBits(value: number, desc: PixelDescription): number {
    const shift = desc.highBit + 1 - desc.bitsStored;
    const width = desc.bitsAllocated;
    if (shift > 0) {
      const mask = 2 ** desc.bitsStored - 1;
      return ((value & mask) * 2 ** shift) % 2 ** width;
    }
    return value < 0 ? value + 2 ** width : value;
  }

  write(index: number, bits: number): void {
    if (this.size === 1) this.bytes[index ^ this.swap8] = bits;
    else if (this.size === 2) this.view.setUint16(index * 2, bits, this.littleEndian);
    else this.view.setUint32(index * 4, bits, this.littleEndian);
  }
}

/** Values per frame as stored (YBR_FULL_422: four values per pair of pixels). */
function valuesPerFrame(desc: PixelDescription): number {
  if (desc.photometric === 'YBR_FULL_422') return desc.rows * Math.ceil(desc.columns / 2) * 4;
  return desc.rows * desc.columns * desc.samplesPerPixel;
}

/**
 * Fills `rects` of frame `frame` in `bytes` (a copy of the PixelData value, edited in place).
 * Handles BitsAllocated 1/8/16/32, either byte order, signed values, planar configuration 1 and
 * YBR_FULL_422 pairs (rects must be pair-aligned then: see planBoxes).
 */
export function fillNativeFrame(
  bytes: Uint8Array,
  desc: PixelDescription,
  littleEndian: boolean,
  vr: string,
  frame: number,
  rects: readonly Rect[],
  fill: Fill,
): void {
  const { rows, columns, samplesPerPixel: spp } = desc;
  const perFrame = valuesPerFrame(desc);
  const endBit = (frame + 1) * perFrame * desc.bitsAllocated;
  if (Math.ceil(endBit / 8) > bytes.length) {
    throw new PixelError(
      'truncated-pixels',
      `PixelData (7FE0,0010) ends before frame ${frame} is complete.`,
    );
  }
  if (desc.bitsAllocated === 1) {
    const bit = fill.samples[0] & 1;
    const base = frame * perFrame;
    for (const r of rects)
      for (let y = r.y0; y < r.y1; y++)
        for (let x = r.x0; x < r.x1; x++) {
          const b = base + y * columns + x;
          const byte = b >> 3;
          bytes[byte] = bit ? bytes[byte] | (1 << (b & 7)) : bytes[byte] & ~(1 << (b & 7));
        }
    return;
  }
  const writer = new ValueWriter(bytes, desc, littleEndian, vr);
  const slots = fill.samples.map((v) => ValueWriter.slotBits(v, desc));
  const base = frame * perFrame;
  if (desc.photometric === 'YBR_FULL_422') {
    const rowValues = Math.ceil(columns / 2) * 4;
    for (const r of rects)
      for (let y = r.y0; y < r.y1; y++)
        for (let x = r.x0; x < r.x1; x += 2) {
          const at = base + y * rowValues + (x >> 1) * 4;
          writer.write(at, slots[0]);
          writer.write(at + 1, slots[0]);
          writer.write(at + 2, slots[1]);
          writer.write(at + 3, slots[2]);
        }
    return;
  }
  const pixels = rows * columns;
  const planar = spp === 3 && desc.planarConfiguration === 1;
  for (const r of rects)
    for (let y = r.y0; y < r.y1; y++)
      for (let x = r.x0; x < r.x1; x++) {
        const p = y * columns + x;
        for (let s = 0; s < spp; s++) {
          writer.write(planar ? base + s * pixels + p : base + p * spp + s, slots[s]);
        }
      }
}
