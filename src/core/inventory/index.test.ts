import { describe, expect, it } from 'vitest';
import { readDicom } from '../dicom/read';
import { generateSampleSet } from '../sample/sample-set';
import {
  elementValue,
  indexRow,
  MEDIA_STORAGE_DIRECTORY_STORAGE,
  rowValue,
  seriesKeyOf,
  studyKeyOf,
  type InstanceRow,
} from './index';

const set = generateSampleSet();
const read = (path: string) => readDicom(set.files.find((f) => f.path === path)!.bytes);
const ctPath = set.files.find((f) => f.path.includes('SE001_CHEST_0.625MM/IM0002'))!.path;
const mrPath = set.files.find((f) => f.path.includes('SE003_T2_AX/IM0005'))!.path;
const usPath = set.files.find((f) => f.path.includes('/US_'))!.path;

describe('indexRow', () => {
  it('reads the inventory columns as plain values', () => {
    const row = indexRow(read(ctPath), ctPath);
    expect(row).toMatchObject({
      path: ctPath,
      TransferSyntaxUID: '1.2.840.10008.1.2.1',
      hasPixelData: true,
      privateCreators: ['ACME_PRIVATE'],
      PatientID: 'MRN-QX-731904',
      PatientName: 'QUIXOTEHART^ALBERTO^J',
      IssuerOfPatientID: 'BRAMBLEWICK-MRN',
      StudyDate: '20210304',
      AccessionNumber: 'ACC-QX-55012',
      SeriesNumber: 1,
      Modality: 'CT',
      SOPClassUID: '1.2.840.10008.5.1.4.1.1.2',
      InstanceNumber: 2,
      Rows: 64,
      Columns: 64,
      BitsAllocated: 16,
      SliceThickness: 0.625,
      ImageType: ['ORIGINAL', 'PRIMARY', 'AXIAL'],
      ImagePositionPatient: [-160, -160, -49.375],
      ImageOrientationPatient: [1, 0, 0, 0, 1, 0],
      Manufacturer: 'ACME Medical',
      ManufacturerModelName: 'Quasar 64',
      StationName: 'CTQX-STATION-7',
      BodyPartExamined: 'CHEST',
    });
    expect(row.fileSize).toBe(set.files.find((f) => f.path === ctPath)!.bytes.length);
    expect(row.NumberOfFrames).toBeUndefined();
    expect('ContrastBolusAgent' in row).toBe(false); // absent elements leave no key behind
  });

  it('is structured-clone safe', () => {
    const row = indexRow(read(ctPath), ctPath, {
      extraPaths: ['RequestAttributesSequence > RequestedProcedureDescription'],
    });
    expect(structuredClone(row)).toEqual(row);
    expect(
      Object.values(row).every(
        (v) =>
          v === null ||
          typeof v !== 'object' ||
          Array.isArray(v) ||
          Object.getPrototypeOf(v) === Object.prototype,
      ),
    ).toBe(true);
  });

  it('reads implicit VR files, private creators arriving as UN included', () => {
    const row = indexRow(read(mrPath), mrPath);
    expect(row).toMatchObject({
      TransferSyntaxUID: '1.2.840.10008.1.2',
      Modality: 'MR',
      InstanceNumber: 5,
      privateCreators: ['ACME_PRIVATE'],
      Rows: 64,
    });
  });

  it('reads RGB images and BurnedInAnnotation', () => {
    expect(indexRow(read(usPath), usPath)).toMatchObject({
      SamplesPerPixel: 3,
      PhotometricInterpretation: 'RGB',
      BitsAllocated: 8,
      BurnedInAnnotation: 'YES',
      Columns: 480,
    });
  });

  it('takes the SOP class of a DICOMDIR from its meta group', () => {
    const row = indexRow(read('DICOMDIR'), 'DICOMDIR');
    expect(row.SOPClassUID).toBe(MEDIA_STORAGE_DIRECTORY_STORAGE);
    expect(row.hasPixelData).toBe(false);
  });

  it('works on a header-only read, with the file size given', () => {
    const bytes = set.files.find((f) => f.path === ctPath)!.bytes;
    const row = indexRow(readDicom(bytes, { untilPixelData: true }), ctPath, {
      fileSize: bytes.length,
    });
    expect(row.hasPixelData).toBe(true);
    expect(row.fileSize).toBe(bytes.length);
  });
});

describe('elementValue', () => {
  it('walks into sequences with >', () => {
    const file = read(ctPath);
    expect(elementValue(file, 'RequestAttributesSequence > RequestedProcedureDescription')).toBe(
      'Chest CT for Alberto Quixotehart',
    );
    expect(elementValue(file, 'RequestAttributesSequence')).toBe(1); // a sequence gives its item count
    expect(elementValue(file, 'RequestAttributesSequence > AccessionNumber')).toBeUndefined();
  });

  it('reads private elements by tag, in explicit and implicit VR files', () => {
    expect(elementValue(read(ctPath), '(0009,1010)')).toBe('MRN-QX-731904');
    expect(elementValue(read(mrPath), '(0009,1010)')).toBe('MRN-ZM-208866');
    expect(elementValue(read(ctPath), '(0009,0010)')).toBe('ACME_PRIVATE');
  });

  it('gives numbers for IS, DS and US, lists for multi-valued elements, undefined for unknown keywords and blobs', () => {
    const file = read(ctPath);
    expect(elementValue(file, 'RescaleIntercept')).toBe(-1024);
    expect(elementValue(file, 'Rows')).toBe(64);
    expect(elementValue(file, 'PixelSpacing')).toEqual([5, 5]);
    expect(elementValue(file, 'ImageType')).toEqual(['ORIGINAL', 'PRIMARY', 'AXIAL']);
    expect(elementValue(file, 'NoSuchKeyword')).toBeUndefined();
    expect(elementValue(file, 'PixelData')).toBeUndefined();
  });
});

describe('rowValue', () => {
  const row: InstanceRow = {
    path: 'a/b/1.dcm',
    fileSize: 1,
    TransferSyntaxUID: '1.2.840.10008.1.2.1',
    hasPixelData: true,
    privateCreators: [],
    Modality: 'CT',
    ImageType: ['DERIVED', 'SECONDARY'],
    extra: { 'RequestAttributesSequence > RequestedProcedureDescription': 'x' },
  };
  it('reads columns and extra paths, nothing else', () => {
    expect(rowValue(row, 'Modality')).toBe('CT');
    expect(rowValue(row, 'ImageType')).toEqual(['DERIVED', 'SECONDARY']);
    expect(rowValue(row, 'RequestAttributesSequence > RequestedProcedureDescription')).toBe('x');
    expect(rowValue(row, 'path')).toBeUndefined();
    expect(rowValue(row, 'PatientBirthDate')).toBeUndefined();
  });

  it('groups rows without UIDs by folder and patient', () => {
    expect(seriesKeyOf(row)).toBe('(no SeriesInstanceUID) a/b/');
    expect(studyKeyOf(row)).toBe('(no StudyInstanceUID) ');
  });
});
