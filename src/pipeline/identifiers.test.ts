// Tests of the identifier tokens a job takes: the site's names travel apart from the patient's.
import { describe, expect, it } from 'vitest';
import type { InstanceRow } from '../core/inventory';
import { jobIdentifiers, rowIdentifierTokens } from './identifiers';

const row = {
  PatientName: 'TOSHIBA^TARO',
  PatientID: 'MRN1',
  extra: { InstitutionName: 'TOSHIBA', StationName: 'CT-EAST-2' },
} as unknown as InstanceRow;

describe('jobIdentifiers', () => {
  it("splits the site's names (institution, station) from the patient's own", () => {
    const { identifiers, siteIdentifiers } = jobIdentifiers([
      { token: 'MRN1', kind: 'ID', source: 'PatientID' },
      { token: 'GENERAL HOSPITAL', kind: 'institution', source: 'InstitutionName' },
      { token: 'CT-EAST-2', kind: 'station name', source: 'StationName' },
    ]);
    expect(identifiers).toEqual(['MRN1']);
    expect(siteIdentifiers).toEqual(['GENERAL HOSPITAL', 'CT-EAST-2']);
  });

  it("a token that is both the patient's name and the site's stays the patient's", () => {
    const tokens = rowIdentifierTokens(row);
    const { identifiers, siteIdentifiers } = jobIdentifiers(tokens);
    expect(identifiers).toContain('TOSHIBA');
    expect(siteIdentifiers).not.toContain('TOSHIBA');
    expect(siteIdentifiers).toContain('CT-EAST-2');
  });
});
