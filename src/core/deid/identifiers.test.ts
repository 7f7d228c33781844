import { describe, expect, it } from 'vitest';
import { tagForKeyword } from '../dicom/dictionary';
import { bytesElement, sequenceElement, textElement } from '../dicom/element';
import type { DataElement, Dataset } from '../dicom/types';
import { collectIdentifierTokens, collectIdentifiers, scrubText } from './identifiers';

function el(keyword: string, vr: Parameters<typeof textElement>[1], value: string): DataElement {
  return textElement(tagForKeyword(keyword)!, vr, value);
}
function ds(...elements: DataElement[]): Dataset {
  return new Map(elements.map((e) => [e.tag, e]));
}

const dataset = ds(
  el('PatientName', 'PN', 'SMITHERSON^JOHNATHAN^Q'),
  el('PatientID', 'LO', '00-555-0123'),
  el('OtherPatientIDs', 'LO', 'ALT778899'),
  el('PatientBirthDate', 'DA', '19610312'),
  el('AccessionNumber', 'SH', 'ACC998877'),
  el('InstitutionName', 'LO', 'SAINT ELSEWHERE HOSPITAL'),
  el('InstitutionAddress', 'ST', '1 Elm Street, Springfield'),
  el('StationName', 'SH', 'CTROOM7'),
  el('ReferringPhysicianName', 'PN', 'HOUSE^GREGORY'),
  el('StudyDescription', 'LO', 'CT CHEST'),
  sequenceElement(tagForKeyword('OtherPatientIDsSequence')!, [
    ds(el('PatientID', 'LO', 'NESTED4455')),
  ]),
  sequenceElement(tagForKeyword('ContentSequence')!, [ds(el('PersonName', 'PN', 'WILSON^JAMES'))]),
);

describe('collectIdentifiers', () => {
  it('identifier tokens: names and parts, IDs at any depth, birth date forms, accession, institution, address, station', () => {
    const tokens = collectIdentifiers(dataset);
    for (const token of [
      'SMITHERSON',
      'JOHNATHAN',
      '00-555-0123',
      '005550123',
      '5550123',
      'ALT778899',
      'NESTED4455',
      '19610312',
      '12/03/1961',
      '03/12/1961',
      '12.03.1961',
      '1961-03-12',
      '12 MAR 1961',
      'ACC998877',
      'SAINT ELSEWHERE HOSPITAL',
      'SPRINGFIELD',
      'CTROOM7',
      'HOUSE',
      'GREGORY',
      'WILSON',
    ]) {
      expect(tokens.has(token), token).toBe(true);
    }
    expect(tokens.has('CT CHEST')).toBe(false);
    expect(tokens.has('Q')).toBe(false);
  });

  it('identifier tokens carry their kind for the review ranking', () => {
    const kinds = new Map(collectIdentifierTokens(dataset).map((t) => [t.token, t.kind]));
    expect(kinds.get('SMITHERSON')).toBe('name');
    expect(kinds.get('ACC998877')).toBe('accession');
    expect(kinds.get('19610312')).toBe('birth date');
    expect(kinds.get('CTROOM7')).toBe('station');
  });

  it('identifier tokens: text is decoded with the data set character set', () => {
    const latin = ds(
      el('SpecificCharacterSet', 'CS', 'ISO_IR 100'),
      bytesElement(
        tagForKeyword('PatientName')!,
        'PN',
        Uint8Array.from('MÜLLER^JÖRG ', (c) => c.charCodeAt(0)),
      ),
    );
    const tokens = collectIdentifiers(latin);
    expect(tokens.has('MÜLLER')).toBe(true);
    expect(tokens.has('MULLER')).toBe(true);
    expect(scrubText('Befund Jörg Müller', tokens).text).toBe('Befund ***');
  });

  it('C action scrubbing: a description naming the patient in any birth date form is masked', () => {
    const tokens = collectIdentifiers(dataset);
    const { text, hits } = scrubText(
      'Johnathan Smitherson, DOB 03/12/1961, MRN 5550123, Dr House',
      tokens,
    );
    expect(text).toBe('***, DOB ***, MRN ***, Dr ***');
    expect(hits).toBe(4);
  });
});
