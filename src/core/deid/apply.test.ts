import { describe, expect, it } from 'vitest';
import { tagForKeyword } from '../dicom/dictionary';
import {
  bytesElement,
  getText,
  getUid,
  sequenceElement,
  textElement,
  uint16Element,
} from '../dicom/element';
import { readDicom } from '../dicom/read';
import type { DataElement, Dataset, DicomFile, Tag, VR } from '../dicom/types';
import { writeDicomFile } from '../dicom/write';
import { compileProfile } from '../profile/compile-profile';
import type { ProfileOptions } from '../profile/types';
import { deidentify, type DeidContext, type DeidResult } from './apply';
import { dateShiftForPatient } from './dates';
import { collectIdentifiers } from './identifiers';
import { importSecret } from './keyed-hash';
import type { Override } from './overrides';
import { patientKey } from './pseudonyms';
import { remapUid } from './uids';

const OPTIONS: ProfileOptions = {
  retainSafePrivate: true,
  retainUIDs: false,
  retainDeviceIdentity: true,
  retainInstitutionIdentity: false,
  retainPatientCharacteristics: true,
  retainLongitudinal: 'modified',
  cleanDescriptors: true,
  cleanStructuredContent: true,
  cleanGraphics: false,
};
const profile = compileProfile(OPTIONS);
const secret = importSecret(new TextEncoder().encode('apply test secret'));

const CT = '1.2.840.10008.5.1.4.1.1.2';
const STUDY_UID = '1.2.826.0.1.3680043.8.498.10001';
const SERIES_UID = '1.2.826.0.1.3680043.8.498.10001.1';
const FOR_UID = '1.2.826.0.1.3680043.8.498.10001.9';

function tag(keyword: string): Tag {
  const t = tagForKeyword(keyword);
  if (t === undefined) throw new Error(`unknown keyword ${keyword}`);
  return t;
}
function text(keyword: string, vr: VR, value: string): DataElement {
  return textElement(tag(keyword), vr, value);
}
function item(...elements: DataElement[]): Dataset {
  return new Map(elements.map((e) => [e.tag, e]));
}
function seq(keyword: string, ...items: Dataset[]): DataElement {
  return sequenceElement(tag(keyword), items);
}

interface Planted {
  name: string;
  id: string;
  birth: string;
  sop: string;
  accession: string;
  age?: string;
  studyDate?: string;
}

/** Every string planted as PHI, to search the written bytes for. */
const PHI_STRINGS = [
  'SMITHERSON',
  'JOHNATHAN',
  'MRN5550123',
  'MRN7770456',
  'ACC998877',
  'GENERAL HOSP',
  'SAINT ELSEWHERE',
  'HOUSE^GREGORY',
  'CUDDY',
  '19610312',
  '19400101',
  'STUDY42',
  'SECRETCREATORVALUE',
  'ELMSTREET',
];

/** A CT image with PHI planted in names, IDs, dates, descriptions, nested sequences and private tags. */
function plantedDataset(p: Planted): Dataset {
  const ds = item(
    text('SpecificCharacterSet', 'CS', 'ISO_IR 6'.replace('ISO_IR 6', '')),
    text('ImageType', 'CS', 'ORIGINAL\\PRIMARY\\AXIAL'),
    text('SOPClassUID', 'UI', CT),
    text('SOPInstanceUID', 'UI', p.sop),
    text('StudyDate', 'DA', p.studyDate ?? '20200115'),
    text('SeriesDate', 'DA', '20200417'),
    text('AcquisitionDateTime', 'DT', '20200115103000.000000'),
    text('StudyTime', 'TM', '103000'),
    text('AccessionNumber', 'SH', p.accession),
    text('Modality', 'CS', 'CT'),
    text('Manufacturer', 'LO', 'ACME MEDICAL'),
    text('InstitutionName', 'LO', 'SAINT ELSEWHERE HOSPITAL'),
    text('InstitutionAddress', 'ST', '1 ELMSTREET, BOSTON'),
    text('ReferringPhysicianName', 'PN', 'HOUSE^GREGORY'),
    text('StudyDescription', 'LO', `CT CHEST for ${p.name.split('^')[0]}`),
    text('SeriesDescription', 'LO', 'AXIAL 5MM'),
    text('OperatorsName', 'PN', 'CUDDY^LISA'),
    text('PatientName', 'PN', p.name),
    text('PatientID', 'LO', p.id),
    text('IssuerOfPatientID', 'LO', 'GENERAL HOSP'),
    text('PatientBirthDate', 'DA', p.birth),
    text('PatientSex', 'CS', 'M'),
    text('PatientAge', 'AS', p.age ?? '059Y'),
    text('PatientWeight', 'DS', '81.5'),
    text('PatientReligiousPreference', 'LO', 'PASTAFARIAN'),
    text('SliceThickness', 'DS', '5'),
    text('KVP', 'DS', '120'),
    text('ConvolutionKernel', 'SH', 'STANDARD'),
    text('StudyInstanceUID', 'UI', STUDY_UID),
    text('SeriesInstanceUID', 'UI', SERIES_UID),
    text('StudyID', 'SH', 'STUDY42'),
    text('InstanceNumber', 'IS', '1'),
    text('FrameOfReferenceUID', 'UI', FOR_UID),
    text('PixelSpacing', 'DS', '0.5\\0.5'),
    uint16Element(tag('Rows'), 2),
    uint16Element(tag('Columns'), 2),
    uint16Element(tag('BitsAllocated'), 16),
    text('PhotometricInterpretation', 'CS', 'MONOCHROME2'),
    seq(
      'RequestAttributesSequence',
      item(
        text('RequestedProcedureDescription', 'LO', `Chest CT ${p.name.replace('^', ' ')}`),
        text('RequestedProcedureID', 'SH', p.accession),
        text('StudyInstanceUID', 'UI', STUDY_UID),
        seq(
          'ReferencedStudySequence',
          item(
            text('ReferencedSOPClassUID', 'UI', '1.2.840.10008.3.1.2.3.1'),
            text('ReferencedSOPInstanceUID', 'UI', STUDY_UID),
          ),
        ),
      ),
    ),
    seq(
      'ContentSequence',
      item(
        text('ValueType', 'CS', 'TEXT'),
        text('TextValue', 'UT', `Patient ${p.name} born ${p.birth}`),
        text('PersonName', 'PN', p.name),
        text('Date', 'DA', p.studyDate ?? '20200115'),
        seq(
          'ReferencedSOPSequence',
          item(
            text('ReferencedSOPClassUID', 'UI', CT),
            text('ReferencedSOPInstanceUID', 'UI', p.sop),
          ),
        ),
      ),
    ),
    // Private: a creator nobody vouches for, and GE acquisition with one safe element and one not.
    textElement(0x00090010, 'LO', 'ACME PRIVATE'),
    textElement(0x00091001, 'LO', 'SECRETCREATORVALUE'),
    textElement(0x00190010, 'LO', 'GEMS_ACQU_01'),
    textElement(0x00191023, 'DS', '39.37'),
    textElement(0x0019109e, 'LO', 'HELICAL SMITHERSON'),
    textElement(0x00191099, 'LO', 'SECRETCREATORVALUE'),
    // An element no dictionary knows.
    textElement(0x00089999, 'LO', 'SMITHERSON UNKNOWN'),
    bytesElement(0x7fe00010, 'OW', new Uint8Array([1, 0, 2, 0, 3, 0, 4, 0])),
  );
  ds.delete(tag('SpecificCharacterSet'));
  return ds;
}

/** Writes and reads back a data set, so the engine sees what the reader gives it. */
function fileOf(ds: Dataset, transferSyntaxUID = '1.2.840.10008.1.2.1'): DicomFile {
  return readDicom(writeDicomFile({ dataset: ds, transferSyntaxUID }));
}

const PATIENT_A: Planted = {
  name: 'SMITHERSON^JOHNATHAN',
  id: 'MRN5550123',
  birth: '19610312',
  sop: '1.2.826.0.1.3680043.8.498.10001.1.1',
  accession: 'ACC998877',
  age: '095Y',
};
const PATIENT_A2: Planted = {
  ...PATIENT_A,
  sop: '1.2.826.0.1.3680043.8.498.10001.1.2',
  studyDate: '20200116',
};
const PATIENT_B: Planted = {
  name: 'SMITHERSON^JOHNATHAN',
  id: 'MRN7770456',
  birth: '19400101',
  sop: '1.2.826.0.1.3680043.8.498.20002.1.1',
  accession: 'ACC998877',
};

async function contextFor(p: Planted, extra: Partial<DeidContext> = {}): Promise<DeidContext> {
  const key = await secret;
  return {
    profile,
    secret: key,
    pseudonym: p.id === PATIENT_B.id ? 'SITE-000002' : 'SITE-000001',
    dateShiftDays: await dateShiftForPatient(key, patientKey(p.id, 'GENERAL HOSP'), {
      min: -365,
      max: -30,
    }),
    identifiers: collectIdentifiers(plantedDataset(p)),
    ...extra,
  };
}

async function run(
  p: Planted,
  extra: Partial<DeidContext> = {},
): Promise<{ result: DeidResult; bytes: Uint8Array }> {
  const file = fileOf(plantedDataset(p));
  const result = await deidentify(file, await contextFor(p, extra));
  const bytes = writeDicomFile({
    meta: result.meta,
    dataset: result.dataset,
    transferSyntaxUID: result.transferSyntaxUID,
  });
  return { result, bytes };
}

function latin1(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}

function nested(ds: Dataset, ...keywords: string[]): Dataset {
  let current = ds;
  for (const keyword of keywords) {
    const items = current.get(tag(keyword))?.items;
    if (!items || items.length === 0) throw new Error(`no items in ${keyword}`);
    current = items[0];
  }
  return current;
}

describe('deidentify: patient identity', () => {
  it('pseudonym replaces PatientName and PatientID, shown as pseudonym in the listing', async () => {
    const { result } = await run(PATIENT_A);
    expect(getText(result.dataset, tag('PatientName'))).toBe('SITE-000001');
    expect(getText(result.dataset, tag('PatientID'))).toBe('SITE-000001');
    const rows = result.explain.filter(
      (r) => r.keyword === 'PatientName' || r.keyword === 'PatientID',
    );
    expect(rows.map((r) => r.action)).toEqual(['pseudonym', 'pseudonym']);
    expect(rows[0].before).toBe('SMITHERSON^JOHNATHAN');
  });

  it('AccessionNumber and StudyID: replaced by a keyed value, the same across files; empty when asked', async () => {
    const a = await run(PATIENT_A);
    const b = await run(PATIENT_B);
    const accession = getText(a.result.dataset, tag('AccessionNumber'));
    expect(accession).toMatch(/^[0-9A-F]{16}$/);
    expect(getText(b.result.dataset, tag('AccessionNumber'))).toBe(accession);
    expect(getText(a.result.dataset, tag('StudyID'))).toMatch(/^[0-9A-F]{16}$/);
    const empty = await run(PATIENT_A, { identifierReplacement: 'empty' });
    expect(getText(empty.result.dataset, tag('AccessionNumber'))).toBe('');
  });

  it('PatientBirthDate: emptied per the profile (Z)', async () => {
    const { result } = await run(PATIENT_A);
    expect(getText(result.dataset, tag('PatientBirthDate'))).toBe('');
  });

  it('age over 89 becomes 090Y; younger ages are kept', async () => {
    expect(getText((await run(PATIENT_A)).result.dataset, tag('PatientAge'))).toBe('090Y');
    expect(getText((await run(PATIENT_B)).result.dataset, tag('PatientAge'))).toBe('059Y');
  });
});

describe('deidentify: UIDs', () => {
  it('each UID is remapped consistently across two files of a study, in sequences and in the meta', async () => {
    const cache = new Map<string, string>();
    const one = (await run(PATIENT_A, { uidCache: cache })).result;
    const two = (await run(PATIENT_A2, { uidCache: cache })).result;
    const study = getUid(one.dataset, tag('StudyInstanceUID'))!;
    expect(study).toMatch(/^2\.25\.\d+$/);
    expect(study).toBe(await remapUid(STUDY_UID, await secret));
    expect(getUid(two.dataset, tag('StudyInstanceUID'))).toBe(study);
    expect(getUid(two.dataset, tag('SeriesInstanceUID'))).toBe(
      getUid(one.dataset, tag('SeriesInstanceUID')),
    );
    expect(getUid(two.dataset, tag('FrameOfReferenceUID'))).toBe(
      getUid(one.dataset, tag('FrameOfReferenceUID')),
    );
    expect(getUid(two.dataset, tag('SOPInstanceUID'))).not.toBe(
      getUid(one.dataset, tag('SOPInstanceUID')),
    );
    const request = nested(one.dataset, 'RequestAttributesSequence');
    expect(getUid(request, tag('StudyInstanceUID'))).toBe(study);
    const referenced = nested(one.dataset, 'ContentSequence', 'ReferencedSOPSequence');
    expect(getUid(referenced, tag('ReferencedSOPInstanceUID'))).toBe(
      getUid(one.dataset, tag('SOPInstanceUID')),
    );
    expect(getUid(one.meta, tag('MediaStorageSOPInstanceUID'))).toBe(
      getUid(one.dataset, tag('SOPInstanceUID')),
    );
    expect(one.uidMap).toContainEqual([STUDY_UID, study]);
    expect(cache.get(STUDY_UID)).toBe(study);
  });

  it('standard UIDs (SOPClassUID, ReferencedSOPClassUID, TransferSyntaxUID) never change', async () => {
    const { result } = await run(PATIENT_A);
    expect(getUid(result.dataset, tag('SOPClassUID'))).toBe(CT);
    expect(
      getUid(
        nested(result.dataset, 'ContentSequence', 'ReferencedSOPSequence'),
        tag('ReferencedSOPClassUID'),
      ),
    ).toBe(CT);
    expect(result.transferSyntaxUID).toBe('1.2.840.10008.1.2.1');
    expect(getUid(result.meta, tag('MediaStorageSOPClassUID'))).toBe(CT);
  });
});

describe('deidentify: dates', () => {
  it('dates shift by the same days for one patient, differently for another, keeping intervals', async () => {
    const a = (await run(PATIENT_A)).result;
    const b = (await run(PATIENT_B)).result;
    const ctxA = await contextFor(PATIENT_A);
    const ctxB = await contextFor(PATIENT_B);
    expect(ctxA.dateShiftDays).not.toBe(ctxB.dateShiftDays);
    const days = (from: string, to: string): number =>
      (Date.UTC(+to.slice(0, 4), +to.slice(4, 6) - 1, +to.slice(6, 8)) -
        Date.UTC(+from.slice(0, 4), +from.slice(4, 6) - 1, +from.slice(6, 8))) /
      86_400_000;
    const studyA = getText(a.dataset, tag('StudyDate'))!;
    expect(days('20200115', studyA)).toBe(ctxA.dateShiftDays);
    expect(days(studyA, getText(a.dataset, tag('SeriesDate'))!)).toBe(days('20200115', '20200417'));
    expect(days('20200115', getText(b.dataset, tag('StudyDate'))!)).toBe(ctxB.dateShiftDays);
    const dt = getText(a.dataset, tag('AcquisitionDateTime'))!;
    expect(dt.slice(8)).toBe('103000.000000');
    expect(days('20200115', dt.slice(0, 8))).toBe(ctxA.dateShiftDays);
    expect(getText(a.dataset, tag('StudyTime'))).toBe('103000');
    expect(getText(nested(a.dataset, 'ContentSequence'), tag('Date'))).toBe(studyA);
    expect(a.explain.find((r) => r.keyword === 'StudyDate')?.action).toBe('shift');
  });

  it('full dates are kept as they are; with the option off, dates take the basic actions', async () => {
    const full = compileProfile({ ...OPTIONS, retainLongitudinal: 'full' });
    const kept = (await run(PATIENT_A, { profile: full })).result;
    expect(getText(kept.dataset, tag('StudyDate'))).toBe('20200115');
    expect(getText(kept.dataset, tag('LongitudinalTemporalInformationModified'))).toBe(
      'UNMODIFIED',
    );
    const off = compileProfile({ ...OPTIONS, retainLongitudinal: 'off' });
    const basic = (await run(PATIENT_A, { profile: off })).result;
    const studyDate = getText(basic.dataset, tag('StudyDate'));
    expect(studyDate === '' || studyDate === '19000101').toBe(true);
    expect(basic.dataset.has(tag('AcquisitionDateTime'))).toBe(false);
    expect(getText(basic.dataset, tag('LongitudinalTemporalInformationModified'))).toBe('REMOVED');
  });

  it('malformed dates are emptied and reported without their value', async () => {
    const ds = plantedDataset(PATIENT_A);
    ds.set(tag('SeriesDate'), text('SeriesDate', 'DA', '2020-13-45'));
    const result = await deidentify(fileOf(ds), await contextFor(PATIENT_A));
    expect(getText(result.dataset, tag('SeriesDate'))).toBe('');
    expect(result.warnings.some((w) => w.includes('(0008,0021) SeriesDate'))).toBe(true);
    expect(result.warnings.join(' ')).not.toContain('2020-13-45');
  });
});

describe('deidentify: what is kept and removed', () => {
  it('private elements are removed unless safe-listed; the creator stays only with a kept element', async () => {
    const { result } = await run(PATIENT_A);
    expect(result.dataset.has(0x00091001)).toBe(false);
    expect(result.dataset.has(0x00090010)).toBe(false);
    expect(getText(result.dataset, 0x00191023)).toBe('39.37');
    expect(getText(result.dataset, 0x00190010)).toBe('GEMS_ACQU_01');
    expect(result.dataset.has(0x00191099)).toBe(false);
    // Safe-listed private free text is kept, with the patient's identifiers masked.
    expect(getText(result.dataset, 0x0019109e)).toBe('HELICAL ***');
    const row = result.explain.find((r) => r.tag === 0x00091001)!;
    expect(row.path).toBe('(0009,1001) "ACME PRIVATE"');
    expect(row.action).toBe('X');
    expect(row.after).toBeUndefined();
  });

  it('private elements are all removed without the Retain Safe Private option', async () => {
    const strict = compileProfile({ ...OPTIONS, retainSafePrivate: false });
    const { result } = await run(PATIENT_A, { profile: strict });
    expect([...result.dataset.keys()].filter((t) => (t >>> 16) % 2 === 1)).toEqual([]);
  });

  it('SR free text without Clean Structured Content: the TEXT item keeps a dummy TextValue, so the SR stays valid, and no name is left', async () => {
    const basic = compileProfile({ ...OPTIONS, cleanStructuredContent: false });
    const { result, bytes } = await run(PATIENT_A, { profile: basic });
    const item = result.dataset.get(tag('ContentSequence'))?.items?.[0];
    expect(item && getText(item, tag('TextValue'))).toBe('ANONYMIZED');
    expect(result.explain.find((r) => r.path === 'ContentSequence > TextValue')?.action).toBe('D');
    const family = PATIENT_A.name.split('^')[0];
    expect(new TextDecoder('latin1').decode(bytes)).not.toContain(family);
  });

  it('a sequence stored as UN that cannot be read as items is removed, never kept as opaque bytes', async () => {
    const ds = plantedDataset(PATIENT_A);
    const opaque = new TextEncoder().encode(`${PATIENT_A.name} 1.2.3`);
    ds.set(0x00081115, { tag: 0x00081115, vr: 'UN', bytes: opaque }); // ReferencedSeriesSequence
    const result = await deidentify(fileOf(ds), await contextFor(PATIENT_A));
    expect(result.dataset.has(0x00081115)).toBe(false);
    expect(result.explain.find((r) => r.tag === 0x00081115)?.action).toBe('X');
  });

  it('unknown public element removed', async () => {
    const { result } = await run(PATIENT_A);
    expect(result.dataset.has(0x00089999)).toBe(false);
    expect(result.explain.find((r) => r.tag === 0x00089999)?.reason).toBe('not on the allow-list');
  });

  it('research attributes kept (over-removal guard), unchanged elements with their original bytes', async () => {
    const file = fileOf(plantedDataset(PATIENT_A));
    const result = await deidentify(file, await contextFor(PATIENT_A));
    for (const keyword of [
      'ImageType',
      'Modality',
      'Manufacturer',
      'PatientSex',
      'PatientWeight',
      'SliceThickness',
      'KVP',
      'ConvolutionKernel',
      'InstanceNumber',
      'PixelSpacing',
      'Rows',
      'Columns',
      'BitsAllocated',
      'PhotometricInterpretation',
      'SeriesDescription',
    ]) {
      const t = tag(keyword);
      expect(result.dataset.get(t)?.bytes, keyword).toBe(file.dataset.get(t)?.bytes);
    }
  });

  it('clean descriptors mask the patient identifiers in descriptions, at any depth', async () => {
    const { result } = await run(PATIENT_A);
    expect(getText(result.dataset, tag('StudyDescription'))).toBe('CT CHEST for ***');
    expect(
      getText(
        nested(result.dataset, 'RequestAttributesSequence'),
        tag('RequestedProcedureDescription'),
      ),
    ).toBe('Chest CT ***');
  });

  it("device identity keeps a maker's name that is also the site's; descriptions lose it", async () => {
    // A vendor's test site: the institution is named like the maker. Only the patient's own
    // identifiers are cleaned from the device's identity; every description still loses the site.
    const ds = plantedDataset(PATIENT_A);
    ds.set(tag('InstitutionName'), text('InstitutionName', 'LO', 'TOSHIBA'));
    ds.set(tag('Manufacturer'), text('Manufacturer', 'LO', 'TOSHIBA_MEC'));
    ds.set(tag('ManufacturerModelName'), text('ManufacturerModelName', 'LO', 'SMITHERSON 5'));
    ds.set(tag('SeriesDescription'), text('SeriesDescription', 'LO', 'TOSHIBA protocol'));
    const file = fileOf(ds);
    const result = await deidentify(
      file,
      await contextFor(PATIENT_A, { siteIdentifiers: new Set(['TOSHIBA']) }),
    );
    expect(getText(result.dataset, tag('Manufacturer'))).toBe('TOSHIBA_MEC');
    expect(getText(result.dataset, tag('ManufacturerModelName'))).toBe('*** 5');
    expect(getText(result.dataset, tag('SeriesDescription'))).toBe('*** protocol');
  });

  it("the site's name read from the file itself is not cleaned from the device's identity either", async () => {
    const ds = plantedDataset(PATIENT_A);
    ds.set(tag('InstitutionName'), text('InstitutionName', 'LO', 'TOSHIBA'));
    ds.set(tag('Manufacturer'), text('Manufacturer', 'LO', 'TOSHIBA_MEC'));
    ds.set(tag('SeriesDescription'), text('SeriesDescription', 'LO', 'TOSHIBA protocol'));
    const result = await deidentify(fileOf(ds), await contextFor(PATIENT_A));
    expect(getText(result.dataset, tag('Manufacturer'))).toBe('TOSHIBA_MEC');
    expect(getText(result.dataset, tag('SeriesDescription'))).toBe('*** protocol');
  });

  it('removed elements have rows in the listing, with the value before', async () => {
    const { result } = await run(PATIENT_A);
    const row = result.explain.find((r) => r.keyword === 'PatientReligiousPreference')!;
    expect(row).toMatchObject({ action: 'X', before: 'PASTAFARIAN' });
    expect(result.dataset.has(tag('PatientReligiousPreference'))).toBe(false);
    // With Clean Structured Content (on here) SR free text is kept but cleaned, not removed.
    const nestedRow = result.explain.find((r) => r.path === 'ContentSequence > TextValue');
    expect(nestedRow?.action).toBe('C');
  });

  it('pixel data passes through when the input was read in full, and is absent from a header-only read', async () => {
    const full = (await run(PATIENT_A)).result;
    expect(full.dataset.get(0x7fe00010)?.bytes).toEqual(new Uint8Array([1, 0, 2, 0, 3, 0, 4, 0]));
    const bytes = writeDicomFile({
      dataset: plantedDataset(PATIENT_A),
      transferSyntaxUID: '1.2.840.10008.1.2.1',
    });
    const header = readDicom(bytes, { untilPixelData: true });
    const result = await deidentify(header, await contextFor(PATIENT_A));
    expect(result.dataset.has(0x7fe00010)).toBe(false);
  });
});

describe('deidentify: marks and meta', () => {
  it('marks present with codes: PatientIdentityRemoved, DeidentificationMethod, its code sequence, longitudinal', async () => {
    const { result } = await run(PATIENT_A);
    expect(getText(result.dataset, tag('PatientIdentityRemoved'))).toBe('YES');
    const method = getText(result.dataset, tag('DeidentificationMethod'))!;
    for (const value of method.split('\\')) expect(value.length).toBeLessThanOrEqual(64);
    const codes = result.dataset.get(tag('DeidentificationMethodCodeSequence'))!.items!;
    const values = codes.map((c) => getText(c, tag('CodeValue')));
    expect(values).toEqual(profile.methodCodes.map((c) => c.value));
    expect(values).toContain('113100');
    expect(values).toContain('113107');
    expect(getText(codes[0], tag('CodingSchemeDesignator'))).toBe('DCM');
    expect(getText(codes[0], tag('CodeMeaning'))).toBe('Basic Application Confidentiality Profile');
    expect(getText(result.dataset, tag('LongitudinalTemporalInformationModified'))).toBe(
      'MODIFIED',
    );
  });

  it('file meta: our implementation, the new SOP instance, no source AE title', async () => {
    const ds = plantedDataset(PATIENT_A);
    const bytes = writeDicomFile({
      meta: new Map([[0x00020016, textElement(0x00020016, 'AE', 'HOSPITALPACS')]]),
      dataset: ds,
      transferSyntaxUID: '1.2.840.10008.1.2.1',
    });
    const file = readDicom(bytes);
    expect(getText(file.meta, 0x00020016)).toBe('HOSPITALPACS');
    const result = await deidentify(file, await contextFor(PATIENT_A));
    expect(result.meta.has(0x00020016)).toBe(false);
    expect(getUid(result.meta, tag('ImplementationClassUID'))).toMatch(/^2\.25\./);
    expect(getText(result.meta, tag('ImplementationVersionName'))).toBe('CLEANROOM_0_1');
    const out = readDicom(
      writeDicomFile({
        meta: result.meta,
        dataset: result.dataset,
        transferSyntaxUID: result.transferSyntaxUID,
      }),
    );
    expect(out.meta.has(0x00020016)).toBe(false);
    expect(getUid(out.meta, tag('MediaStorageSOPInstanceUID'))).toBe(
      getUid(out.dataset, tag('SOPInstanceUID')),
    );
  });
});

describe('deidentify: character sets', () => {
  it('charset conversion from ISO_IR 100: kept text re-encoded as UTF-8, SpecificCharacterSet ISO_IR 192, warned', async () => {
    const ds = plantedDataset(PATIENT_A);
    ds.set(tag('SpecificCharacterSet'), text('SpecificCharacterSet', 'CS', 'ISO_IR 100'));
    const latin = (value: string): Uint8Array => {
      const bytes = Uint8Array.from(value, (c) => c.charCodeAt(0));
      return bytes.length % 2 ? Uint8Array.from([...bytes, 0x20]) : bytes;
    };
    ds.set(
      tag('SeriesDescription'),
      bytesElement(tag('SeriesDescription'), 'LO', latin('Tête thorax')),
    );
    ds.set(tag('PatientName'), bytesElement(tag('PatientName'), 'PN', latin('MÜLLER^JÜRGEN')));
    const result = await deidentify(fileOf(ds), await contextFor(PATIENT_A));
    expect(getText(result.dataset, tag('SpecificCharacterSet'))).toBe('ISO_IR 192');
    expect(
      new TextDecoder().decode(result.dataset.get(tag('SeriesDescription'))!.bytes).trimEnd(),
    ).toBe('Tête thorax');
    expect(getText(result.dataset, tag('SeriesDescription'))).toBe('Tête thorax');
    expect(result.warnings).toContain('character set converted from ISO_IR 100 to ISO_IR 192');
    expect(result.explain.find((r) => r.keyword === 'PatientName')?.before).toBe('MÜLLER^JÜRGEN');
  });

  it('ASCII input stays without a character set change', async () => {
    const { result } = await run(PATIENT_A);
    expect(result.dataset.has(tag('SpecificCharacterSet'))).toBe(false);
    expect(result.warnings.filter((w) => w.includes('character set'))).toEqual([]);
  });
});

describe('deidentify: overrides', () => {
  it('overrides: replace, blank, remove by path (with a value condition), accept keeps the profile value', async () => {
    const overrides: Override[] = [
      { path: 'SeriesDescription', action: 'replace', replacement: 'AXIAL' },
      { path: 'BodyPartExamined', action: 'remove' },
      { path: 'ConvolutionKernel', value: 'NOT THIS ONE', action: 'remove' },
      { path: 'Manufacturer', value: 'ACME MEDICAL', action: 'blank' },
      {
        path: 'RequestAttributesSequence > RequestedProcedureDescription',
        action: 'replace',
        replacement: 'CHEST CT',
      },
      { path: '(0019,xx23) "GEMS_ACQU_01"', action: 'remove' },
      { path: 'KVP', action: 'accept' },
    ];
    const { result } = await run(PATIENT_A, { overrides });
    expect(getText(result.dataset, tag('SeriesDescription'))).toBe('AXIAL');
    expect(getText(result.dataset, tag('ConvolutionKernel'))).toBe('STANDARD');
    expect(getText(result.dataset, tag('Manufacturer'))).toBe('');
    expect(
      getText(
        nested(result.dataset, 'RequestAttributesSequence'),
        tag('RequestedProcedureDescription'),
      ),
    ).toBe('CHEST CT');
    expect(result.dataset.has(0x00191023)).toBe(false);
    expect(result.dataset.has(0x0019109e)).toBe(true);
    expect(getText(result.dataset, tag('KVP'))).toBe('120');
    expect(result.explain.find((r) => r.keyword === 'KVP')?.reason).toContain('accepted in review');
    expect(result.explain.find((r) => r.keyword === 'SeriesDescription')?.action).toBe('override');
  });
});

describe('deidentify: the written file', () => {
  it('no planted PHI string anywhere in the written bytes', async () => {
    for (const p of [PATIENT_A, PATIENT_B]) {
      const { bytes } = await run(p);
      const written = latin1(bytes).toUpperCase();
      for (const phi of [
        ...PHI_STRINGS,
        p.name,
        p.id,
        p.birth,
        STUDY_UID,
        SERIES_UID,
        FOR_UID,
        p.sop,
      ]) {
        expect(written, phi).not.toContain(phi.toUpperCase());
      }
      const reread = readDicom(bytes);
      expect(getText(reread.dataset, tag('PatientName'))).toMatch(/^SITE-/);
    }
  });

  it('determinism: the same file, context and secret give byte-identical output', async () => {
    const first = await run(PATIENT_A);
    const second = await run(PATIENT_A);
    expect(second.bytes).toEqual(first.bytes);
    expect(second.result.explain).toEqual(first.result.explain);
  });
});
