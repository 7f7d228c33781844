// Tests for the RLE Lossless encoder: round trips through our decoder and through DCMTK's dcmdrle.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { datasetFromEntries, textElement, uint16Element } from '../../dicom/element';
import { readDicom } from '../../dicom/read';
import { writeDicomFile } from '../../dicom/write';
import { PIXEL_DATA } from '../../dicom/types';
import { decodeRleFrame } from './rle-decode';
import { encodeRleFrame, type RleFrameInput } from './rle-encode';

type Bits = 8 | 16 | 32;

/** Samples with runs and noise, so both replicate and literal runs occur. */
function makeSamples(rows: number, columns: number, spp: 1 | 3, bits: Bits, seed: number) {
  const n = rows * columns * spp;
  const out =
    bits === 8 ? new Uint8Array(n) : bits === 16 ? new Uint16Array(n) : new Uint32Array(n);
  let x = seed >>> 0 || 1;
  const max = bits === 32 ? 0xffffffff : 2 ** bits - 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    const region = Math.floor(i / (spp * 37)) % 3;
    out[i] = region === 0 ? 0 : region === 1 ? max - (i % 5 === 0 ? 1 : 0) : x % (max + 1);
  }
  return out;
}

const SHAPES: [number, number, 1 | 3, Bits][] = [];
for (const bits of [8, 16, 32] as Bits[])
  for (const spp of [1, 3] as const)
    for (const [rows, columns] of [
      [1, 1],
      [5, 7],
      [3, 129],
      [4, 301],
      [17, 33],
    ])
      SHAPES.push([rows, columns, spp, bits]);

function frame(rows: number, columns: number, spp: 1 | 3, bits: Bits, seed = 7): RleFrameInput {
  return {
    rows,
    columns,
    samplesPerPixel: spp,
    bitsAllocated: bits,
    samples: makeSamples(rows, columns, spp, bits, seed),
  };
}

describe('RLE encoder (PS3.5 Annex G) round-trips through our decoder', () => {
  it.each(SHAPES)('%i×%i, %i sample(s), %i bits', (rows, columns, spp, bits) => {
    const input = frame(rows, columns, spp, bits);
    const encoded = encodeRleFrame(input);
    expect(encoded.length % 2).toBe(0);
    const view = new DataView(encoded.buffer);
    expect(view.getUint32(0, true)).toBe(spp * (bits / 8));
    expect(view.getUint32(4, true)).toBe(64);
    expect(Array.from(decodeRleFrame(encoded, input))).toEqual(Array.from(input.samples));
  });

  it("signed samples are encoded as their two's complement bits", () => {
    const samples = Int16Array.from([-1, -32768, 32767, 0, -2, 5]);
    const encoded = encodeRleFrame({
      rows: 2,
      columns: 3,
      samplesPerPixel: 1,
      bitsAllocated: 16,
      samples,
    });
    const back = decodeRleFrame(encoded, {
      rows: 2,
      columns: 3,
      samplesPerPixel: 1,
      bitsAllocated: 16,
    });
    expect(Array.from(new Int16Array(back.buffer))).toEqual(Array.from(samples));
  });

  it('runs never cross a row boundary and replicate runs stop at 128 bytes', () => {
    // 3 rows of 200 equal bytes: per row a 128-byte run and a 72-byte run, 2 bytes each.
    const encoded = encodeRleFrame({
      rows: 3,
      columns: 200,
      samplesPerPixel: 1,
      bitsAllocated: 8,
      samples: new Uint8Array(600).fill(9),
    });
    expect(encoded.length).toBe(64 + 12);
    expect(Array.from(encoded.subarray(64, 68))).toEqual([257 - 128, 9, 257 - 72, 9]);
  });

  it('any frame round-trips (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 300 }),
        fc.constantFrom<1 | 3>(1, 3),
        fc.constantFrom<Bits>(8, 16, 32),
        fc.integer(),
        (rows, columns, spp, bits, seed) => {
          const input = frame(rows, columns, spp, bits, seed);
          const back = decodeRleFrame(encodeRleFrame(input), input);
          expect(Array.from(back)).toEqual(Array.from(input.samples));
        },
      ),
      { numRuns: 60 },
    );
  });
});

/** Native little-endian bytes of interleaved samples, as a decompressed PixelData holds them. */
function nativeBytes(samples: ArrayLike<number>, bits: Bits): Uint8Array {
  const size = bits / 8;
  const out = new Uint8Array(samples.length * size);
  const view = new DataView(out.buffer);
  for (let i = 0; i < samples.length; i++) {
    if (size === 1) out[i] = samples[i];
    else if (size === 2) view.setUint16(i * 2, samples[i], true);
    else view.setUint32(i * 4, samples[i], true);
  }
  return out;
}

function hasDcmdrle(): boolean {
  try {
    execFileSync('dcmdrle', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const DCMTK = hasDcmdrle();
if (!DCMTK) console.warn('dcmdrle (DCMTK) not found: the RLE interoperability test is skipped.');

describe.skipIf(!DCMTK)('RLE encoder output is read by DCMTK dcmdrle', () => {
  const cases: [number, number, 1 | 3, Bits, number][] = [
    [5, 7, 1, 8, 1],
    [9, 13, 3, 8, 2],
    [4, 301, 1, 16, 3],
    [7, 11, 3, 16, 1],
    [6, 5, 1, 32, 2],
    [3, 9, 3, 32, 1],
  ];
  it.each(cases)(
    '%i×%i, %i sample(s), %i bits, %i frame(s)',
    (rows, columns, spp, bits, frames) => {
      const inputs = Array.from({ length: frames }, (_, f) =>
        frame(rows, columns, spp, bits, 11 + f),
      );
      const fragments = inputs.map(encodeRleFrame);
      const elements = [
        textElement(0x00080016, 'UI', '1.2.840.10008.5.1.4.1.1.7'),
        textElement(0x00080018, 'UI', '2.25.1234567'),
        textElement(0x00080060, 'CS', 'OT'),
        uint16Element(0x00280002, spp),
        textElement(0x00280004, 'CS', spp === 3 ? 'RGB' : 'MONOCHROME2'),
        textElement(0x00280008, 'IS', String(frames)),
        uint16Element(0x00280010, rows),
        uint16Element(0x00280011, columns),
        uint16Element(0x00280100, bits),
        uint16Element(0x00280101, bits),
        uint16Element(0x00280102, bits - 1),
        uint16Element(0x00280103, 0),
        { tag: PIXEL_DATA, vr: 'OB' as const, fragments: [new Uint8Array(0), ...fragments] },
      ];
      if (spp === 3) elements.push(uint16Element(0x00280006, 0));
      const bytes = writeDicomFile({
        dataset: datasetFromEntries(elements),
        transferSyntaxUID: '1.2.840.10008.1.2.5',
      });
      const dir = mkdtempSync(join(tmpdir(), 'cleanroom-rle-'));
      try {
        writeFileSync(join(dir, 'in.dcm'), bytes);
        execFileSync('dcmdrle', ['+te', join(dir, 'in.dcm'), join(dir, 'out.dcm')], {
          stdio: 'pipe',
        });
        const out = readDicom(new Uint8Array(readFileSync(join(dir, 'out.dcm'))));
        expect(out.syntax.transferSyntaxUID).toBe('1.2.840.10008.1.2.1');
        const pixels = out.dataset.get(PIXEL_DATA)?.bytes;
        const expected = new Uint8Array(
          inputs.flatMap((i) => Array.from(nativeBytes(i.samples, bits))),
        );
        expect(pixels?.subarray(0, expected.length)).toEqual(expected);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
