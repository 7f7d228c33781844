// A file whose input lacks PatientName or PatientID still names its patient by the pseudonym.
import { describe, expect, it } from 'vitest';
import { datasetFromEntries, getText, textElement } from '../dicom/element';
import { readDicomFile } from '../dicom/read';
import { writeDicomFile } from '../dicom/write';
import { compileProfile } from '../profile/compile-profile';
import { defaultRecipe } from '../profile/recipe';
import { deidentify } from './apply';
import { importSecret } from './keyed-hash';

describe('pseudonym added when the input has none', () => {
  it('PatientName and PatientID are written with the pseudonym and explained', async () => {
    const bytes = writeDicomFile({
      transferSyntaxUID: '1.2.840.10008.1.2.1',
      dataset: datasetFromEntries([
        textElement(0x00080016, 'UI', '1.2.840.10008.5.1.4.1.1.7'),
        textElement(0x00080018, 'UI', '1.2.3.4.5'),
        textElement(0x00080060, 'CS', 'OT'),
      ]),
    });
    const result = await deidentify(await readDicomFile(bytes), {
      profile: compileProfile(defaultRecipe().deid.options),
      secret: await importSecret(new Uint8Array(32).fill(1)),
      pseudonym: 'SITE-000042',
      dateShiftDays: -10,
    });
    expect(getText(result.dataset, 0x00100010)).toBe('SITE-000042');
    expect(getText(result.dataset, 0x00100020)).toBe('SITE-000042');
    expect(
      result.explain
        .filter((r) => r.action === 'pseudonym')
        .map((r) => r.keyword)
        .sort(),
    ).toEqual(['PatientID', 'PatientName']);
  });
});
