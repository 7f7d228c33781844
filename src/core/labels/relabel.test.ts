// Relabelling: original identifiers become the package's pseudonymous ones, unmatched keys are reported.
import { describe, expect, it } from 'vitest';
import { importSecret } from '../deid/keyed-hash';
import { shortIdentifier } from '../deid/pseudonyms';
import { parseLabelsCsv } from './labels-csv';
import { accessionPairs, relabel } from './relabel';

describe('relabel', () => {
  it('PatientID labels go to the pseudonym whatever the issuer (store rows and key-file rows)', () => {
    const parsed = parseLabelsCsv('PatientID,label\nMRN-1,pos\nMRN-2,neg\nMRN-9,neg\n');
    const r = relabel(parsed, {
      patients: [
        { patientKey: 'HOSP\\MRN-1', pseudonym: 'SITE-000007' },
        { id_old: 'MRN-2', id_new: 'SITE-000003' },
      ],
    });
    expect([...r.labels]).toEqual([
      ['SITE-000007', 'pos'],
      ['SITE-000003', 'neg'],
    ]);
    expect(r.unmatched).toEqual(['MRN-9']);
    expect(r.ambiguous).toBe(0);
  });

  it('one PatientID under two issuers labels both pseudonyms and counts as ambiguous', () => {
    const r = relabel(parseLabelsCsv('PatientID,label\nX,1\n'), {
      patients: [
        { patientKey: 'A\\X', pseudonym: 'S-1' },
        { patientKey: 'B\\X', pseudonym: 'S-2' },
      ],
    });
    expect(r.labels).toEqual(
      new Map([
        ['S-1', '1'],
        ['S-2', '1'],
      ]),
    );
    expect(r.ambiguous).toBe(1);
  });

  it('UID labels use the UID map', () => {
    const r = relabel(parseLabelsCsv('StudyInstanceUID,label\n1.2.3,a\n'), {
      uids: [{ old: '1.2.3', new: '2.25.99' }],
    });
    expect(r.labels).toEqual(new Map([['2.25.99', 'a']]));
  });

  it('AccessionNumber labels go to the keyed value the export writes', async () => {
    const secret = await importSecret(new Uint8Array(32).fill(7));
    const pairs = await accessionPairs(['ACC1', 'ACC1', ''], secret);
    expect(pairs).toEqual([
      { old: 'ACC1', new: await shortIdentifier('AccessionNumber', 'ACC1', secret) },
    ]);
    const r = relabel(parseLabelsCsv('AccessionNumber,label\nACC1,pos\n'), { accessions: pairs });
    expect(r.labels.get(pairs[0].new)).toBe('pos');
  });
});
