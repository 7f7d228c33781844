// Rules of the non-JPEG parts: describePixels, native frames (1-bit, big endian, signed), RLE,
// colour conversion, palette, encapsulated frame splitting and the 8-bit display views.
import { describe, expect, it } from 'vitest';
import { datasetFromEntries, textElement, uint16Element } from '../../dicom/element';
import type { DataElement, Dataset } from '../../dicom/types';
import { PIXEL_DATA } from '../../dicom/types';
import type { Frame, PixelDescription } from '../types';
import { applyPalette, convertYbrFullToRgb, expandYbr422 } from './colour';
import { decodeFrame } from './decode-frame';
import { describePixels } from './describe-pixels';
import { toGray8, toRgba8 } from './display';
import { frameCodestreams } from './frame-codestreams';
import { PixelError } from './pixel-error';
import { decodeRleFrame, unpackRleSegment } from './rle';

const ELE = '1.2.840.10008.1.2.1';
const EBE = '1.2.840.10008.1.2.2';
const RLE = '1.2.840.10008.1.2.5';

function image(
  attrs: {
    rows: number;
    cols: number;
    bits: number;
    stored?: number;
    pr?: number;
    spp?: number;
    photometric?: string;
    frames?: number;
    planar?: number;
    le?: boolean;
  },
  pixel: DataElement,
): Dataset {
  const le = attrs.le ?? true;
  const els: DataElement[] = [
    uint16Element(0x00280010, attrs.rows, le),
    uint16Element(0x00280011, attrs.cols, le),
    uint16Element(0x00280100, attrs.bits, le),
    uint16Element(0x00280101, attrs.stored ?? attrs.bits, le),
    uint16Element(0x00280102, (attrs.stored ?? attrs.bits) - 1, le),
    uint16Element(0x00280103, attrs.pr ?? 0, le),
    uint16Element(0x00280002, attrs.spp ?? 1, le),
    textElement(0x00280004, 'CS', attrs.photometric ?? 'MONOCHROME2'),
    pixel,
  ];
  if (attrs.frames) els.push(textElement(0x00280008, 'IS', String(attrs.frames)));
  if (attrs.planar !== undefined) els.push(uint16Element(0x00280006, attrs.planar, le));
  return datasetFromEntries(els);
}
const native = (bytes: number[] | Uint8Array, vr: 'OB' | 'OW' = 'OW'): DataElement => ({
  tag: PIXEL_DATA,
  vr,
  bytes: Uint8Array.from(bytes),
});

async function decodeAll(
  ds: Dataset,
  syntax = ELE,
): Promise<{ desc: PixelDescription; frames: Frame[] }> {
  const desc = describePixels(ds, syntax);
  const frames: Frame[] = [];
  for (let i = 0; i < desc.numberOfFrames; i++) frames.push(await decodeFrame(ds, desc, i, {}));
  return { desc, frames };
}

describe('describePixels', () => {
  it('no PixelData is no-pixels; an unknown syntax is unsupported-syntax', () => {
    expect(() => describePixels(datasetFromEntries([]), ELE)).toThrow(
      expect.objectContaining({ code: 'no-pixels' }),
    );
    const ds = image({ rows: 1, cols: 1, bits: 8 }, native([0, 0], 'OB'));
    expect(() => describePixels(ds, '1.2.3.4')).toThrow(
      expect.objectContaining({ code: 'unsupported-syntax' }),
    );
  });

  it('a bad pixel module names the tag, never the value', () => {
    const ds = image({ rows: 2, cols: 2, bits: 12 }, native([1, 2, 3, 4, 5, 6, 7, 8]));
    try {
      describePixels(ds, ELE);
      throw new Error('no error');
    } catch (e) {
      expect(e).toBeInstanceOf(PixelError);
      expect((e as PixelError).code).toBe('bad-pixel-module');
      expect((e as Error).message).toContain('(0028,0100)');
      expect((e as Error).message).not.toContain('12');
    }
  });

  it('NumberOfFrames that is not a number is taken from what native PixelData holds exactly', () => {
    const ds = image({ rows: 1, cols: 2, bits: 8 }, native([1, 2, 3, 4, 5, 6], 'OB'));
    ds.set(0x00280008, textElement(0x00280008, 'IS', '1A'));
    expect(describePixels(ds, ELE).numberOfFrames).toBe(3);
  });

  it('NumberOfFrames that is not a number is taken from the offset table of encapsulated data, or one fragment per frame', () => {
    const frame = new Uint8Array(8);
    const fragments = (bot: number[]) => ({
      tag: PIXEL_DATA,
      vr: 'OB' as const,
      fragments: [Uint8Array.from(bot), frame, frame],
    });
    const noTable = image({ rows: 1, cols: 2, bits: 8 }, fragments([]));
    noTable.set(0x00280008, textElement(0x00280008, 'IS', '1A'));
    expect(describePixels(noTable, RLE).numberOfFrames).toBe(2);
    const table = image({ rows: 1, cols: 2, bits: 8 }, fragments([0, 0, 0, 0]));
    table.set(0x00280008, textElement(0x00280008, 'IS', '1A'));
    expect(describePixels(table, RLE).numberOfFrames).toBe(1);
  });
});

describe('native frames', () => {
  it('signed 12 of 16 bits: the sign bit is bit 11 and bits above HighBit are ignored', async () => {
    // 0x0FFF = −1, 0x0800 = −2048, 0xF7FF (overlay bits set) = 2047.
    const { frames } = await decodeAll(
      image(
        { rows: 1, cols: 3, bits: 16, stored: 12, pr: 1 },
        native([0xff, 0x0f, 0x00, 0x08, 0xff, 0xf7]),
      ),
    );
    expect(Array.from(frames[0].data)).toEqual([-1, -2048, 2047]);
    expect(frames[0].signed).toBe(true);
  });

  it('1-bit frames follow one another without padding, least significant bit first', async () => {
    // 3 frames of 2×2 = 12 bits: frame 1 starts at bit 4 of byte 0.
    const { frames } = await decodeAll(
      image({ rows: 2, cols: 2, bits: 1, frames: 3 }, native([0b0110_1001, 0b0000_1111], 'OB')),
    );
    expect(frames.map((f) => Array.from(f.data))).toEqual([
      [1, 0, 0, 1],
      [0, 1, 1, 0],
      [1, 1, 1, 1],
    ]);
  });

  it('big endian: 16-bit values are read big endian; 8-bit data in OW is byte-swapped per word', async () => {
    const w = await decodeAll(
      image({ rows: 1, cols: 2, bits: 16, le: false }, native([0x01, 0x02, 0x03, 0x04])),
      EBE,
    );
    expect(Array.from(w.frames[0].data)).toEqual([0x0102, 0x0304]);
    const b = await decodeAll(
      image({ rows: 1, cols: 4, bits: 8, le: false }, native([1, 2, 3, 4], 'OW')),
      EBE,
    );
    expect(Array.from(b.frames[0].data)).toEqual([2, 1, 4, 3]);
    const ob = await decodeAll(
      image({ rows: 1, cols: 4, bits: 8, le: false }, native([1, 2, 3, 4], 'OB')),
      EBE,
    );
    expect(Array.from(ob.frames[0].data)).toEqual([1, 2, 3, 4]);
  });

  it('planar configuration 1 is interleaved to R1G1B1R2G2B2', async () => {
    const ds = image(
      { rows: 1, cols: 2, bits: 8, spp: 3, photometric: 'RGB', planar: 1 },
      native([1, 2, 3, 4, 5, 6], 'OB'),
    );
    expect(Array.from((await decodeAll(ds)).frames[0].data)).toEqual([1, 3, 5, 2, 4, 6]);
  });

  it('a frame past the end of PixelData is truncated-pixels', async () => {
    const ds = image({ rows: 2, cols: 2, bits: 16, frames: 2 }, native(new Uint8Array(12)));
    const desc = describePixels(ds, ELE);
    await expect(decodeFrame(ds, desc, 1, {})).rejects.toMatchObject({ code: 'truncated-pixels' });
  });
});

describe('colour', () => {
  it('YBR_FULL to RGB: grey stays grey; full-range equations (PS3.3 C.7.6.3.1.2)', () => {
    const d = Uint8Array.from([128, 128, 128, 76, 85, 255, 255, 128, 128]);
    convertYbrFullToRgb(d, 8);
    expect(Array.from(d.subarray(0, 3))).toEqual([128, 128, 128]);
    expect(Array.from(d.subarray(6, 9))).toEqual([255, 255, 255]);
    // Y 76, Cb 85, Cr 255 is pure red within rounding.
    expect(d[3]).toBeGreaterThanOrEqual(254);
    expect(d[4]).toBeLessThanOrEqual(1);
    expect(d[5]).toBeLessThanOrEqual(1);
  });

  it('YBR_FULL_422 uncompressed: Y1 Y2 Cb Cr share chroma over two pixels', () => {
    expect(Array.from(expandYbr422(Uint8Array.from([10, 20, 100, 200]), 2, 1))).toEqual([
      10, 100, 200, 20, 100, 200,
    ]);
  });

  it('PALETTE COLOR: index − first mapped value, clamped to the table, 16-bit entries to 8 bits', () => {
    const palette = {
      first: 10,
      red: Uint16Array.from([0, 65535]),
      green: Uint16Array.from([256, 512]),
      blue: Uint16Array.from([65535, 0]),
    };
    expect(Array.from(applyPalette(Uint8Array.from([5, 10, 11, 99]), palette))).toEqual([
      0, 1, 255, 0, 1, 255, 255, 2, 0, 255, 2, 0,
    ]);
  });

  it('PALETTE COLOR from the header: 8-bit tables are scaled, the frame becomes RGB', async () => {
    const ds = image(
      { rows: 1, cols: 2, bits: 8, photometric: 'PALETTE COLOR' },
      native([0, 1], 'OB'),
    );
    for (let c = 0; c < 3; c++) {
      ds.set(0x00281101 + c, uint16Element(0x00281101 + c, [2, 0, 8]));
      ds.set(0x00281201 + c, {
        tag: 0x00281201 + c,
        vr: 'OW',
        bytes: Uint8Array.from([c * 10, 0, 255, 0]),
      });
    }
    const { frames } = await decodeAll(ds);
    expect(frames[0].photometric).toBe('RGB');
    expect(Array.from(frames[0].data)).toEqual([0, 10, 20, 255, 255, 255]);
  });
});

describe('RLE (PS3.5 annex G)', () => {
  it('PackBits: n < 128 copies n+1 bytes, n > 128 repeats 257−n times, 128 is a no-op', () => {
    const out = new Uint8Array(7);
    unpackRleSegment(Uint8Array.from([1, 7, 8, 128, 0xfd, 9, 0, 5]), out);
    expect(Array.from(out)).toEqual([7, 8, 9, 9, 9, 9, 5]);
    expect(() => unpackRleSegment(Uint8Array.from([0, 1]), new Uint8Array(3))).toThrow(PixelError);
  });

  it('segments come per sample, most significant byte first', () => {
    // 16-bit RGB, 1 pixel: six segments R-hi R-lo G-hi G-lo B-hi B-lo.
    const header = new Uint8Array(64);
    const view = new DataView(header.buffer);
    view.setUint32(0, 6, true);
    const segs = [0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc].map((b) => [0, b]);
    let at = 64;
    segs.forEach((s, i) => {
      view.setUint32(4 + 4 * i, at, true);
      at += s.length;
    });
    const frame = Uint8Array.from([...header, ...segs.flat()]);
    expect(Array.from(decodeRleFrame(frame, 1, 1, 3, 16))).toEqual([0x1234, 0x5678, 0x9abc]);
    expect(() => decodeRleFrame(frame, 1, 1, 1, 16)).toThrow(
      expect.objectContaining({ code: 'bad-pixel-module' }),
    );
  });

  it('an RLE data set decodes through decodeFrame', async () => {
    const frame = Uint8Array.from([
      ...new Uint8Array(64).fill(0).map((_, i) => (i === 0 ? 1 : i === 4 ? 64 : 0)),
      0xfe,
      42,
    ]);
    const ds = image(
      { rows: 1, cols: 3, bits: 8 },
      { tag: PIXEL_DATA, vr: 'OB', fragments: [new Uint8Array(0), frame] },
    );
    expect(Array.from((await decodeAll(ds, RLE)).frames[0].data)).toEqual([42, 42, 42]);
  });
});

describe('frameCodestreams (PS3.5 A.4)', () => {
  const soi = (n: number) => Uint8Array.from([0xff, 0xd8, n, n]);
  const cont = (n: number) => Uint8Array.from([n, n, 0xff, 0xd9]);
  const el = (fragments: Uint8Array[]): DataElement => ({ tag: PIXEL_DATA, vr: 'OB', fragments });
  const bot = (...offsets: number[]) => {
    const b = new Uint8Array(offsets.length * 4);
    offsets.forEach((o, i) => new DataView(b.buffer).setUint32(i * 4, o, true));
    return b;
  };

  it('one frame takes every fragment', () => {
    expect(Array.from(frameCodestreams(el([new Uint8Array(0), soi(1), cont(1)]), 1)[0])).toEqual([
      0xff, 0xd8, 1, 1, 1, 1, 0xff, 0xd9,
    ]);
  });
  it('the Basic Offset Table groups fragments (offsets count item headers)', () => {
    const f = frameCodestreams(el([bot(0, 24), soi(1), cont(1), soi(2)]), 2);
    expect(f.map((x) => x.length)).toEqual([8, 4]);
  });
  it('the Extended Offset Table wins over an empty Basic Offset Table', () => {
    const f = frameCodestreams(el([new Uint8Array(0), soi(1), soi(2), cont(2)]), 2, {
      offsets: [0, 12],
    });
    expect(f.map((x) => x.length)).toEqual([4, 8]);
  });
  it('without offsets: one fragment per frame, or a new frame at each SOI', () => {
    expect(frameCodestreams(el([new Uint8Array(0), soi(1), soi(2)]), 2)).toHaveLength(2);
    const f = frameCodestreams(
      el([new Uint8Array(0), soi(1), cont(1), soi(2), cont(2), cont(2)]),
      2,
    );
    expect(f.map((x) => x.length)).toEqual([8, 12]);
    expect(() => frameCodestreams(el([new Uint8Array(0), soi(1)]), 2)).toThrow(
      expect.objectContaining({ code: 'truncated-pixels' }),
    );
  });
});

describe('8-bit views', () => {
  const desc = (over: Partial<PixelDescription> = {}): PixelDescription => ({
    rows: 1,
    columns: 4,
    samplesPerPixel: 1,
    bitsAllocated: 16,
    bitsStored: 16,
    highBit: 15,
    pixelRepresentation: 1,
    photometric: 'MONOCHROME2',
    planarConfiguration: 0,
    numberOfFrames: 1,
    transferSyntaxUID: ELE,
    ...over,
  });
  const mono = (
    data: number[],
    photometric: 'MONOCHROME1' | 'MONOCHROME2' = 'MONOCHROME2',
  ): Frame => ({
    width: data.length,
    height: 1,
    samplesPerPixel: 1,
    photometric,
    bitsStored: 16,
    signed: true,
    data: Int16Array.from(data),
  });

  it('without a window the frame min..max spans 0..255', () => {
    expect(Array.from(toGray8(mono([-100, 0, 100, 300]), desc()).data)).toEqual([0, 64, 128, 255]);
  });
  it('the VOI window follows the linear function of PS3.3 C.11.2.1.2.1, after rescale', () => {
    const d = desc({ rescaleSlope: 2, rescaleIntercept: -1000, windowCenter: 0, windowWidth: 200 });
    // Rescaled: −1000, 0, 100, 1000 → 0, 128, 255, 255.
    expect(Array.from(toGray8(mono([0, 500, 550, 1000]), d).data)).toEqual([0, 128, 255, 255]);
    // An explicit window beats the header's.
    expect(
      Array.from(toGray8(mono([0, 500, 550, 1000]), d, { center: 1000, width: 2 }).data),
    ).toEqual([0, 0, 0, 255]);
  });
  it('MONOCHROME1 is inverted: high values are dark', () => {
    expect(Array.from(toGray8(mono([0, 300], 'MONOCHROME1'), desc()).data)).toEqual([255, 0]);
  });
  it('RGB becomes luma for grey, and RGBA keeps colour with alpha 255', () => {
    const rgb: Frame = {
      width: 2,
      height: 1,
      samplesPerPixel: 3,
      photometric: 'RGB',
      bitsStored: 8,
      signed: false,
      data: Uint8Array.from([255, 0, 0, 255, 255, 255]),
    };
    expect(Array.from(toGray8(rgb, desc({ samplesPerPixel: 3 })).data)).toEqual([76, 255]);
    expect(Array.from(toRgba8(rgb, desc({ samplesPerPixel: 3 })).data)).toEqual([
      255, 0, 0, 255, 255, 255, 255, 255,
    ]);
    expect(toRgba8(mono([0, 1]), desc()).data.length).toBe(8);
  });
});
