// The built-in synthetic sample: three fake patients with planted PHI and QA traps, and the answers to check against.

import { EXPLICIT_VR_LITTLE_ENDIAN, IMPLICIT_VR_LITTLE_ENDIAN } from '../dicom/syntax';
import { formatTag, type Dataset } from '../dicom/types';
import { tagForKeyword } from '../dicom/dictionary';
import { writeDicomFile } from '../dicom/write';
import { addPrivateBlock, buildDataset, setElement, type SampleValue } from './build-dataset';
import {
  createRaster,
  ctSliceBytes,
  drawText,
  drawUltrasoundFan,
  fillRect,
  mrSliceBytes,
  type Raster,
  type TextBox,
} from './pixels';
import { createPrng, drawUid, type Prng } from './prng';

export type PlantedKind =
  'name' | 'id' | 'date' | 'address' | 'institution' | 'description' | 'pixels' | 'path';

/** One piece of fake PHI planted in the set: a de-identified package must hold none of them. */
export interface PlantedValue {
  value: string;
  /** 'header (0010,0010)', 'header (0040,0275) > (0032,1060)', 'private (0009,1010)', 'path', 'pixels US'. */
  where: string;
  /** A file that holds it (the first one written; most header values recur in every file of the patient). */
  file?: string;
  kind: PlantedKind;
}

export interface SampleFile {
  path: string;
  bytes: Uint8Array;
}

/** A QA case planted on purpose, with the series (and files) it concerns. */
export interface ExpectedQaCase {
  code: string;
  seriesInstanceUIDs: string[];
  paths: string[];
  studyInstanceUID?: string;
  sopInstanceUID?: string;
}

export interface ExpectedInventory {
  /** Distinct PatientID values among instances (patient 3's study carries a second, mistyped ID). */
  patients: number;
  studies: number;
  series: number;
  /** Readable instance files (a duplicate SOPInstanceUID still counts twice); DICOMDIR excluded. */
  instances: number;
  /** Instance files by Modality. */
  modalities: Record<string, number>;
  ctThinRule: string;
  /** SeriesInstanceUIDs the CT rule selects. */
  ctThinSeries: string[];
  qa: ExpectedQaCase[];
  /** Burned-in text per image: one box per line of text. */
  burnedInText: { path: string; boxes: TextBox[] }[];
  /** Files intake must refuse, with the reason. */
  rejected: { path: string; reason: 'not-dicom' | 'truncated' }[];
  /** Readable DICOM files that are directories, not instances. */
  directories: string[];
}

export interface SampleSet {
  files: SampleFile[];
  answers: PlantedValue[];
  expected: ExpectedInventory;
}

export const CT_THIN_RULE = 'Modality == "CT" and SliceThickness <= 1.0';

const SOP = {
  ct: '1.2.840.10008.5.1.4.1.1.2',
  mr: '1.2.840.10008.5.1.4.1.1.4',
  us: '1.2.840.10008.5.1.4.1.1.6.1',
  sc: '1.2.840.10008.5.1.4.1.1.7',
  cr: '1.2.840.10008.5.1.4.1.1.1',
  dicomdir: '1.2.840.10008.1.3.10',
};

interface Person {
  family: string;
  given: string;
  middle?: string;
  id: string;
  issuer: string;
  otherId: string;
  birthDate: string;
  sex: string;
  institution: string;
  address: string;
  referring: string;
  operator: string;
  station: string;
}

const QUIXOTEHART: Person = {
  family: 'QUIXOTEHART',
  given: 'ALBERTO',
  middle: 'J',
  id: 'MRN-QX-731904',
  issuer: 'BRAMBLEWICK-MRN',
  otherId: 'ALT-QX-99071',
  birthDate: '19580214',
  sex: 'M',
  institution: 'Bramblewick General Hospital',
  address: '17 Larkspur Lane, Fennimore Falls',
  referring: 'PENHALLOW^IGNATIUS',
  operator: 'TRELAWNEY^MORWENNA',
  station: 'CTQX-STATION-7',
};

const ZEPHYRINE: Person = {
  family: 'ZEPHYRINE',
  given: 'MARIGOLD',
  id: 'MRN-ZM-208866',
  issuer: 'HOLLOWMERE-MRN',
  otherId: 'ALT-ZM-41187',
  birthDate: '19840927',
  sex: 'F',
  institution: 'Hollowmere Imaging Centre',
  address: '4 Cobblestone Row, Wrenfield',
  referring: 'ASHGROVE^CORNELIUS',
  operator: 'BELLWEATHER^ODILE',
  station: 'MRZM-SUITE-2',
};

const OAKENSHIELD: Person = {
  family: 'OAKENSHIELD',
  given: 'BARNABY',
  id: 'MRN-OB-660412',
  issuer: 'THISTLEDOWN-MRN',
  otherId: 'ALT-OB-30558',
  birthDate: '19491102',
  sex: 'M',
  institution: 'Thistledown Community Clinic',
  address: '88 Quillfeather Road, Mossbury',
  referring: 'FARTHINGALE^PERPETUA',
  operator: 'GRIMSBY^TOBIAS',
  station: 'SCOB-VIEWER-3',
};

/** Patient 3's second study series carries this mistyped ID: two PatientIDs in one study. */
const OAKENSHIELD_WRONG_ID = 'MRN-OB-660499';

// Header elements that carry planted PHI, and what kind each is.
const PLANTED_KEYWORDS: readonly [string, PlantedKind][] = [
  ['PatientName', 'name'],
  ['PatientID', 'id'],
  ['IssuerOfPatientID', 'institution'],
  ['OtherPatientIDs', 'id'],
  ['PatientBirthDate', 'date'],
  ['AccessionNumber', 'id'],
  ['InstitutionName', 'institution'],
  ['InstitutionAddress', 'address'],
  ['ReferringPhysicianName', 'name'],
  ['OperatorsName', 'name'],
  ['StationName', 'institution'],
  ['StudyDate', 'date'],
  ['SeriesDate', 'date'],
  ['AcquisitionDateTime', 'date'],
  ['ContentDate', 'date'],
  ['StudyDescription', 'description'],
  ['SeriesDescription', 'description'],
];

const ACME_CREATOR = 'ACME_PRIVATE';

class SampleWriter {
  readonly files: SampleFile[] = [];
  readonly answers: PlantedValue[] = [];
  private readonly seen = new Set<string>();

  constructor(readonly prng: Prng) {}

  uid(): string {
    return drawUid(this.prng);
  }

  plant(value: string, where: string, kind: PlantedKind, file: string): void {
    const key = `${where}\u0000${value}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.answers.push({ value, where, kind, file });
  }

  /** Writes a file and records the planted header values it carries. */
  write(
    path: string,
    ds: Dataset,
    surname: string,
    transferSyntaxUID = EXPLICIT_VR_LITTLE_ENDIAN,
  ): Uint8Array {
    const bytes = writeDicomFile({ dataset: ds, transferSyntaxUID });
    this.files.push({ path, bytes });
    this.plantHeader(path, ds, surname);
    return bytes;
  }

  private plantHeader(path: string, ds: Dataset, surname: string): void {
    const decoder = new TextDecoder();
    const text = (d: Dataset, tag: number): string | undefined => {
      const bytes = d.get(tag)?.bytes;
      return bytes ? decoder.decode(bytes).replace(/[\0 ]+$/, '') : undefined;
    };
    for (const [keyword, kind] of PLANTED_KEYWORDS) {
      const tag = tagForKeyword(keyword)!;
      const value = text(ds, tag);
      if (!value) continue;
      // A description is PHI only when a name was typed into it.
      if (kind === 'description' && !value.toUpperCase().includes(surname)) continue;
      this.plant(value, `header ${formatTag(tag)}`, kind, path);
    }
    const requestTag = tagForKeyword('RequestAttributesSequence')!;
    const procedureTag = tagForKeyword('RequestedProcedureDescription')!;
    for (const item of ds.get(requestTag)?.items ?? []) {
      const value = text(item, procedureTag);
      if (value)
        this.plant(
          value,
          `header ${formatTag(requestTag)} > ${formatTag(procedureTag)}`,
          'description',
          path,
        );
    }
    const privateId = text(ds, 0x00091010);
    if (privateId) this.plant(privateId, 'private (0009,1010)', 'id', path);
  }

  addRaw(path: string, bytes: Uint8Array): void {
    this.files.push({ path, bytes });
  }
}

function personName(p: Person): string {
  return [p.family, p.given, p.middle].filter(Boolean).join('^');
}

function patientModule(p: Person, id = p.id): Record<string, SampleValue> {
  return {
    PatientName: personName(p),
    PatientID: id,
    IssuerOfPatientID: p.issuer,
    OtherPatientIDs: p.otherId,
    PatientBirthDate: p.birthDate,
    PatientSex: p.sex,
  };
}

interface Study {
  uid: string;
  date: string;
  time: string;
  accession: string;
  description: string;
  id: string;
}

function studyModule(p: Person, s: Study): Record<string, SampleValue> {
  return {
    SpecificCharacterSet: 'ISO_IR 100',
    StudyInstanceUID: s.uid,
    StudyDate: s.date,
    StudyTime: s.time,
    StudyID: s.id,
    AccessionNumber: s.accession,
    StudyDescription: s.description,
    ReferringPhysicianName: p.referring,
    InstitutionName: p.institution,
    InstitutionAddress: p.address,
    StationName: p.station,
    OperatorsName: p.operator,
    Manufacturer: 'ACME Medical',
  };
}

function imagePixelModule(r: Raster): Record<string, SampleValue | undefined> {
  return {
    SamplesPerPixel: r.channels,
    PhotometricInterpretation: r.channels === 3 ? 'RGB' : 'MONOCHROME2',
    PlanarConfiguration: r.channels === 3 ? 0 : undefined,
    Rows: r.height,
    Columns: r.width,
    BitsAllocated: 8,
    BitsStored: 8,
    HighBit: 7,
    PixelRepresentation: 0,
  };
}

function uint16PixelModule(
  rows: number,
  columns: number,
  signed: boolean,
): Record<string, SampleValue> {
  return {
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'MONOCHROME2',
    Rows: rows,
    Columns: columns,
    BitsAllocated: 16,
    BitsStored: 16,
    HighBit: 15,
    PixelRepresentation: signed ? 1 : 0,
  };
}

function pixelData(ds: Dataset, bytes: Uint8Array, vr: 'OB' | 'OW'): Dataset {
  setElement(ds, tagForKeyword('PixelData')!, bytes, vr);
  return ds;
}

function withAcmePrivate(ds: Dataset, p: Person): Dataset {
  // Its creator is on no known list; its LO holds the patient's ID; its DS looks harmless.
  addPrivateBlock(ds, 0x0009, 0x10, ACME_CREATOR, [
    { element: 0x10, vr: 'LO', value: p.id },
    { element: 0x11, vr: 'DS', value: '2.5' },
  ]);
  return ds;
}

const pad4 = (n: number): string => String(n).padStart(4, '0');
const isoDate = (da: string): string => `${da.slice(0, 4)}-${da.slice(4, 6)}-${da.slice(6, 8)}`;

/** Draws lines of text top-left, 28 px apart, and records each as a pixel answer and a box. */
function burnLines(
  w: SampleWriter,
  r: Raster,
  lines: string[],
  path: string,
  where: string,
  phi: readonly string[],
): TextBox[] {
  const color = r.channels === 3 ? [255, 255, 255] : [255];
  const boxes = lines.map((line, i) => drawText(r, 10, 8 + i * 28, line, 3, color));
  for (const line of lines) if (phi.includes(line)) w.plant(line, where, 'pixels', path);
  return boxes;
}

/** Generates the sample set. The same seed gives byte-identical files; PHI strings do not depend on it. */
export function generateSampleSet(seed = 1): SampleSet {
  const w = new SampleWriter(createPrng(seed));
  const qa: ExpectedQaCase[] = [];
  const burnedInText: { path: string; boxes: TextBox[] }[] = [];
  const rejected: ExpectedInventory['rejected'] = [];

  // ---- Patient 1: CT thin and thick series, a dose report screen save, in one study.
  const p1 = QUIXOTEHART;
  const p1Folder = `${p1.family}_${p1.given}_${p1.id}`;
  const s1: Study = {
    uid: w.uid(),
    date: '20210304',
    time: '101530',
    accession: 'ACC-QX-55012',
    description: 'CT Chest follow-up Quixotehart',
    id: 'QX1',
  };
  const s1Folder = `${p1Folder}/CT_${isoDate(s1.date)}`;
  const frameOfReference = w.uid();
  const request = buildDataset({
    RequestedProcedureDescription: 'Chest CT for Alberto Quixotehart',
    RequestedProcedureID: 'RP-QX-1',
    ScheduledProcedureStepID: 'SPS-QX-1',
  });
  const ctSeries = (
    number: number,
    thickness: number,
    slices: number,
    folder: string,
  ): { uid: string; paths: string[] } => {
    const uid = w.uid();
    const paths: string[] = [];
    for (let i = 0; i < slices; i++) {
      const path = `${s1Folder}/${folder}/IM${pad4(i + 1)}.dcm`;
      const z = -50 + i * thickness;
      const ds = buildDataset({
        ...patientModule(p1),
        ...studyModule(p1, s1),
        SOPClassUID: SOP.ct,
        SOPInstanceUID: w.uid(),
        ImageType: ['ORIGINAL', 'PRIMARY', 'AXIAL'],
        Modality: 'CT',
        SeriesInstanceUID: uid,
        SeriesNumber: number,
        SeriesDate: s1.date,
        SeriesDescription: `CHEST ${thickness}MM`,
        AcquisitionDateTime: '20210304101742.250000',
        ContentDate: s1.date,
        ManufacturerModelName: 'Quasar 64',
        BodyPartExamined: 'CHEST',
        SliceThickness: thickness,
        KVP: 120,
        InstanceNumber: i + 1,
        FrameOfReferenceUID: frameOfReference,
        ImagePositionPatient: [-160, -160, z],
        ImageOrientationPatient: [1, 0, 0, 0, 1, 0],
        PixelSpacing: [5, 5],
        ...uint16PixelModule(64, 64, true),
        WindowCenter: 40,
        WindowWidth: 400,
        RescaleIntercept: -1024,
        RescaleSlope: 1,
        RescaleType: 'HU',
        RequestAttributesSequence: [request],
      });
      pixelData(withAcmePrivate(ds, p1), ctSliceBytes(64, 64, z, w.prng), 'OW');
      w.write(path, ds, p1.family);
      paths.push(path);
    }
    return { uid, paths };
  };
  const thin = ctSeries(1, 0.625, 8, 'SE001_CHEST_0.625MM');
  const thick = ctSeries(2, 5, 4, 'SE002_CHEST_5MM');
  w.plant(p1Folder, 'path', 'path', thin.paths[0]);
  w.plant(isoDate(s1.date), 'path', 'path', thin.paths[0]);
  qa.push({ code: 'unknown-private-creator', seriesInstanceUIDs: [thin.uid], paths: thin.paths });
  qa.push({ code: 'unknown-private-creator', seriesInstanceUIDs: [thick.uid], paths: thick.paths });

  // A fifth thick slice cut off inside its header: intake must refuse it.
  {
    const path = `${s1Folder}/SE002_CHEST_5MM/IM0005.dcm`;
    const ds = buildDataset({
      ...patientModule(p1),
      ...studyModule(p1, s1),
      SOPClassUID: SOP.ct,
      SOPInstanceUID: w.uid(),
      Modality: 'CT',
      SeriesInstanceUID: thick.uid,
    });
    const whole = writeDicomFile({ dataset: ds, transferSyntaxUID: EXPLICIT_VR_LITTLE_ENDIAN });
    const nameAt = indexOfAscii(whole, personName(p1));
    w.addRaw(path, whole.slice(0, nameAt + 4));
    rejected.push({ path, reason: 'truncated' });
  }

  {
    const uid = w.uid();
    const path = `${s1Folder}/SE999_DOSE_REPORT/IM0001.dcm`;
    const r = createRaster(384, 288, 1);
    const lines = [
      `${p1.family} ${p1.given}`,
      `ID ${p1.id}`,
      isoDate(s1.date),
      'DLP 412.7 MGY-CM',
      'CTDIVOL 12.3 MGY',
    ];
    const boxes = burnLines(w, r, lines, path, 'pixels CT dose report', lines.slice(0, 3));
    fillRect(r, 10, 8 + lines.length * 28, 364, 2, [200]);
    const ds = buildDataset({
      ...patientModule(p1),
      ...studyModule(p1, s1),
      SOPClassUID: SOP.sc,
      SOPInstanceUID: w.uid(),
      ImageType: ['DERIVED', 'SECONDARY', 'SCREEN SAVE'],
      Modality: 'CT',
      ConversionType: 'WSD',
      SeriesInstanceUID: uid,
      SeriesNumber: 999,
      SeriesDate: s1.date,
      SeriesDescription: 'Dose Report',
      ContentDate: s1.date,
      InstanceNumber: 1,
      BurnedInAnnotation: 'YES',
      ...imagePixelModule(r),
    });
    pixelData(ds, r.data, 'OB');
    w.write(path, ds, p1.family);
    burnedInText.push({ path, boxes });
    for (const code of [
      'secondary-capture',
      'screen-save',
      'dose-report',
      'burned-in-annotation',
      'derived-or-secondary',
    ]) {
      qa.push({ code, seriesInstanceUIDs: [uid], paths: [path] });
    }
  }

  // ---- Patient 2: an MR series with a missing slice, an ultrasound with text burned in.
  const p2 = ZEPHYRINE;
  const p2Folder = `${p2.family}_${p2.given}_${p2.id}`;
  const s2: Study = {
    uid: w.uid(),
    date: '20220719',
    time: '143200',
    accession: 'ACC-ZM-77301',
    description: 'MR BRAIN WO',
    id: 'ZM1',
  };
  const mr = (() => {
    const uid = w.uid();
    const frame = w.uid();
    const paths: string[] = [];
    for (const n of [1, 2, 3, 5, 6, 7]) {
      const path = `${p2Folder}/MR_${isoDate(s2.date)}/SE003_T2_AX/IM${pad4(n)}.dcm`;
      const z = (n - 1) * 4;
      const ds = buildDataset({
        ...patientModule(p2),
        ...studyModule(p2, s2),
        SOPClassUID: SOP.mr,
        SOPInstanceUID: w.uid(),
        ImageType: ['ORIGINAL', 'PRIMARY', 'M', 'ND'],
        Modality: 'MR',
        SeriesInstanceUID: uid,
        SeriesNumber: 3,
        SeriesDate: s2.date,
        SeriesDescription: 'T2 AX Zephyrine repeat',
        AcquisitionDateTime: '20220719143512.000000',
        ContentDate: s2.date,
        ManufacturerModelName: 'Lodestar 1.5T',
        BodyPartExamined: 'BRAIN',
        ScanningSequence: 'SE',
        SliceThickness: 4,
        SpacingBetweenSlices: 4,
        MagneticFieldStrength: 1.5,
        InstanceNumber: n,
        FrameOfReferenceUID: frame,
        ImagePositionPatient: [-120, -120, z],
        ImageOrientationPatient: [1, 0, 0, 0, 1, 0],
        PixelSpacing: [3.75, 3.75],
        ...uint16PixelModule(64, 64, false),
      });
      pixelData(withAcmePrivate(ds, p2), mrSliceBytes(64, 64, z, w.prng), 'OW');
      // Implicit VR: the reader must fall back on the dictionary, and the private block arrives as UN.
      w.write(path, ds, p2.family, IMPLICIT_VR_LITTLE_ENDIAN);
      paths.push(path);
    }
    w.plant(p2Folder, 'path', 'path', paths[0]);
    w.plant(isoDate(s2.date), 'path', 'path', paths[0]);
    qa.push({ code: 'incomplete-series', seriesInstanceUIDs: [uid], paths });
    qa.push({ code: 'unknown-private-creator', seriesInstanceUIDs: [uid], paths });
    return { uid, paths };
  })();

  {
    const study: Study = {
      uid: w.uid(),
      date: s2.date,
      time: '151045',
      accession: 'ACC-ZM-77302',
      description: 'US ABDOMEN',
      id: 'ZM2',
    };
    const uid = w.uid();
    const path = `${p2Folder}/US_${isoDate(study.date)}/IM0001.dcm`;
    const r = createRaster(480, 360, 3);
    const lines = [`${p2.family} ${p2.given}`, p2.id, `${isoDate(study.date)} 15:10`];
    const boxes = burnLines(w, r, lines, path, 'pixels US', lines);
    drawUltrasoundFan(r, 100, w.prng);
    const ds = buildDataset({
      ...patientModule(p2),
      ...studyModule(p2, study),
      SOPClassUID: SOP.us,
      SOPInstanceUID: w.uid(),
      ImageType: ['ORIGINAL', 'PRIMARY', 'ABDOMINAL'],
      Modality: 'US',
      SeriesInstanceUID: uid,
      SeriesNumber: 1,
      SeriesDate: study.date,
      ContentDate: study.date,
      ManufacturerModelName: 'Sonority 9',
      BodyPartExamined: 'ABDOMEN',
      InstanceNumber: 1,
      BurnedInAnnotation: 'YES',
      ...imagePixelModule(r),
    });
    pixelData(ds, r.data, 'OB');
    w.write(path, ds, p2.family);
    burnedInText.push({ path, boxes });
    qa.push({ code: 'burned-in-annotation', seriesInstanceUIDs: [uid], paths: [path] });
  }

  // ---- Patient 3: a screenshot twice under one SOPInstanceUID, and a CR filed under a mistyped ID.
  const p3 = OAKENSHIELD;
  const p3Folder = `${p3.family}_${p3.given}_${p3.id}`;
  const s3: Study = {
    uid: w.uid(),
    date: '20191123',
    time: '090512',
    accession: 'ACC-OB-10934',
    description: 'OUTSIDE IMAGES',
    id: 'OB1',
  };
  const s3Folder = `${p3Folder}/SC_${isoDate(s3.date)}`;
  const sc = (() => {
    const uid = w.uid();
    const sop = w.uid();
    const paths = [1, 2].map((n) => `${s3Folder}/SE100_SCREENS/IM${pad4(n)}.dcm`);
    const r = createRaster(384, 288, 1);
    fillRect(r, 0, 0, 384, 288, [24]);
    const lines = [`${p3.family} ${p3.given}`, p3.id, `DOB ${isoDate(p3.birthDate)}`];
    const boxes = burnLines(w, r, lines, paths[0], 'pixels SC', lines);
    fillRect(r, 60, 100, 264, 170, [90]);
    fillRect(r, 120, 140, 140, 90, [150]);
    paths.forEach((path, i) => {
      const ds = buildDataset({
        ...patientModule(p3),
        ...studyModule(p3, s3),
        SOPClassUID: SOP.sc,
        SOPInstanceUID: sop,
        ImageType: ['DERIVED', 'SECONDARY'],
        Modality: 'OT',
        ConversionType: 'WSD',
        SeriesInstanceUID: uid,
        SeriesNumber: 100,
        SeriesDate: s3.date,
        SeriesDescription: 'Screen capture',
        ContentDate: s3.date,
        InstanceNumber: i + 1,
        ...imagePixelModule(r),
      });
      pixelData(ds, r.data, 'OB');
      w.write(path, ds, p3.family);
      burnedInText.push({ path, boxes });
    });
    w.plant(p3Folder, 'path', 'path', paths[0]);
    w.plant(isoDate(s3.date), 'path', 'path', paths[0]);
    qa.push({
      code: 'duplicate-sop-instance',
      seriesInstanceUIDs: [uid],
      paths,
      sopInstanceUID: sop,
    });
    qa.push({ code: 'secondary-capture', seriesInstanceUIDs: [uid], paths });
    qa.push({ code: 'derived-or-secondary', seriesInstanceUIDs: [uid], paths });
    return { uid, paths };
  })();

  const cr = (() => {
    const uid = w.uid();
    const path = `${s3Folder}/SE101_CR/IM0001.dcm`;
    const ds = buildDataset({
      ...patientModule(p3, OAKENSHIELD_WRONG_ID),
      ...studyModule(p3, s3),
      SOPClassUID: SOP.cr,
      SOPInstanceUID: w.uid(),
      ImageType: ['ORIGINAL', 'PRIMARY'],
      Modality: 'CR',
      SeriesInstanceUID: uid,
      SeriesNumber: 101,
      SeriesDate: s3.date,
      ContentDate: s3.date,
      BodyPartExamined: 'CHEST',
      InstanceNumber: 1,
      ...uint16PixelModule(64, 64, false),
    });
    pixelData(ds, mrSliceBytes(64, 64, 0, w.prng), 'OW');
    w.write(path, ds, p3.family);
    return { uid, path };
  })();
  qa.push({
    code: 'several-patients-in-study',
    seriesInstanceUIDs: [sc.uid, cr.uid],
    paths: [...sc.paths, cr.path],
    studyInstanceUID: s3.uid,
  });

  // ---- Not instances: a DICOMDIR naming patient 1, a text file, (the truncated slice above).
  {
    const record = buildDataset({
      OffsetOfTheNextDirectoryRecord: 0,
      RecordInUseFlag: 0xffff,
      OffsetOfReferencedLowerLevelDirectoryEntity: 0,
      DirectoryRecordType: 'PATIENT',
      PatientName: personName(p1),
      PatientID: p1.id,
    });
    const ds = buildDataset({
      FileSetID: 'QXSET1',
      OffsetOfTheFirstDirectoryRecordOfTheRootDirectoryEntity: 0,
      OffsetOfTheLastDirectoryRecordOfTheRootDirectoryEntity: 0,
      FileSetConsistencyFlag: 0,
      DirectoryRecordSequence: [record],
    });
    const meta = buildDataset({
      MediaStorageSOPClassUID: SOP.dicomdir,
      MediaStorageSOPInstanceUID: w.uid(),
    });
    w.addRaw(
      'DICOMDIR',
      writeDicomFile({ meta, dataset: ds, transferSyntaxUID: EXPLICIT_VR_LITTLE_ENDIAN }),
    );
  }
  w.addRaw(
    'notes.txt',
    new TextEncoder().encode(
      `Transfer notes\nCT for ${p1.family}, see MRN on the request.\nBurn to disc before Friday.\n`,
    ),
  );
  rejected.push({ path: 'notes.txt', reason: 'not-dicom' });

  const modalities = {
    CT: thin.paths.length + thick.paths.length + 1,
    MR: mr.paths.length,
    US: 1,
    OT: sc.paths.length,
    CR: 1,
  };
  const expected: ExpectedInventory = {
    patients: 4,
    studies: 4,
    series: 7,
    instances: Object.values(modalities).reduce((a, b) => a + b, 0),
    modalities,
    ctThinRule: CT_THIN_RULE,
    ctThinSeries: [thin.uid],
    qa,
    burnedInText,
    rejected,
    directories: ['DICOMDIR'],
  };
  return { files: w.files, answers: w.answers, expected };
}

function indexOfAscii(bytes: Uint8Array, text: string): number {
  const needle = new TextEncoder().encode(text);
  outer: for (let i = 0; i + needle.length <= bytes.length; i++) {
    for (let j = 0; j < needle.length; j++) if (bytes[i + j] !== needle[j]) continue outer;
    return i;
  }
  throw new Error('indexOfAscii: text not found');
}
