// Tests for redaction of native pixel data built in code: fill values, byte-exact edits, layouts, byte orders, frames.
import { describe, expect, it } from 'vitest';
import { datasetFromEntries, getText, textElement, uint16Element } from '../../dicom/element';
import { readDicom } from '../../dicom/read';
import { writeDicomFile } from '../../dicom/write';
import type { DataElement, Dataset, VR } from '../../dicom/types';
import { PIXEL_DATA } from '../../dicom/types';
import { decodeFrame } from '../decode/decode-frame';
import { describePixels } from '../decode/describe-pixels';
import type { Box } from '../types';
import { redactPixels } from './redact-pixels';
import { encodeRleFrame } from './rle-encode';

const LE = '1.2.840.10008.1.2.1';
const BE = '1.2.840.10008.1.2.2';

interface Spec {
  rows: number;
  columns: number;
  spp?: 1 | 3;
  bits: 1 | 8 | 16 | 32;
  stored?: number;
  signed?: boolean;
  photometric?: string;
  planar?: 0 | 1;
  frames?: number;
  syntax?: string;
  vr?: VR;
}

function valuesPerFrame(s: Spec): number {
  if (s.photometric === 'YBR_FULL_422') return s.rows * Math.ceil(s.columns / 2) * 4;
  return s.rows * s.columns * (s.spp ?? 1);
}

/** A native image with pseudo-random pixel bytes in the spec's layout and byte order. */
function image(s: Spec): Dataset {
  const le = (s.syntax ?? LE) !== BE;
  const spp = s.spp ?? 1;
  const frames = s.frames ?? 1;
  const totalBits = valuesPerFrame(s) * s.bits * frames;
  const bytes = new Uint8Array(Math.ceil(totalBits / 8) + (Math.ceil(totalBits / 8) & 1));
  let x = 0x9e3779b9;
  for (let i = 0; i < bytes.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    bytes[i] = x & 0xff;
  }
  const elements: DataElement[] = [
    textElement(0x00080016, 'UI', '1.2.840.10008.5.1.4.1.1.7'),
    textElement(0x00080018, 'UI', '2.25.99'),
    uint16Element(0x00280002, spp, le),
    textElement(0x00280004, 'CS', s.photometric ?? (spp === 3 ? 'RGB' : 'MONOCHROME2')),
    uint16Element(0x00280010, s.rows, le),
    uint16Element(0x00280011, s.columns, le),
    uint16Element(0x00280100, s.bits, le),
    uint16Element(0x00280101, s.stored ?? s.bits, le),
    uint16Element(0x00280102, (s.stored ?? s.bits) - 1, le),
    uint16Element(0x00280103, s.signed ? 1 : 0, le),
    textElement(0x00280301, 'CS', 'YES'),
    { tag: PIXEL_DATA, vr: s.vr ?? (s.bits <= 8 ? 'OB' : 'OW'), bytes },
  ];
  if (spp === 3) elements.push(uint16Element(0x00280006, s.planar ?? 0, le));
  if (frames > 1) elements.push(textElement(0x00280008, 'IS', String(frames)));
  return datasetFromEntries(elements);
}

/** Byte offsets of one stored value, computed here independently of the code under test. */
function valueBytes(s: Spec, frame: number, x: number, y: number, sample: number): number[] {
  const size = s.bits / 8;
  const pixels = s.rows * s.columns;
  const spp = s.spp ?? 1;
  let index: number;
  if (s.photometric === 'YBR_FULL_422') {
    const pair = Math.floor(x / 2);
    const within = sample === 0 ? x % 2 : sample + 1;
    index = frame * valuesPerFrame(s) + y * Math.ceil(s.columns / 2) * 4 + pair * 4 + within;
  } else if (s.planar === 1) index = frame * pixels * 3 + sample * pixels + y * s.columns + x;
  else index = (frame * pixels + y * s.columns + x) * spp + sample;
  const swap = (s.syntax ?? LE) === BE && s.bits === 8 && s.vr === 'OW' ? 1 : 0;
  return Array.from({ length: size }, (_, k) => (index * size + k) ^ swap);
}

function readValue(s: Spec, bytes: Uint8Array, offsets: number[]): number {
  const le = (s.syntax ?? LE) !== BE || s.bits === 8;
  const ordered = le ? offsets : [...offsets].reverse();
  let v = 0;
  ordered.forEach((o, k) => (v += bytes[o] * 2 ** (8 * k)));
  return v;
}

function inBox(boxes: Box[], frame: number, x: number, y: number): boolean {
  return boxes.some(
    (b) =>
      (b.frame === undefined || b.frame === frame) &&
      x >= b.x &&
      x < b.x + b.w &&
      y >= b.y &&
      y < b.y + b.h,
  );
}

/**
 * Redacts and checks: every sample inside a box holds `fill` (the stored bits, two's complement
 * in BitsAllocated), every byte outside every box is the input's byte, and the input is untouched.
 */
async function check(s: Spec, boxes: Box[], fill: number[], boxesAsApplied = boxes) {
  const ds = image(s);
  const before = ds.get(PIXEL_DATA)!.bytes!.slice();
  const result = await redactPixels(
    { dataset: ds, transferSyntaxUID: s.syntax ?? LE },
    boxes,
    {},
    { reviewed: true },
  );
  const after = result.dataset.get(PIXEL_DATA)!.bytes!;
  expect(ds.get(PIXEL_DATA)!.bytes).toEqual(before);
  expect(after.length).toBe(before.length);
  const inside = new Set<number>();
  const spp = s.spp ?? 1;
  let pixels = 0;
  for (let f = 0; f < (s.frames ?? 1); f++)
    for (let y = 0; y < s.rows; y++)
      for (let x = 0; x < s.columns; x++) {
        if (!inBox(boxesAsApplied, f, x, y)) continue;
        pixels++;
        for (let k = 0; k < spp; k++) {
          const offsets = valueBytes(s, f, x, y, k);
          offsets.forEach((o) => inside.add(o));
          const width = 2 ** s.bits;
          expect(readValue(s, after, offsets)).toBe((fill[k] + width) % width);
        }
      }
  for (let i = 0; i < before.length; i++)
    if (!inside.has(i) && after[i] !== before[i]) {
      throw new Error(`byte ${i} outside every box changed`);
    }
  expect(result.pixelsChanged).toBe(pixels);
  expect(result.transferSyntaxUID).toBe(s.syntax ?? LE);
  return result;
}

describe('native redaction: fill values', () => {
  it('MONOCHROME2 8-bit unsigned: boxes hold 0, overlapping and clipped boxes, every other byte unchanged', async () => {
    const r = await check(
      { rows: 20, columns: 31, bits: 8 },
      [
        { x: 2, y: 3, w: 10, h: 4 },
        { x: 8, y: 5, w: 5, h: 5 },
        { x: 25, y: 15, w: 40, h: 40 },
      ],
      [0],
    );
    expect(r.log.boxes).toEqual([
      { x: 2, y: 3, w: 10, h: 4 },
      { x: 8, y: 5, w: 5, h: 5 },
      { x: 25, y: 15, w: 6, h: 5 },
    ]);
    expect(r.framesChanged).toBe(1);
  });

  it('MONOCHROME2 16-bit signed, BitsStored 12: boxes hold -2048', async () => {
    await check(
      { rows: 16, columns: 17, bits: 16, stored: 12, signed: true },
      [{ x: 1, y: 1, w: 5, h: 9 }],
      [-2048],
    );
  });

  it('MONOCHROME2 16-bit unsigned: boxes hold 0', async () => {
    await check({ rows: 16, columns: 17, bits: 16 }, [{ x: 0, y: 0, w: 17, h: 2 }], [0]);
  });

  it('MONOCHROME1: the darkest value is the maximum stored value (4095 unsigned 12-bit, 2047 signed)', async () => {
    await check(
      { rows: 9, columns: 9, bits: 16, stored: 12, photometric: 'MONOCHROME1' },
      [{ x: 2, y: 2, w: 3, h: 3 }],
      [4095],
    );
    await check(
      { rows: 9, columns: 9, bits: 16, stored: 12, signed: true, photometric: 'MONOCHROME1' },
      [{ x: 2, y: 2, w: 3, h: 3 }],
      [2047],
    );
    const r = await check(
      { rows: 4, columns: 4, bits: 8, photometric: 'MONOCHROME1' },
      [{ x: 0, y: 0, w: 2, h: 2 }],
      [255],
    );
    expect(r.log.fill).toContain('MONOCHROME1');
  });

  it('RGB interleaved and RGB planar (PlanarConfiguration 1): black in all three samples', async () => {
    await check(
      { rows: 12, columns: 13, bits: 8, spp: 3 },
      [{ x: 3, y: 4, w: 6, h: 5 }],
      [0, 0, 0],
    );
    await check(
      { rows: 12, columns: 13, bits: 8, spp: 3, planar: 1 },
      [{ x: 3, y: 4, w: 6, h: 5 }],
      [0, 0, 0],
    );
  });

  it('YBR_FULL: Y 0, Cb and Cr 128', async () => {
    await check(
      { rows: 6, columns: 7, bits: 8, spp: 3, photometric: 'YBR_FULL' },
      [{ x: 1, y: 1, w: 2, h: 2 }],
      [0, 128, 128],
    );
  });

  it('YBR_FULL_422: boxes widen to whole pixel pairs (Y Y Cb Cr), so no chroma outside a box changes', async () => {
    const r = await check(
      { rows: 6, columns: 9, bits: 8, spp: 3, photometric: 'YBR_FULL_422' },
      [{ x: 3, y: 1, w: 2, h: 2 }],
      [0, 128, 128],
      [{ x: 2, y: 1, w: 4, h: 2 }],
    );
    expect(r.log.boxes).toEqual([{ x: 2, y: 1, w: 4, h: 2 }]);
  });

  it('32-bit unsigned and signed', async () => {
    await check({ rows: 5, columns: 6, bits: 32 }, [{ x: 1, y: 1, w: 2, h: 3 }], [0]);
    await check(
      { rows: 5, columns: 6, bits: 32, signed: true },
      [{ x: 1, y: 1, w: 2, h: 3 }],
      [-(2 ** 31)],
    );
  });
});

describe('native redaction: byte order and multi-frame', () => {
  it('explicit VR big endian 16-bit signed: values written big endian', async () => {
    await check(
      { rows: 10, columns: 11, bits: 16, stored: 16, signed: true, syntax: BE },
      [{ x: 4, y: 4, w: 4, h: 4 }],
      [-32768],
    );
  });

  it('explicit VR big endian 8-bit data as OW: bytes swapped per 16-bit word', async () => {
    await check(
      { rows: 5, columns: 7, bits: 8, syntax: BE, vr: 'OW', photometric: 'MONOCHROME1' },
      [{ x: 1, y: 1, w: 3, h: 2 }],
      [255],
    );
  });

  it('multi-frame: a box with `frame` changes that frame only, a box without it every frame', async () => {
    const s: Spec = { rows: 8, columns: 9, bits: 16, frames: 4 };
    const boxes = [
      { x: 1, y: 1, w: 3, h: 3, frame: 2 },
      { x: 6, y: 6, w: 2, h: 2 },
      { x: 0, y: 0, w: 2, h: 2, frame: 9 },
    ];
    const r = await check(s, boxes, [0], boxes.slice(0, 2));
    expect(r.framesChanged).toBe(4);
    expect(r.pixelsChanged).toBe(9 + 4 * 4);
    expect(r.log.boxes).toEqual([
      { x: 1, y: 1, w: 3, h: 3, frame: 2 },
      { x: 6, y: 6, w: 2, h: 2 },
    ]);
    const only = await check(s, [{ x: 0, y: 0, w: 1, h: 1, frame: 3 }], [0]);
    expect(only.framesChanged).toBe(1);
  });

  it('1-bit data: the box bits are cleared (MONOCHROME2) and no other bit changes', async () => {
    const s: Spec = { rows: 5, columns: 13, bits: 1, frames: 2 };
    const ds = image(s);
    const before = ds.get(PIXEL_DATA)!.bytes!.slice();
    const r = await redactPixels(
      { dataset: ds, transferSyntaxUID: LE },
      [{ x: 2, y: 1, w: 4, h: 3, frame: 1 }],
      {},
      { reviewed: false },
    );
    const after = r.dataset.get(PIXEL_DATA)!.bytes!;
    for (let b = 0; b < before.length * 8; b++) {
      const f = Math.floor(b / 65);
      const p = b % 65;
      const [x, y] = [p % 13, Math.floor(p / 13)];
      const inside = f === 1 && x >= 2 && x < 6 && y >= 1 && y < 4;
      const bit = (after[b >> 3] >> (b & 7)) & 1;
      expect(bit).toBe(inside ? 0 : (before[b >> 3] >> (b & 7)) & 1);
    }
  });
});

describe('native redaction: decoded check, header, no-op cases', () => {
  it('decodeFrame of the output shows the fill inside the box and the input values outside', async () => {
    const s: Spec = { rows: 12, columns: 10, bits: 8, spp: 3, planar: 1 };
    const ds = image(s);
    const box = { x: 2, y: 3, w: 4, h: 5 };
    const r = await redactPixels(
      { dataset: ds, transferSyntaxUID: LE },
      [box],
      {},
      { reviewed: true },
    );
    const a = await decodeFrame(ds, describePixels(ds, LE), 0, {});
    const b = await decodeFrame(r.dataset, describePixels(r.dataset, LE), 0, {});
    for (let y = 0; y < 12; y++)
      for (let x = 0; x < 10; x++)
        for (let k = 0; k < 3; k++) {
          const i = (y * 10 + x) * 3 + k;
          expect(b.data[i]).toBe(inBox([box], 0, x, y) ? 0 : a.data[i]);
        }
  });

  it('BurnedInAnnotation becomes NO only when the image was reviewed and boxes were filled', async () => {
    const s: Spec = { rows: 4, columns: 4, bits: 8 };
    const reviewed = await redactPixels(
      { dataset: image(s), transferSyntaxUID: LE },
      [{ x: 0, y: 0, w: 1, h: 1 }],
      {},
      { reviewed: true },
    );
    expect(getText(reviewed.dataset, 0x00280301)).toBe('NO');
    const unreviewed = await redactPixels(
      { dataset: image(s), transferSyntaxUID: LE },
      [{ x: 0, y: 0, w: 1, h: 1 }],
      {},
      { reviewed: false },
    );
    expect(getText(unreviewed.dataset, 0x00280301)).toBe('YES');
    const none = await redactPixels(
      { dataset: image(s), transferSyntaxUID: LE },
      [],
      {},
      { reviewed: true },
    );
    expect(getText(none.dataset, 0x00280301)).toBe('YES');
  });

  it('zero boxes, or boxes entirely outside the image: the input comes back unchanged (changed false)', async () => {
    const ds = image({ rows: 4, columns: 4, bits: 8 });
    for (const boxes of [
      [],
      [{ x: 10, y: 10, w: 3, h: 3 }],
      [{ x: 0, y: 0, w: 0, h: 3 }],
      [{ x: 0, y: 0, w: 2, h: 2, frame: 1 }],
    ]) {
      const r = await redactPixels(
        { dataset: ds, transferSyntaxUID: LE },
        boxes,
        {},
        { reviewed: true },
      );
      expect(r.changed).toBe(false);
      expect(r.dataset).toBe(ds);
      expect(r.pixelsChanged).toBe(0);
    }
  });

  it('an image with no boxes is bit-identical when written; a redacted one differs only inside the box', async () => {
    const ds = image({ rows: 8, columns: 8, bits: 16 });
    const original = writeDicomFile({ dataset: ds, transferSyntaxUID: LE });
    const none = await redactPixels(
      { dataset: ds, transferSyntaxUID: LE },
      [],
      {},
      { reviewed: true },
    );
    expect(
      writeDicomFile({ dataset: none.dataset, transferSyntaxUID: none.transferSyntaxUID }),
    ).toEqual(original);
    const r = await redactPixels(
      { dataset: ds, transferSyntaxUID: LE },
      [{ x: 1, y: 1, w: 2, h: 2 }],
      {},
      { reviewed: false },
    );
    const written = writeDicomFile({ dataset: r.dataset, transferSyntaxUID: r.transferSyntaxUID });
    expect(written.length).toBe(original.length);
    const back = readDicom(written).dataset.get(PIXEL_DATA)!.bytes!;
    expect(back).toEqual(r.dataset.get(PIXEL_DATA)!.bytes);
  });

  it("the log keeps a box's source and reason, and nothing else it carries", async () => {
    const found = {
      x: 0,
      y: 0,
      w: 2,
      h: 2,
      source: 'ocr',
      reason: 'matches PatientName',
      text: 'DOE^JANE',
    };
    const r = await redactPixels(
      { dataset: image({ rows: 4, columns: 4, bits: 8 }), transferSyntaxUID: LE },
      [found],
      {},
      { reviewed: true },
    );
    expect(r.log.boxes).toStrictEqual([
      { x: 0, y: 0, w: 2, h: 2, source: 'ocr', reason: 'matches PatientName' },
    ]);
  });

  it('the log names geometry, counts and syntaxes, never a value', async () => {
    const r = await redactPixels(
      { dataset: image({ rows: 4, columns: 4, bits: 8 }), transferSyntaxUID: LE },
      [{ x: 0, y: 0, w: 2, h: 2 }],
      {},
      { reviewed: true },
    );
    expect(r.log).toEqual({
      boxes: [{ x: 0, y: 0, w: 2, h: 2 }],
      framesChanged: 1,
      pixelsChanged: 4,
      inputSyntax: LE,
      outputSyntax: LE,
      fill: 'minimum stored value 0',
    });
  });
});

describe('PALETTE COLOR', () => {
  /** A 6×5 palette image: 4 entries, entry 2 is the darkest (near black). */
  function paletteImage(rle: boolean): Dataset {
    const indices = Uint8Array.from({ length: 30 }, (_, i) => i % 4);
    const table = (values: number[]) => {
      const bytes = new Uint8Array(8);
      values.forEach((v, i) => new DataView(bytes.buffer).setUint16(i * 2, v, true));
      return bytes;
    };
    const pixelData: DataElement = rle
      ? {
          tag: PIXEL_DATA,
          vr: 'OB',
          fragments: [
            new Uint8Array(0),
            encodeRleFrame({
              rows: 5,
              columns: 6,
              samplesPerPixel: 1,
              bitsAllocated: 8,
              samples: indices,
            }),
          ],
        }
      : { tag: PIXEL_DATA, vr: 'OB', bytes: indices };
    return datasetFromEntries([
      uint16Element(0x00280002, 1),
      textElement(0x00280004, 'CS', 'PALETTE COLOR'),
      uint16Element(0x00280010, 5),
      uint16Element(0x00280011, 6),
      uint16Element(0x00280100, 8),
      uint16Element(0x00280101, 8),
      uint16Element(0x00280102, 7),
      uint16Element(0x00280103, 0),
      ...[0x00281101, 0x00281102, 0x00281103].map((t) => uint16Element(t, [4, 0, 16])),
      { tag: 0x00281201, vr: 'OW', bytes: table([65535, 30000, 300, 65535]) },
      { tag: 0x00281202, vr: 'OW', bytes: table([65535, 30000, 200, 0]) },
      { tag: 0x00281203, vr: 'OW', bytes: table([65535, 30000, 100, 0]) },
      pixelData,
    ]);
  }
  const box = { x: 1, y: 1, w: 3, h: 2 };

  it('native: boxes hold the darkest palette entry', async () => {
    const ds = paletteImage(false);
    const r = await redactPixels(
      { dataset: ds, transferSyntaxUID: LE },
      [box],
      {},
      { reviewed: true },
    );
    const after = r.dataset.get(PIXEL_DATA)!.bytes!;
    const before = ds.get(PIXEL_DATA)!.bytes!;
    for (let i = 0; i < 30; i++)
      expect(after[i]).toBe(inBox([box], 0, i % 6, Math.floor(i / 6)) ? 2 : before[i]);
    expect(r.log.fill).toBe('darkest palette entry 2');
  });

  it('compressed: re-encoded as RGB, black in the box, palette tables removed', async () => {
    const ds = paletteImage(true);
    const RLE = '1.2.840.10008.1.2.5';
    const r = await redactPixels(
      { dataset: ds, transferSyntaxUID: RLE },
      [box],
      {},
      { reviewed: true },
    );
    expect(r.transferSyntaxUID).toBe(RLE);
    expect(getText(r.dataset, 0x00280004)).toBe('RGB');
    expect([0x00281101, 0x00281201, 0x00281203].some((t) => r.dataset.has(t))).toBe(false);
    const was = await decodeFrame(ds, describePixels(ds, RLE), 0, {});
    const now = await decodeFrame(r.dataset, describePixels(r.dataset, RLE), 0, {});
    for (let p = 0; p < 30; p++)
      for (let k = 0; k < 3; k++)
        expect(now.data[p * 3 + k]).toBe(
          inBox([box], 0, p % 6, Math.floor(p / 6)) ? 0 : was.data[p * 3 + k],
        );
  });
});
