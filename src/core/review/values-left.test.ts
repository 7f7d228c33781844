// The values a de-identified file leaves, read from its explain rows: on the sample's first
// patient, a name typed into a description is masked by cleaning, and the dump ranks it first.
import { describe, expect, it } from 'vitest';
import { readDicomFile } from '../dicom/read';
import { deidentify } from '../deid/apply';
import { importSecret } from '../deid/keyed-hash';
import { nameTokens } from '../deid/tokens';
import { compileProfile } from '../profile/compile-profile';
import { defaultRecipe } from '../profile/recipe';
import { generateSampleSet } from '../sample/sample-set';
import { ValueDump } from './dump';
import type { IdentifierToken } from './rank';
import { isMaskedByCleaning, valuesLeft } from './values-left';

const sample = generateSampleSet(1);
const ct = sample.files.find(
  (f) => f.path.startsWith('QUIXOTEHART') && f.path.includes('CT_') && f.bytes.length > 2000,
)!;
const tokens: IdentifierToken[] = nameTokens('QUIXOTEHART^ALBERTO^J').map((token) => ({
  token,
  kind: 'name',
  source: 'PatientName',
}));

async function explainSample() {
  const recipe = defaultRecipe();
  const result = await deidentify(await readDicomFile(ct.bytes), {
    profile: compileProfile(recipe.deid.options, recipe.deid.allowList),
    secret: await importSecret(new Uint8Array(32).fill(3)),
    pseudonym: 'SITE-000001',
    dateShiftDays: -10,
    identifiers: new Set(tokens.map((t) => t.token)),
  });
  return result.explain;
}

describe('values left in a de-identified file', () => {
  it('masked by cleaning: the masked description carries its original for ranking only', async () => {
    const values = valuesLeft(await explainSample());
    const study = values.find((v) => v.path === 'StudyDescription')!;
    expect(study.value).toContain('***');
    expect(study.value.toUpperCase()).not.toContain('QUIXOTEHART');
    expect(study.maskedFrom?.toUpperCase()).toContain('QUIXOTEHART');
    expect(values.filter((v) => v.maskedFrom === undefined).map((v) => v.value)).not.toContain(
      study.maskedFrom,
    );
  });

  it('generated values (pseudonym, new UIDs, shifted dates) are marked; binary summaries are left out', async () => {
    const values = valuesLeft(await explainSample());
    expect(values.find((v) => v.path === 'PatientName')).toMatchObject({
      value: 'SITE-000001',
      generated: true,
    });
    expect(values.find((v) => v.path === 'SOPInstanceUID')?.generated).toBe(true);
    expect(values.some((v) => /^<.*>$/.test(v.value))).toBe(false);
    expect(values.some((v) => v.vr === 'SQ')).toBe(false);
  });

  it('masked by cleaning: the dump ranks the masked description first, as the patient’s name, and keeps no original', async () => {
    const dump = new ValueDump();
    dump.add(valuesLeft(await explainSample()), {
      tokens,
      pseudonym: 'SITE-000001',
      example: 'SITE-000001/1/1.dcm',
    });
    const rows = dump.rows();
    expect(rows[0]).toMatchObject({ risk: 'high', path: expect.stringMatching(/Description/) });
    expect(rows[0].reason).toMatch(/^matches the patient's name/);
    expect(JSON.stringify(rows).toUpperCase()).not.toContain('QUIXOTEHART');
  });

  it('a reviewer’s override is not "masked by cleaning", even when it writes the mark', () => {
    expect(isMaskedByCleaning({ before: 'a SMITH', after: 'a ***', action: 'C' })).toBe(true);
    expect(isMaskedByCleaning({ before: 'a SMITH', after: 'a ***', action: 'override' })).toBe(
      false,
    );
    expect(isMaskedByCleaning({ before: 'x ***', after: 'x ***', action: 'K' })).toBe(false);
  });
});
