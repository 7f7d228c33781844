// Index rows: the inventory's columns read out of one parsed header, and element values by keyword path.

import { tagForKeyword } from '../dicom/dictionary';
import { getNumbers, getText } from '../dicom/element';
import { charsetsOf } from '../dicom/text';
import {
  formatTag,
  isPrivateCreator,
  PIXEL_DATA,
  type Dataset,
  type DicomFile,
  type Tag,
  type VR,
} from '../dicom/types';
import { PATH_SEPARATOR } from './rules';

/** A value read from a header: text, a number, several of either, or undefined when absent. */
export type ElementValue = string | number | (string | number)[] | undefined;

/** A series' identity in the inventory: its SeriesInstanceUID (or a stand-in when it has none). */
export type SeriesKey = string & { readonly __brand: 'SeriesKey' };
/** A study's identity in the inventory: its StudyInstanceUID (or a stand-in when it has none). */
export type StudyKey = string & { readonly __brand: 'StudyKey' };

/**
 * One instance (file) in the inventory. Plain values only (structured-clone and IndexedDB safe).
 * Fields named like DICOM keywords hold that element's value; absent elements are undefined.
 */
export interface InstanceRow {
  /** The file's path relative to the folder the user picked (PHI: never written to a package). */
  path: string;
  fileSize: number;
  TransferSyntaxUID: string;
  hasPixelData: boolean;
  /** Private creator values (gggg,0010-00FF), unique, in tag order, from the whole data set. */
  privateCreators: string[];
  /** Values of extra keyword paths asked for at index time (e.g. the paths a recipe's rules read). */
  extra?: Record<string, ElementValue>;

  PatientID?: string;
  PatientName?: string;
  IssuerOfPatientID?: string;
  StudyInstanceUID?: string;
  StudyDate?: string;
  StudyDescription?: string;
  AccessionNumber?: string;
  SeriesInstanceUID?: string;
  SeriesNumber?: number;
  SeriesDescription?: string;
  Modality?: string;
  SOPClassUID?: string;
  SOPInstanceUID?: string;
  InstanceNumber?: number;
  Rows?: number;
  Columns?: number;
  NumberOfFrames?: number;
  BitsAllocated?: number;
  SamplesPerPixel?: number;
  PhotometricInterpretation?: string;
  Manufacturer?: string;
  ManufacturerModelName?: string;
  StationName?: string;
  BodyPartExamined?: string;
  SliceThickness?: number;
  ImageType?: string[];
  ConversionType?: string;
  BurnedInAnnotation?: string;
  ImagePositionPatient?: number[];
  ImageOrientationPatient?: number[];
  ContrastBolusAgent?: string;
}

type TextColumn =
  | 'PatientID'
  | 'PatientName'
  | 'IssuerOfPatientID'
  | 'StudyInstanceUID'
  | 'StudyDate'
  | 'StudyDescription'
  | 'AccessionNumber'
  | 'SeriesInstanceUID'
  | 'SeriesDescription'
  | 'Modality'
  | 'SOPClassUID'
  | 'SOPInstanceUID'
  | 'PhotometricInterpretation'
  | 'Manufacturer'
  | 'ManufacturerModelName'
  | 'StationName'
  | 'BodyPartExamined'
  | 'ConversionType'
  | 'BurnedInAnnotation'
  | 'ContrastBolusAgent';
type NumberColumn =
  | 'SeriesNumber'
  | 'InstanceNumber'
  | 'Rows'
  | 'Columns'
  | 'NumberOfFrames'
  | 'BitsAllocated'
  | 'SamplesPerPixel'
  | 'SliceThickness';

const TEXT_COLUMNS: readonly TextColumn[] = [
  'PatientID',
  'PatientName',
  'IssuerOfPatientID',
  'StudyInstanceUID',
  'StudyDate',
  'StudyDescription',
  'AccessionNumber',
  'SeriesInstanceUID',
  'SeriesDescription',
  'Modality',
  'SOPClassUID',
  'SOPInstanceUID',
  'PhotometricInterpretation',
  'Manufacturer',
  'ManufacturerModelName',
  'StationName',
  'BodyPartExamined',
  'ConversionType',
  'BurnedInAnnotation',
  'ContrastBolusAgent',
];
const NUMBER_COLUMNS: readonly NumberColumn[] = [
  'SeriesNumber',
  'InstanceNumber',
  'Rows',
  'Columns',
  'NumberOfFrames',
  'BitsAllocated',
  'SamplesPerPixel',
  'SliceThickness',
];

/** The keywords an InstanceRow carries as columns; rules on other paths need `extra`. */
export const ROW_KEYWORDS: readonly string[] = [
  ...TEXT_COLUMNS,
  ...NUMBER_COLUMNS,
  'ImageType',
  'ImagePositionPatient',
  'ImageOrientationPatient',
  'TransferSyntaxUID',
];

const MEDIA_STORAGE_SOP_CLASS_UID = 0x00020002;
const MEDIA_STORAGE_SOP_INSTANCE_UID = 0x00020003;
const TRANSFER_SYNTAX_UID = 0x00020010;
/** The SOP class of a DICOMDIR: readable DICOM, but a directory and not an instance. */
export const MEDIA_STORAGE_DIRECTORY_STORAGE = '1.2.840.10008.1.3.10';

export interface IndexOptions {
  /** The file's size in bytes; defaults to the length of the buffer that was read. */
  fileSize?: number;
  /** Keyword paths to read into `row.extra` besides the columns. */
  extraPaths?: readonly string[];
}

/** Reads the inventory columns of one file. Never throws on odd values: a bad number is left undefined. */
export function indexRow(file: DicomFile, path: string, options: IndexOptions = {}): InstanceRow {
  const ds = file.dataset;
  const row: InstanceRow = {
    path,
    fileSize: options.fileSize ?? file.source.byteLength,
    TransferSyntaxUID:
      file.syntax.transferSyntaxUID || textOf(file.meta, TRANSFER_SYNTAX_UID, []) || '',
    hasPixelData: file.pixelData !== undefined || ds.has(PIXEL_DATA),
    privateCreators: privateCreatorsOf(ds, charsetsOf(ds)),
  };
  for (const keyword of TEXT_COLUMNS) {
    const value = singleText(elementValue(file, keyword));
    if (value !== undefined && value !== '') row[keyword] = value;
  }
  for (const keyword of NUMBER_COLUMNS) {
    const value = elementValue(file, keyword);
    const n = Array.isArray(value) ? value[0] : value;
    if (typeof n === 'number' && Number.isFinite(n)) row[keyword] = n;
  }
  // A DICOMDIR (or a header without these) still says what it is in the meta group.
  row.SOPClassUID ??= textOf(file.meta, MEDIA_STORAGE_SOP_CLASS_UID, []);
  row.SOPInstanceUID ??= textOf(file.meta, MEDIA_STORAGE_SOP_INSTANCE_UID, []);
  const imageType = elementValue(file, 'ImageType');
  if (imageType !== undefined)
    row.ImageType = (Array.isArray(imageType) ? imageType : [imageType]).map(String);
  row.ImagePositionPatient = numberList(elementValue(file, 'ImagePositionPatient'));
  row.ImageOrientationPatient = numberList(elementValue(file, 'ImageOrientationPatient'));
  for (const key of Object.keys(row) as (keyof InstanceRow)[])
    if (row[key] === undefined) delete row[key];
  if (options.extraPaths?.length) {
    row.extra = {};
    for (const p of options.extraPaths) row.extra[p] = elementValue(file, p);
  }
  return row;
}

function singleText(value: ElementValue): string | undefined {
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.map(String).join('\\') : String(value);
}

function numberList(value: ElementValue): number[] | undefined {
  if (value === undefined) return undefined;
  const list = (Array.isArray(value) ? value : [value]).map((v) =>
    typeof v === 'number' ? v : Number(v),
  );
  return list.every(Number.isFinite) ? list : undefined;
}

function textOf(ds: Dataset, tag: Tag, charsets: string[]): string | undefined {
  const t = getText(ds, tag, charsets);
  return t === undefined || t.trim() === '' ? undefined : t.trim();
}

function privateCreatorsOf(ds: Dataset, charsets: string[], out = new Set<string>()): string[] {
  for (const tag of [...ds.keys()].sort((a, b) => a - b)) {
    const el = ds.get(tag)!;
    if (isPrivateCreator(tag) && el.bytes) {
      const creator = getText(ds, tag, charsets)?.trim();
      if (creator) out.add(creator);
    }
    for (const item of el.items ?? []) privateCreatorsOf(item, charsetsOf(item, charsets), out);
  }
  return [...out];
}

/** Parses one step of a keyword path: a keyword, or a tag written (gggg,eeee). */
export function tagForPathStep(step: string): Tag | undefined {
  const m = /^\(([0-9A-Fa-f]{4}),([0-9A-Fa-f]{4})\)$/.exec(step.trim());
  if (m) return ((parseInt(m[1], 16) << 16) | parseInt(m[2], 16)) >>> 0;
  return tagForKeyword(step.trim());
}

const BINARY_NUMBER_VRS = new Set<VR>(['US', 'SS', 'UL', 'SL', 'FL', 'FD', 'SV', 'UV']);
const SINGLE_TEXT_VRS = new Set<VR>(['LT', 'ST', 'UT', 'UR']);
const OPAQUE_VRS = new Set<VR>(['OB', 'OW', 'OF', 'OD', 'OL', 'OV']);

/**
 * The value at a keyword path such as 'Modality' or 'RequestAttributesSequence > RequestedProcedureDescription'
 * (steps may be tags written (gggg,eeee)). Through a sequence, values of every item are collected.
 * Text is decoded with the Specific Character Set in force and split at '\' into several values;
 * IS/DS and binary numbers come back as numbers; a sequence at the end of the path gives its item
 * count (undefined when empty); binary blobs (OB, OW, ...) give undefined; UN gives text when printable.
 */
export function elementValue(file: DicomFile, keywordPath: string): ElementValue {
  const steps = keywordPath.split(PATH_SEPARATOR.trim()).map(tagForPathStep);
  if (steps.some((t) => t === undefined)) return undefined;
  const tags = steps as Tag[];
  const out: (string | number)[] = [];
  const root = charsetsOf(file.dataset);
  const walk = (ds: Dataset, charsets: string[], depth: number): void => {
    const el = ds.get(tags[depth]);
    if (!el) return;
    if (depth < tags.length - 1) {
      for (const item of el.items ?? []) walk(item, charsetsOf(item, charsets), depth + 1);
      return;
    }
    if (el.items) {
      if (el.items.length > 0) out.push(el.items.length);
      return;
    }
    out.push(...leafValues(ds, el.tag, el.vr, charsets, file.syntax.littleEndian));
  };
  walk(file.dataset, root, 0);
  if (out.length === 0) return undefined;
  return out.length === 1 ? out[0] : out;
}

function leafValues(
  ds: Dataset,
  tag: Tag,
  vr: VR,
  charsets: string[],
  littleEndian: boolean,
): (string | number)[] {
  if (BINARY_NUMBER_VRS.has(vr)) return getNumbers(ds, tag, littleEndian) ?? [];
  if (vr === 'IS' || vr === 'DS') {
    const numbers = getNumbers(ds, tag, littleEndian) ?? [];
    if (numbers.every(Number.isFinite)) return numbers;
  }
  if (vr === 'AT') {
    const bytes = ds.get(tag)?.bytes ?? new Uint8Array(0);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const out: string[] = [];
    for (let off = 0; off + 4 <= bytes.length; off += 4) {
      out.push(
        formatTag(
          ((view.getUint16(off, littleEndian) << 16) | view.getUint16(off + 2, littleEndian)) >>> 0,
        ),
      );
    }
    return out;
  }
  if (OPAQUE_VRS.has(vr)) return [];
  if (vr === 'UN') {
    const bytes = ds.get(tag)?.bytes ?? new Uint8Array(0);
    if (!bytes.every((b) => b === 0 || (b >= 0x20 && b < 0x7f))) return [];
  }
  const text = getText(ds, tag, charsets);
  if (text === undefined || text === '') return [];
  if (SINGLE_TEXT_VRS.has(vr)) return [text];
  return text.split('\\').map((v) => v.trim());
}

/** The value a rule sees for a keyword path on a row: a column, or an extra path read at index time. */
export function rowValue(row: InstanceRow, keywordPath: string): ElementValue {
  if (row.extra && keywordPath in row.extra) return row.extra[keywordPath];
  if (!ROW_KEYWORDS.includes(keywordPath)) return undefined;
  const value = (row as unknown as Record<string, ElementValue>)[keywordPath];
  if (typeof value === 'string' && keywordPath !== 'PatientName') {
    return value.includes('\\') ? value.split('\\') : value;
  }
  return value;
}

/** The series a row belongs to. A row without SeriesInstanceUID is grouped by its folder. */
export function seriesKeyOf(row: InstanceRow): SeriesKey {
  if (row.SeriesInstanceUID) return row.SeriesInstanceUID as SeriesKey;
  return `(no SeriesInstanceUID) ${row.path.replace(/[^/]*$/, '')}` as SeriesKey;
}

/** The study a row belongs to. */
export function studyKeyOf(row: InstanceRow): StudyKey {
  if (row.StudyInstanceUID) return row.StudyInstanceUID as StudyKey;
  return `(no StudyInstanceUID) ${row.PatientID ?? ''}` as StudyKey;
}
