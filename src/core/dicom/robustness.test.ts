// Property tests: truncated, bit-flipped and length-corrupted files either parse or throw DicomReadError, quickly.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readDicom, readDicomFile } from './read';
import { DicomReadError } from './types';

const SEEDS = [
  'CT_small.dcm', // explicit LE, native pixels
  'MR_small_implicit.dcm', // implicit LE
  'MR_small_bigendian.dcm', // explicit BE
  'JPEG2000.dcm', // encapsulated
  'rtplan.dcm', // nested sequences, implicit
  'test-SR.dcm', // deep SR nesting
  'UN_sequence.dcm', // UN of undefined length
  'nested_priv_SQ.dcm', // private sequences
  'image_dfl.dcm', // deflated
  'dicomdirtests/DICOMDIR', // many items
].map((name) => ({
  name,
  bytes: new Uint8Array(
    readFileSync(
      fileURLToPath(new URL(`../../../test-data/dicom-samples/${name}`, import.meta.url)),
    ),
  ),
}));

/** Per-input bound: far above the few milliseconds a parse takes, far below a hang. */
const TIME_BOUND_MS = 2000;

async function parseOrTypedError(bytes: Uint8Array, untilPixelData: boolean): Promise<void> {
  const started = performance.now();
  try {
    await readDicomFile(bytes, { untilPixelData });
  } catch (e) {
    if (!(e instanceof DicomReadError)) throw e;
    // The reader's last-resort conversion of unexpected exceptions must never be needed.
    expect(e.message).not.toMatch(/out-of-range read|could not be parsed \(/);
  }
  expect(performance.now() - started).toBeLessThan(TIME_BOUND_MS);
}

const seed = fc.constantFrom(...SEEDS);

describe('robustness (fast-check)', () => {
  it('random truncations parse or throw DicomReadError', async () => {
    await fc.assert(
      fc.asyncProperty(
        seed,
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.boolean(),
        async (s, at, header) => {
          await parseOrTypedError(s.bytes.slice(0, Math.floor(s.bytes.length * at)), header);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('random byte flips parse or throw DicomReadError', async () => {
    await fc.assert(
      fc.asyncProperty(
        seed,
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 16,
        }),
        fc.boolean(),
        async (s, flips, header) => {
          const b = s.bytes.slice();
          for (const [pos, value] of flips) b[pos % b.length] = value;
          await parseOrTypedError(b, header);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('corrupted lengths (undefined, huge, odd, off by a few) parse or throw DicomReadError', async () => {
    const lengths = fc.oneof(
      fc.constant(0xffffffff),
      fc.constant(0xfffffffe),
      fc.integer({ min: 0, max: 0xffffffff }),
      fc.integer({ min: 0, max: 64 }),
    );
    await fc.assert(
      fc.asyncProperty(
        seed,
        fc.nat(),
        lengths,
        fc.boolean(),
        fc.boolean(),
        async (s, at, length, wide, header) => {
          const b = s.bytes.slice();
          const view = new DataView(b.buffer);
          // Aim near element boundaries: length fields sit at even offsets.
          const pos = (at % Math.max(1, b.length - 4)) & ~1;
          if (wide) view.setUint32(pos, length >>> 0, true);
          else view.setUint16(pos, length & 0xffff, true);
          await parseOrTypedError(b, header);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('random bytes, with and without a DICM preamble, parse or throw DicomReadError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.boolean(), (noise, preamble) => {
        const b = preamble
          ? new Uint8Array([...new Uint8Array(128), 0x44, 0x49, 0x43, 0x4d, ...noise])
          : noise;
        try {
          readDicom(b);
        } catch (e) {
          expect(e).toBeInstanceOf(DicomReadError);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('a million nested items fail with bad-sequence quickly, not with a stack overflow', () => {
    const item = [
      0x08, 0x00, 0x40, 0x11, 0x53, 0x51, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xfe, 0xff, 0x00, 0xe0,
      0xff, 0xff, 0xff, 0xff,
    ];
    const b = new Uint8Array(item.length * 50_000);
    for (let i = 0; i < 50_000; i++) b.set(item, i * item.length);
    const started = performance.now();
    expect(() => readDicom(b)).toThrow(DicomReadError);
    expect(performance.now() - started).toBeLessThan(TIME_BOUND_MS);
  });
});
