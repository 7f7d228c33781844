// Property tests of the whole header path (read → de-identify → write) on files with planted PHI:
// random mutations never crash or hang the engine, and never yield an output holding a planted value.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readDicomFile } from '../dicom/read';
import { writeDicomFile } from '../dicom/write';
import { DicomReadError } from '../dicom/types';
import { compileProfile } from '../profile/compile-profile';
import { defaultRecipe } from '../profile/recipe';
import { generateSampleSet } from '../sample/sample-set';
import { deidentify, DeidError } from './apply';
import { collectIdentifiers } from './identifiers';
import { importSecret } from './keyed-hash';

const sample = generateSampleSet(1);
const profile = compileProfile(defaultRecipe().deid.options);
const secret = await importSecret(new TextEncoder().encode('robustness secret'));

/** Header values planted in the sample (pixel text and folder names are other tests' business). */
const planted = sample.answers
  .filter((a) => a.kind !== 'pixels' && a.kind !== 'path')
  .map((a) => a.value);

const SEEDS = await Promise.all(
  [
    'SE001_CHEST_0.625MM/IM0001.dcm',
    'SE003_T2_AX/IM0001.dcm',
    'US_2022-07-19/IM0001.dcm',
    'SE100_SCREENS/IM0001.dcm',
  ].map(async (suffix) => {
    const file = sample.files.find((f) => f.path.endsWith(suffix))!;
    // The patient's identifiers come from the intact file, as the pipeline gathers them from
    // all of the patient's instances: a mutation must not hide a name from cleaning.
    const identifiers = collectIdentifiers((await readDicomFile(file.bytes)).dataset);
    return { name: suffix, bytes: file.bytes, identifiers };
  }),
);

const TIME_BOUND_MS = 3000;
const latin1 = new TextDecoder('latin1');

async function engineHoldsUp(
  bytes: Uint8Array,
  identifiers: ReadonlySet<string>,
): Promise<string[]> {
  const started = performance.now();
  let output: Uint8Array | undefined;
  try {
    const file = await readDicomFile(bytes);
    const result = await deidentify(file, {
      profile,
      secret,
      pseudonym: 'SITE-000001',
      dateShiftDays: -40,
      identifiers,
    });
    output = writeDicomFile({
      meta: result.meta,
      dataset: result.dataset,
      transferSyntaxUID: result.transferSyntaxUID,
    });
  } catch (error) {
    // A typed refusal is a correct answer for a broken file; anything else is a crash.
    if (!(error instanceof DicomReadError) && !(error instanceof DeidError)) throw error;
  }
  expect(performance.now() - started).toBeLessThan(TIME_BOUND_MS);
  if (!output) return [];
  const text = latin1.decode(output).toUpperCase();
  return planted.filter((value) => text.includes(value.toUpperCase()));
}

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  // Flip a few bytes anywhere in the header part (the first 4 KiB).
  fc.record({
    kind: fc.constant('flip' as const),
    at: fc.array(fc.nat(4095), { minLength: 1, maxLength: 4 }),
    xor: fc.integer({ min: 1, max: 255 }),
  }),
  // Truncate anywhere.
  fc.record({
    kind: fc.constant('truncate' as const),
    at: fc.double({ min: 0, max: 1, noNaN: true }),
  }),
  // Overwrite a 16- or 32-bit length-like field with a random value.
  fc.record({ kind: fc.constant('length' as const), at: fc.nat(4095), value: fc.nat() }),
);

type Mutation =
  | { kind: 'flip'; at: number[]; xor: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'length'; at: number; value: number };

function mutate(bytes: Uint8Array, m: Mutation): Uint8Array {
  const out = bytes.slice();
  if (m.kind === 'truncate') return out.slice(0, Math.floor(out.length * m.at));
  if (m.kind === 'flip') for (const at of m.at) if (at < out.length) out[at] ^= m.xor;
  if (m.kind === 'length' && m.at + 4 <= out.length)
    new DataView(out.buffer).setUint32(m.at, m.value, true);
  return out;
}

describe('the engine under random damage (fast-check)', () => {
  it('never crashes or hangs, and never writes a planted PHI value', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...SEEDS), mutation, async (s, m) => {
        expect(await engineHoldsUp(mutate(s.bytes, m), s.identifiers)).toEqual([]);
      }),
      { numRuns: 400 },
    );
  }, 120_000);

  it('the intact seeds de-identify with no planted value left', async () => {
    for (const s of SEEDS) expect(await engineHoldsUp(s.bytes, s.identifiers), s.name).toEqual([]);
  });
});
