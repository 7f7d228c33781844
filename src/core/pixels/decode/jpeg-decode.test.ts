// Rules of our JPEG decoder (ITU-T T.81): Huffman decoding, EXTEND, byte stuffing, the inverse DCT
// and zig-zag order, restart intervals, lossless predictors 1..7 and point transform, 12-bit DCT.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { readDicomFile } from '../../dicom/read';
import type { Frame } from '../types';
import { decodeFrame } from './decode-frame';
import { describePixels } from './describe-pixels';
import { inverseDct, ZIGZAG } from './jpeg-dct';
import { decodeJpeg } from './jpeg-decode';
import { BitReader, buildHuffmanTable } from './jpeg-huffman';
import { predictSample } from './jpeg-lossless';
import { PixelError } from './pixel-error';

const SAMPLES = fileURLToPath(new URL('../../../../test-data/dicom-samples/', import.meta.url));

// ---- a tiny JPEG writer for test streams, independent of the decoder ----

class BitWriter {
  readonly bytes: number[] = [];
  private acc = 0;
  private n = 0;
  write(value: number, length: number): void {
    for (let i = length - 1; i >= 0; i--) {
      this.acc = (this.acc << 1) | ((value >> i) & 1);
      if (++this.n === 8) {
        this.bytes.push(this.acc);
        if (this.acc === 0xff) this.bytes.push(0); // byte stuffing (T.81 F.1.2.3)
        this.acc = 0;
        this.n = 0;
      }
    }
  }
  /** Pads the last byte with 1-bits (T.81 F.1.2.3). */
  flush(): void {
    while (this.n !== 0) this.write(1, 1);
  }
  marker(m: number): void {
    this.flush();
    this.bytes.push(0xff, m);
  }
}

function segment(marker: number, body: number[]): number[] {
  return [0xff, marker, (body.length + 2) >> 8, (body.length + 2) & 0xff, ...body];
}

/** DC/lossless table: the 17 categories 0..16 as 5-bit codes equal to the category. */
const CATEGORY_TABLE = [
  0x00,
  0,
  0,
  0,
  0,
  17,
  ...Array(11).fill(0),
  ...Array.from({ length: 17 }, (_, i) => i),
];
/** AC table holding only EOB (code '0'). */
const EOB_TABLE = [0x10, 1, ...Array(15).fill(0), 0x00];

function category(diff: number): number {
  return diff === 0 ? 0 : Math.floor(Math.log2(Math.abs(diff))) + 1;
}
function writeDiff(w: BitWriter, diff: number): void {
  const s = diff === 32768 ? 16 : category(diff);
  w.write(s, 5);
  if (s > 0 && s < 16) w.write(diff > 0 ? diff : diff + (1 << s) - 1, s);
}

/** A baseline JPEG of flat 8×8 blocks (DC only), quantization 1, optional restart interval. */
function dcOnlyJpeg(blocks: number[][], restartInterval: number): Uint8Array {
  const rows = blocks.length * 8;
  const cols = blocks[0].length * 8;
  const w = new BitWriter();
  let pred = 0;
  let mcu = 0;
  for (const line of blocks) {
    for (const v of line) {
      if (restartInterval && mcu > 0 && mcu % restartInterval === 0) {
        w.marker(0xd0 + ((mcu / restartInterval - 1) & 7));
        pred = 0;
      }
      const dc = 8 * (v - 128);
      writeDiff(w, dc - pred);
      pred = dc;
      w.write(0, 1); // EOB
      mcu++;
    }
  }
  w.flush();
  return Uint8Array.from([
    0xff,
    0xd8,
    ...segment(0xdb, [0x00, ...Array(64).fill(1)]),
    ...segment(0xc0, [8, rows >> 8, rows & 0xff, cols >> 8, cols & 0xff, 1, 1, 0x11, 0]),
    ...segment(0xc4, CATEGORY_TABLE),
    ...segment(0xc4, EOB_TABLE),
    ...(restartInterval ? segment(0xdd, [restartInterval >> 8, restartInterval & 0xff]) : []),
    ...segment(0xda, [1, 1, 0x00, 0, 63, 0]),
    ...w.bytes,
    0xff,
    0xd9,
  ]);
}

/** A lossless JPEG (one component) with predictor k, following T.81 H.1.2.1 on the encoder side. */
function losslessJpeg(
  img: number[][],
  precision: number,
  k: number,
  restartInterval: number,
): Uint8Array {
  const rows = img.length;
  const cols = img[0].length;
  const w = new BitWriter();
  let intervalRow = 0;
  let first = true;
  let mcu = 0;
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < cols; x++, mcu++) {
      if (restartInterval && mcu > 0 && mcu % restartInterval === 0) {
        w.marker(0xd0 + ((mcu / restartInterval - 1) & 7));
        first = true;
      }
      let px: number;
      if (first) {
        px = 1 << (precision - 1);
        first = false;
        intervalRow = y;
      } else if (y === intervalRow) px = img[y][x - 1];
      else if (x === 0) px = img[y - 1][x];
      else px = predictSample(k, img[y][x - 1], img[y - 1][x], img[y - 1][x - 1]);
      let diff = (img[y][x] - px) & 0xffff;
      if (diff > 32768) diff -= 65536;
      writeDiff(w, diff);
    }
  }
  w.flush();
  return Uint8Array.from([
    0xff,
    0xd8,
    ...segment(0xc3, [precision, rows >> 8, rows & 0xff, cols >> 8, cols & 0xff, 1, 1, 0x11, 0]),
    ...segment(0xc4, CATEGORY_TABLE),
    ...(restartInterval ? segment(0xdd, [restartInterval >> 8, restartInterval & 0xff]) : []),
    ...segment(0xda, [1, 1, 0x00, k, 0, 0]),
    ...w.bytes,
    0xff,
    0xd9,
  ]);
}

/** A deterministic test image with edges and noise, values 0..2^precision−1. */
function testImage(rows: number, cols: number, precision: number): number[][] {
  let seed = 12345;
  const max = 2 ** precision - 1;
  return Array.from({ length: rows }, (_, y) =>
    Array.from({ length: cols }, (_, x) => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      const base = x < cols / 2 ? (y * 37 + x * 11) % (max + 1) : max - ((x * y) % (max + 1));
      return Math.min(max, Math.max(0, base + ((seed >>> 16) % 9) - 4));
    }),
  );
}

describe('Huffman decoding (T.81 C.2, F.2.2.3)', () => {
  it('assigns codes in order of length and decodes short codes and codes longer than the lookahead', () => {
    // Lengths: 2 codes of 2 bits (00, 01), 1 of 3 (100), 1 of 12 (101000000000).
    const counts = new Uint8Array(16);
    counts[1] = 2;
    counts[2] = 1;
    counts[11] = 1;
    const table = buildHuffmanTable(counts, Uint8Array.from([7, 8, 9, 10]));
    const w = new BitWriter();
    w.write(0b01, 2);
    w.write(0b100, 3);
    w.write(0b101000000000, 12);
    w.write(0b00, 2);
    w.flush();
    const r = new BitReader(Uint8Array.from(w.bytes), 0);
    expect([r.decode(table), r.decode(table), r.decode(table), r.decode(table)]).toEqual([
      8, 9, 10, 7,
    ]);
  });

  it('EXTEND turns magnitude bits into signed differences; category 16 is 32768 without bits', () => {
    const w = new BitWriter();
    w.write(0b011, 3); // category 3, bits 011 → −4
    w.write(0b110, 3); // → 6
    w.write(1, 1); // category 1, bit 1 → 1
    w.write(0, 1); // → −1
    w.flush();
    const r = new BitReader(Uint8Array.from(w.bytes), 0);
    expect([
      r.receiveExtend(3),
      r.receiveExtend(3),
      r.receiveExtend(1),
      r.receiveExtend(1),
    ]).toEqual([-4, 6, 1, -1]);
    expect(r.receiveExtend(16)).toBe(32768);
    expect(r.receiveExtend(0)).toBe(0);
  });

  it('byte stuffing: FF 00 in entropy-coded data is one FF byte, and a marker ends the data', () => {
    const r = new BitReader(Uint8Array.from([0xff, 0x00, 0x81, 0xff, 0xd9]), 0);
    expect(r.bits(8)).toBe(0xff);
    expect(r.bits(8)).toBe(0x81);
    expect(r.bits(8)).toBe(0); // zeros are fed once the marker is reached
    expect(r.endOfSegment()).toBe(3);
  });
});

describe('inverse DCT (T.81 A.3.3) and zig-zag order (figure A.6)', () => {
  it('a block with only a DC coefficient is flat at DC/8 + 2^(P−1)', () => {
    const coef = new Int32Array(64);
    coef[0] = 80;
    const out = new Uint16Array(64);
    inverseDct(coef, new Float64Array(64), out, 0, 8, 8);
    expect([...new Set(out)]).toEqual([138]);
    coef[0] = -8 * 2048; // 12-bit: clamps at 0
    inverseDct(coef, new Float64Array(64), out, 0, 8, 12);
    expect([...new Set(out)]).toEqual([0]);
  });

  it('zig-zag index 1 is the first horizontal frequency and 2 the first vertical one', () => {
    expect([ZIGZAG[1], ZIGZAG[2], ZIGZAG[3], ZIGZAG[63]]).toEqual([1, 8, 16, 63]);
    const coef = new Int32Array(64);
    coef[ZIGZAG[1]] = 200;
    const out = new Uint16Array(64);
    inverseDct(coef, new Float64Array(64), out, 0, 8, 8);
    // Constant down each column, decreasing left to right.
    for (let y = 1; y < 8; y++) expect(out.subarray(y * 8, y * 8 + 8)).toEqual(out.subarray(0, 8));
    expect(out[0]).toBeGreaterThan(out[7]);
  });
});

describe('restart intervals (T.81 E.2.4, F.2.1.3.1)', () => {
  const blocks = [
    [10, 200, 90],
    [255, 0, 128],
  ];
  for (const ri of [0, 1, 2, 4]) {
    it(`DCT: the DC prediction restarts at 0 after each RSTm (interval ${ri})`, () => {
      const img = decodeJpeg(dcOnlyJpeg(blocks, ri));
      expect([img.width, img.height]).toEqual([24, 16]);
      for (let by = 0; by < 2; by++) {
        for (let bx = 0; bx < 3; bx++)
          expect(img.data[by * 8 * 24 + bx * 8 + 3]).toBe(blocks[by][bx]);
      }
    });
  }

  for (const k of [1, 2, 3, 4, 5, 6, 7]) {
    it(`lossless predictor ${k}: each interval starts like a first line (2^(P−1), then Ra)`, () => {
      const img = testImage(6, 5, 12);
      for (const ri of [0, 5, 10]) {
        const out = decodeJpeg(losslessJpeg(img, 12, k, ri));
        expect(Array.from(out.data)).toEqual(img.flat());
      }
    });
  }
});

describe('lossless predictors (T.81 table H.1)', () => {
  it('predictor k computes Px from Ra, Rb, Rc', () => {
    const [ra, rb, rc] = [100, 40, 30];
    expect([1, 2, 3, 4, 5, 6, 7].map((k) => predictSample(k, ra, rb, rc))).toEqual([
      100, 40, 30, 110, 105, 75, 70,
    ]);
    expect(() => predictSample(0, 1, 2, 3)).toThrow(PixelError);
  });

  it('16-bit differences wrap modulo 2^16 (difference 32768 has category 16)', () => {
    const img = [
      [0, 65535, 0, 32768],
      [65535, 1, 40000, 2],
    ];
    expect(Array.from(decodeJpeg(losslessJpeg(img, 16, 1, 0)).data)).toEqual(img.flat());
  });
});

// ---- against dcmtk's encoder ----

const hasDcmtk = (() => {
  try {
    execFileSync('dcmcjpeg', ['--version'], { stdio: 'ignore' });
    execFileSync('dcmdjpeg', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!hasDcmtk)
  console.warn('Skipping dcmcjpeg-based JPEG tests: dcmtk (dcmcjpeg, dcmdjpeg) not found.');

describe.skipIf(!hasDcmtk)('streams written by dcmcjpeg', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cleanroom-jpeg-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function framesOf(path: string): Promise<Frame[]> {
    const file = await readDicomFile(new Uint8Array(readFileSync(path)));
    const desc = describePixels(file.dataset, file.syntax.transferSyntaxUID);
    const out: Frame[] = [];
    for (let i = 0; i < desc.numberOfFrames; i++)
      out.push(await decodeFrame(file.dataset, desc, i, {}));
    return out;
  }
  function encode(source: string, args: string[], name: string): string {
    const out = join(dir, name);
    execFileSync('dcmcjpeg', [...args, join(SAMPLES, source), out], { stdio: 'ignore' });
    return out;
  }

  for (const sv of [1, 2, 3, 4, 5, 6, 7]) {
    it(`lossless selection value ${sv} on signed 16-bit MR equals the original exactly`, async () => {
      const [ref] = await framesOf(join(SAMPLES, 'MR_small.dcm'));
      const [f] = await framesOf(
        encode('MR_small.dcm', ['+el', '+sv', String(sv)], `mr-sv${sv}.dcm`),
      );
      expect(f.signed).toBe(true);
      expect(Array.from(f.data)).toEqual(Array.from(ref.data));
    });
  }

  it('lossless point transform Pt = 2: values come back shifted left by Pt', async () => {
    const [ref] = await framesOf(join(SAMPLES, 'image_dfl.dcm'));
    const [f] = await framesOf(
      encode('image_dfl.dcm', ['+el', '+sv', '1', '+pt', '2'], 'dfl-pt2.dcm'),
    );
    expect(Array.from(f.data)).toEqual(Array.from(ref.data, (v) => v & ~3));
  });

  it('12-bit extended DCT (16-bit tables allowed, 2048 level shift) is within ±1 of dcmdjpeg', async () => {
    const jpeg = encode('MR_small.dcm', ['+ee', '+q', '95'], 'mr-ee.dcm');
    const ref = join(dir, 'mr-ee-dcmd.dcm');
    execFileSync('dcmdjpeg', [jpeg, ref], { stdio: 'ignore' });
    const [a] = await framesOf(jpeg);
    const [b] = await framesOf(ref);
    let max = 0;
    for (let i = 0; i < a.data.length; i++) max = Math.max(max, Math.abs(a.data[i] - b.data[i]));
    expect(max).toBeLessThanOrEqual(1);
    // The codestream really is 12-bit extended sequential (SOF1, P = 12).
    const bytes = readFileSync(jpeg);
    const sof = bytes.indexOf(Buffer.from([0xff, 0xc1]));
    expect(sof).toBeGreaterThan(0);
    expect(bytes[sof + 4]).toBe(12);
  });
});
