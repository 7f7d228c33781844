// Tests of the DICOMDIR record types by SOP class (PS3.3 F.5) and of reading record keys out of a
// de-identified file's values.
import { describe, expect, it } from 'vitest';
import {
  collectDirectoryKeys,
  directoryRecordTypeOf,
  RECORD_KEYS,
  type LeafRecordType,
} from './dicomdir-records';

const S = '1.2.840.10008.5.1.4.1.1.';

function expectTypes(cases: [string, LeafRecordType][]): void {
  for (const [uid, type] of cases) expect(directoryRecordTypeOf(uid), uid).toBe(type);
}

describe('directoryRecordTypeOf', () => {
  it('every SR storage class but Key Object Selection gets an SR DOCUMENT record', () => {
    expectTypes([
      [`${S}88.11`, 'SR DOCUMENT'],
      [`${S}88.22`, 'SR DOCUMENT'],
      [`${S}88.33`, 'SR DOCUMENT'],
      [`${S}88.34`, 'SR DOCUMENT'],
      [`${S}88.67`, 'SR DOCUMENT'],
      [`${S}88.59`, 'KEY OBJECT DOC'],
    ]);
  });

  it('encapsulated documents (PDF, CDA, STL) get ENCAP DOC records', () => {
    expectTypes([
      [`${S}104.1`, 'ENCAP DOC'],
      [`${S}104.2`, 'ENCAP DOC'],
      [`${S}104.3`, 'ENCAP DOC'],
    ]);
  });

  it('RT objects get RT DOSE, RT STRUCTURE SET, RT PLAN, RT TREAT RECORD records; RT Image is an IMAGE', () => {
    expectTypes([
      [`${S}481.1`, 'IMAGE'],
      [`${S}481.2`, 'RT DOSE'],
      [`${S}481.3`, 'RT STRUCTURE SET'],
      [`${S}481.4`, 'RT TREAT RECORD'],
      [`${S}481.5`, 'RT PLAN'],
      [`${S}481.6`, 'RT TREAT RECORD'],
      [`${S}481.7`, 'RT TREAT RECORD'],
      [`${S}481.8`, 'RT PLAN'],
      [`${S}481.9`, 'RT TREAT RECORD'],
      [`${S}481.10`, 'RADIOTHERAPY'],
    ]);
  });

  it('presentation states, waveforms, spectroscopy, raw data, registrations, fiducials, value maps, surfaces and measurements get their own records', () => {
    expectTypes([
      [`${S}11.1`, 'PRESENTATION'],
      [`${S}11.4`, 'PRESENTATION'],
      [`${S}9.1.1`, 'WAVEFORM'],
      [`${S}9.4.1`, 'WAVEFORM'],
      [`${S}4.2`, 'SPECTROSCOPY'],
      [`${S}66`, 'RAW DATA'],
      [`${S}66.1`, 'REGISTRATION'],
      [`${S}66.3`, 'REGISTRATION'],
      [`${S}66.2`, 'FIDUCIAL'],
      [`${S}67`, 'VALUE MAP'],
      [`${S}66.5`, 'SURFACE'],
      [`${S}68.1`, 'SURFACE SCAN'],
      [`${S}66.6`, 'TRACT'],
      [`${S}78.1`, 'MEASUREMENT'],
      [`${S}77.1.5.3`, 'STEREOMETRIC'],
    ]);
  });

  it('image storage classes, segmentations and unknown classes get IMAGE records', () => {
    expectTypes([
      [`${S}2`, 'IMAGE'],
      [`${S}4`, 'IMAGE'],
      [`${S}7`, 'IMAGE'],
      [`${S}66.4`, 'IMAGE'],
      [`${S}77.1.6`, 'IMAGE'],
      ['1.2.3.4.5', 'IMAGE'],
    ]);
  });

  it('each record type lists the Type 1 keys of PS3.3 F.5 (SR, ENCAP DOC, RT DOSE, RT PLAN)', () => {
    const type1 = (t: LeafRecordType) =>
      RECORD_KEYS[t].filter((k) => k.type === '1').map((k) => k.keyword);
    expect(type1('SR DOCUMENT')).toEqual([
      'InstanceNumber',
      'CompletionFlag',
      'VerificationFlag',
      'ContentDate',
      'ContentTime',
      'ConceptNameCodeSequence',
    ]);
    expect(type1('ENCAP DOC')).toEqual(['InstanceNumber', 'MIMETypeOfEncapsulatedDocument']);
    expect(RECORD_KEYS['ENCAP DOC'].find((k) => k.keyword === 'DocumentTitle')?.type).toBe('2');
    expect(type1('RT DOSE')).toEqual(['InstanceNumber', 'DoseSummationType']);
    expect(type1('RT PLAN')).toEqual(['InstanceNumber', 'RTPlanLabel']);
  });
});

describe('collectDirectoryKeys', () => {
  it('takes top-level values and the top-level concept name, never one nested in the content tree', () => {
    const keys = collectDirectoryKeys([
      { path: 'ContentDate', value: '20200101' },
      { path: 'ContentSequence > ConceptNameCodeSequence > CodeValue', value: 'NESTED' },
      { path: 'ConceptNameCodeSequence > CodeValue', value: '18842-5' },
      { path: 'ConceptNameCodeSequence > CodingSchemeDesignator', value: 'LN' },
      { path: 'StudyDescription', value: 'not a record key' },
      { path: 'ContentDate', value: '19990101' },
    ]);
    expect(keys).toEqual({
      ContentDate: '20200101',
      'ConceptNameCodeSequence > CodeValue': '18842-5',
      'ConceptNameCodeSequence > CodingSchemeDesignator': 'LN',
    });
  });

  it("the SR record's VerificationDateTime is the latest verifying observer's", () => {
    const keys = collectDirectoryKeys([
      { path: 'VerifyingObserverSequence > VerificationDateTime', value: '20200101120000' },
      { path: 'VerifyingObserverSequence > VerificationDateTime', value: '20210101120000' },
      { path: 'VerifyingObserverSequence > VerificationDateTime', value: '20190101120000' },
    ]);
    expect(keys.VerificationDateTime).toBe('20210101120000');
  });
});
