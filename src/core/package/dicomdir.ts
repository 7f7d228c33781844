// The package's DICOMDIR (PS3.10 7.2, PS3.3 Annex F Basic Directory IOD): patient, study, series and
// instance records (IMAGE, SR DOCUMENT, ENCAP DOC, RT DOSE, ... by SOP class) built from
// de-identified values only, with byte offsets that point at each record.
import { textElement, uint16Element, uint32Element, sequenceElement } from '../dicom/element';
import { tagForKeyword, vrForTag } from '../dicom/dictionary';
import { writeDicomFile } from '../dicom/write';
import { EXPLICIT_VR_LITTLE_ENDIAN } from '../dicom/syntax';
import type { DataElement, Dataset, Tag, VR } from '../dicom/types';
import { sha256Hex } from './sha256';
import { dummyText } from '../deid/values';
import {
  CODE_ITEM_KEYWORDS,
  CONCEPT_NAME_CODE_SEQUENCE,
  directoryRecordTypeOf,
  RECORD_KEYS,
} from './dicomdir-records';

/** Media Storage Directory Storage (PS3.4 Annex B). */
export const MEDIA_STORAGE_DIRECTORY_SOP_CLASS = '1.2.840.10008.1.3.10';

/** One file of the file-set, with the de-identified values its records need. */
export interface DicomdirFile {
  /** File ID components (PS3.10 8.2): at most 8, each 1–8 of A–Z, 0–9 and _. */
  fileId: readonly string[];
  PatientID: string;
  PatientName?: string;
  StudyInstanceUID: string;
  StudyDate?: string;
  StudyTime?: string;
  StudyDescription?: string;
  StudyID?: string;
  AccessionNumber?: string;
  SeriesInstanceUID: string;
  Modality?: string;
  SeriesNumber?: string;
  SOPClassUID: string;
  SOPInstanceUID: string;
  TransferSyntaxUID: string;
  InstanceNumber?: string;
  /**
   * The instance record's keys by value path (collectDirectoryKeys): 'ContentDate',
   * 'CompletionFlag', 'ConceptNameCodeSequence > CodeValue', 'MIMETypeOfEncapsulatedDocument', ...
   */
  keys?: Readonly<Record<string, string>>;
}

export class DicomdirError extends Error {
  constructor(
    message: string,
    readonly fileIndex?: number,
  ) {
    super(message);
    this.name = 'DicomdirError';
  }
}

const T = {
  FileSetID: 0x00041130,
  OffsetOfFirstRootRecord: 0x00041200,
  OffsetOfLastRootRecord: 0x00041202,
  FileSetConsistencyFlag: 0x00041212,
  DirectoryRecordSequence: 0x00041220,
  OffsetOfTheNextDirectoryRecord: 0x00041400,
  RecordInUseFlag: 0x00041410,
  OffsetOfReferencedLowerLevelDirectoryEntity: 0x00041420,
  DirectoryRecordType: 0x00041430,
  ReferencedFileID: 0x00041500,
  ReferencedSOPClassUIDInFile: 0x00041510,
  ReferencedSOPInstanceUIDInFile: 0x00041511,
  ReferencedTransferSyntaxUIDInFile: 0x00041512,
  SpecificCharacterSet: 0x00080005,
  StudyDate: 0x00080020,
  StudyTime: 0x00080030,
  AccessionNumber: 0x00080050,
  Modality: 0x00080060,
  StudyDescription: 0x00081030,
  PatientName: 0x00100010,
  PatientID: 0x00100020,
  StudyInstanceUID: 0x0020000d,
  SeriesInstanceUID: 0x0020000e,
  StudyID: 0x00200010,
  SeriesNumber: 0x00200011,
  InstanceNumber: 0x00200013,
  MediaStorageSOPClassUID: 0x00020002,
  MediaStorageSOPInstanceUID: 0x00020003,
} as const;

const FILE_ID_COMPONENT = /^[A-Z0-9_]{1,8}$/;
const ITEM_HEADER = 8;
const ITEM_DELIMITATION = 8;
const SEQUENCE_DELIMITATION = 8;

/** Throws unless the components form a valid File ID (PS3.10 8.2, PS3.12 ISO 9660 level 1). */
export function checkFileId(components: readonly string[], index?: number): void {
  if (
    components.length === 0 ||
    components.length > 8 ||
    !components.every((c) => FILE_ID_COMPONENT.test(c))
  )
    throw new DicomdirError(
      `File ${index ?? '?'}: a DICOMDIR File ID needs 1 to 8 components of 1 to 8 characters A-Z, 0-9 or _.`,
      index,
    );
}

/** A record under construction: its elements and its children, in the order they are written. */
interface RecordNode {
  elements: DataElement[];
  children: RecordNode[];
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7e) return false;
  return true;
}

function recordNode(
  type: string,
  keys: [Tag, VR, string | undefined][],
  more: DataElement[] = [],
  moreText: readonly string[] = [],
): RecordNode {
  const elements: DataElement[] = [
    // Offsets are filled in once every record's position is known (fixed 4 bytes, so sizes hold).
    uint32Element(T.OffsetOfTheNextDirectoryRecord, 0),
    // Retired in PS3.3 since 2008, yet dciodvfy still requires it as Type 1; 0xFFFF is "in use".
    uint16Element(T.RecordInUseFlag, 0xffff),
    uint32Element(T.OffsetOfReferencedLowerLevelDirectoryEntity, 0),
    textElement(T.DirectoryRecordType, 'CS', type),
  ];
  if (keys.some(([, , v]) => v !== undefined && !isAscii(v)) || !moreText.every(isAscii))
    elements.push(textElement(T.SpecificCharacterSet, 'CS', 'ISO_IR 192'));
  for (const [tag, vr, value] of keys) elements.push(keyElement(tag, vr, value ?? ''));
  return { elements: [...elements, ...more], children: [] };
}

/** A DA or TM value as the VR requires ('14:04:38' → '140438'), or undefined when it cannot be. */
function validValue(value: string | undefined, vr: VR): string | undefined {
  if (value === undefined) return undefined;
  if (vr === 'TM') {
    const time = value.trim().replaceAll(':', '');
    return /^\d{2}(\d{2}(\d{2}(\.\d{1,6})?)?)?$/.test(time) ? time : undefined;
  }
  if (vr === 'DA') {
    const date = value.trim().replaceAll('.', '');
    return /^\d{8}$/.test(date) ? date : undefined;
  }
  return value;
}

/**
 * A Type 1 key must have a value (PS3.3 F.5); when the file has none (or de-identification emptied
 * it), the record gets `fallback` or the dummy the de-identifier writes for the VR (PS3.15 E.1,
 * action D), never a value made up to look real.
 */
function type1(value: string | undefined, vr: VR, fallback?: string): string {
  const valid = validValue(value, vr);
  return valid || fallback || dummyText(vr) || '';
}

/** A Type 2 key: its valid value, or empty. */
function type2(value: string | undefined, vr: VR): string {
  return validValue(value, vr) ?? '';
}

/** A key element: text VRs as text, US and UL as binary numbers (empty when there is no value). */
function keyElement(tag: Tag, vr: VR, value: string): DataElement {
  if (vr !== 'US' && vr !== 'UL') return textElement(tag, vr, value);
  const numbers = value === '' ? [] : value.split('\\').map(Number);
  return vr === 'US' ? uint16Element(tag, numbers) : uint32Element(tag, numbers);
}

/** The ConceptNameCodeSequence of a record: one code item, or empty when the file has none. */
function codeSequence(keys: Readonly<Record<string, string>>): DataElement {
  const item: DataElement[] = [];
  for (const keyword of CODE_ITEM_KEYWORDS) {
    const value = keys[`${CONCEPT_NAME_CODE_SEQUENCE} > ${keyword}`];
    const tag = tagForKeyword(keyword);
    if (value !== undefined && value !== '' && tag !== undefined)
      item.push(textElement(tag, vrForTag(tag), value));
  }
  return sequenceElement(
    tagForKeyword(CONCEPT_NAME_CODE_SEQUENCE)!,
    item.length > 0 ? [datasetOf(item)] : [],
  );
}

/**
 * The instance's record: its type by SOP class and that type's keys (PS3.3 F.5). Type 2 keys the
 * file lacks are written empty, Type 1C and 3 keys only when present. A file without an
 * InstanceNumber (Type 1 in every instance record) gets its position in its series, so the record
 * stays valid; other Type 1 keys come from the file as de-identified.
 */
function instanceRecord(f: DicomdirFile, ordinal: number): RecordNode {
  const type = directoryRecordTypeOf(f.SOPClassUID);
  const values = f.keys ?? {};
  const keys: [Tag, VR, string | undefined][] = [];
  const more: DataElement[] = [];
  for (const { keyword, type: keyType } of RECORD_KEYS[type]) {
    if (keyword === CONCEPT_NAME_CODE_SEQUENCE) {
      const hasCode = CODE_ITEM_KEYWORDS.some((k) => values[`${keyword} > ${k}`]);
      if (hasCode || keyType === '1' || keyType === '2') more.push(codeSequence(values));
      continue;
    }
    const tag = tagForKeyword(keyword);
    if (tag === undefined) continue;
    const vr = vrForTag(tag);
    const value =
      keyword === 'InstanceNumber' ? f.InstanceNumber || values[keyword] : values[keyword];
    if (keyType === '1')
      keys.push([tag, vr, type1(value, vr, keyword === 'InstanceNumber' ? String(ordinal) : '')]);
    else if (keyType === '2') keys.push([tag, vr, type2(value, vr)]);
    else if (validValue(value, vr)) keys.push([tag, vr, validValue(value, vr)]);
  }
  const codeText = CODE_ITEM_KEYWORDS.map(
    (k) => values[`${CONCEPT_NAME_CODE_SEQUENCE} > ${k}`] ?? '',
  );
  return recordNode(
    type,
    keys,
    [
      ...more,
      textElement(T.ReferencedFileID, 'CS', f.fileId.join('\\')),
      textElement(T.ReferencedSOPClassUIDInFile, 'UI', f.SOPClassUID),
      textElement(T.ReferencedSOPInstanceUIDInFile, 'UI', f.SOPInstanceUID),
      textElement(T.ReferencedTransferSyntaxUIDInFile, 'UI', f.TransferSyntaxUID),
    ],
    codeText,
  );
}

/** Groups files into the patient → study → series → image tree, in the order files first appear. */
function buildTree(files: readonly DicomdirFile[]): RecordNode[] {
  const patients = new Map<
    string,
    {
      node: RecordNode;
      studies: Map<string, { node: RecordNode; series: Map<string, RecordNode> }>;
    }
  >();
  files.forEach((f, i) => {
    checkFileId(f.fileId, i);
    let patient = patients.get(f.PatientID);
    if (!patient) {
      patient = {
        node: recordNode('PATIENT', [
          [T.PatientName, 'PN', type2(f.PatientName, 'PN')],
          [T.PatientID, 'LO', type1(f.PatientID, 'LO')],
        ]),
        studies: new Map(),
      };
      patients.set(f.PatientID, patient);
    }
    let study = patient.studies.get(f.StudyInstanceUID);
    if (!study) {
      study = {
        node: recordNode('STUDY', [
          [T.StudyDate, 'DA', type1(f.StudyDate, 'DA')],
          [T.StudyTime, 'TM', type1(f.StudyTime, 'TM')],
          [T.AccessionNumber, 'SH', type2(f.AccessionNumber, 'SH')],
          [T.StudyDescription, 'LO', type2(f.StudyDescription, 'LO')],
          [T.StudyInstanceUID, 'UI', f.StudyInstanceUID],
          [T.StudyID, 'SH', type1(f.StudyID, 'SH')],
        ]),
        series: new Map(),
      };
      patient.studies.set(f.StudyInstanceUID, study);
      patient.node.children.push(study.node);
    }
    let series = study.series.get(f.SeriesInstanceUID);
    if (!series) {
      series = recordNode('SERIES', [
        [T.Modality, 'CS', type1(f.Modality, 'CS', 'OT')],
        [T.SeriesInstanceUID, 'UI', f.SeriesInstanceUID],
        [T.SeriesNumber, 'IS', type1(f.SeriesNumber, 'IS', String(study.series.size + 1))],
      ]);
      study.series.set(f.SeriesInstanceUID, series);
      study.node.children.push(series);
    }
    series.children.push(instanceRecord(f, series.children.length + 1));
  });
  return [...patients.values()].map((p) => p.node);
}

/** Records depth-first (a parent before its children), the order they are written in. */
function flatten(level: RecordNode[], out: RecordNode[] = []): RecordNode[] {
  for (const node of level) {
    out.push(node);
    flatten(node.children, out);
  }
  return out;
}

function datasetOf(elements: readonly DataElement[]): Dataset {
  return new Map(elements.map((e) => [e.tag >>> 0, e]));
}

/** Size of one record item as writeDicomFile writes it: item header, elements, item delimitation. */
function itemSize(record: RecordNode, emptyFile: number): number {
  // The writer writes items with undefined length, so an item is its header, body and delimiter.
  const probe = writeDicomFile({
    meta: new Map(),
    dataset: datasetOf(record.elements),
    transferSyntaxUID: EXPLICIT_VR_LITTLE_ENDIAN,
  });
  return ITEM_HEADER + (probe.length - emptyFile) + ITEM_DELIMITATION;
}

/** A 2.25 UID (PS3.5 B.2) from a SHA-256 of the text: the same file-set gets the same UID. */
async function uidFromText(text: string): Promise<string> {
  const hex = await sha256Hex(new TextEncoder().encode(text));
  return `2.25.${BigInt(`0x${hex.slice(0, 32)}`).toString()}`;
}

/** FileSetID (CS, at most 16 characters) from the package name. */
export function fileSetIdOf(name: string): string {
  return (
    name
      .toUpperCase()
      .replace(/[^A-Z0-9_ ]/g, '_')
      .slice(0, 16) || 'CLEANROOM'
  );
}

/**
 * Writes the DICOMDIR for the files, in Explicit VR Little Endian. Offsets (0004,1200), (0004,1202),
 * (0004,1400) and (0004,1420) are byte positions of the records' item tags from the start of the
 * file (PS3.10 7.2, PS3.3 F.3.2.1), and 0 where there is no record. Deterministic: the same files
 * give the same bytes (MediaStorageSOPInstanceUID is derived from the instances it lists).
 */
export async function buildDicomdir(
  files: readonly DicomdirFile[],
  options: { fileSetId: string },
): Promise<Uint8Array> {
  const roots = buildTree(files);
  const records = flatten(roots);
  const instanceUid = await uidFromText(
    `cleanroom-dicomdir\u0000${files.map((f) => f.SOPInstanceUID).join('\u0000')}`,
  );
  const meta: Dataset = datasetOf([
    textElement(T.MediaStorageSOPClassUID, 'UI', MEDIA_STORAGE_DIRECTORY_SOP_CLASS),
    textElement(T.MediaStorageSOPInstanceUID, 'UI', instanceUid),
  ]);
  const top = (items: Dataset[], first: number, last: number): Dataset =>
    datasetOf([
      textElement(T.FileSetID, 'CS', fileSetIdOf(options.fileSetId)),
      uint32Element(T.OffsetOfFirstRootRecord, first),
      uint32Element(T.OffsetOfLastRootRecord, last),
      uint16Element(T.FileSetConsistencyFlag, 0),
      sequenceElement(T.DirectoryRecordSequence, items),
    ]);
  const write = (dataset: Dataset): Uint8Array =>
    writeDicomFile({ meta, dataset, transferSyntaxUID: EXPLICIT_VR_LITTLE_ENDIAN });

  // The sequence is the last element, written with undefined length: its first item starts where
  // an empty sequence's delimitation item would.
  const firstItemAt = write(top([], 0, 0)).length - SEQUENCE_DELIMITATION;
  const emptyFile = writeDicomFile({
    meta: new Map(),
    dataset: new Map(),
    transferSyntaxUID: EXPLICIT_VR_LITTLE_ENDIAN,
  }).length;
  const offsets = new Map<RecordNode, number>();
  let at = firstItemAt;
  for (const r of records) {
    offsets.set(r, at);
    at += itemSize(r, emptyFile);
  }
  const setOffset = (r: RecordNode, tag: Tag, value: number): void => {
    const i = r.elements.findIndex((e) => e.tag === tag);
    r.elements[i] = uint32Element(tag, value);
  };
  const link = (level: RecordNode[]): void => {
    level.forEach((node, i) => {
      const next = level[i + 1];
      setOffset(node, T.OffsetOfTheNextDirectoryRecord, next ? offsets.get(next)! : 0);
      const child = node.children[0];
      setOffset(
        node,
        T.OffsetOfReferencedLowerLevelDirectoryEntity,
        child ? offsets.get(child)! : 0,
      );
      link(node.children);
    });
  };
  link(roots);
  const first = roots[0] ? offsets.get(roots[0])! : 0;
  const last = roots.length > 0 ? offsets.get(roots[roots.length - 1])! : 0;
  const bytes = write(
    top(
      records.map((r) => datasetOf(r.elements)),
      first,
      last,
    ),
  );
  if (bytes.length !== at + SEQUENCE_DELIMITATION)
    throw new DicomdirError('The DICOMDIR records did not come out at the planned offsets.');
  return bytes;
}

/**
 * Hands out File IDs under `DICOM/` in package order: `DICOM/PA000001/ST000001/SE000001/IM000001`.
 * Numbers count patients, studies within the patient, series within the study and files within
 * the series, in the order given, so they reveal nothing but that order.
 */
export class FileIdAllocator {
  private patient = '';
  private study = '';
  private series = '';
  private counts = { patient: 0, study: 0, series: 0, image: 0 };

  allocate(keys: { patient: string; study: string; series: string }): string[] {
    const c = this.counts;
    if (keys.patient !== this.patient) {
      this.patient = keys.patient;
      this.study = this.series = '\u0000';
      c.patient++;
      c.study = 0;
    }
    if (keys.study !== this.study) {
      this.study = keys.study;
      this.series = '\u0000';
      c.study++;
      c.series = 0;
    }
    if (keys.series !== this.series) {
      this.series = keys.series;
      c.series++;
      c.image = 0;
    }
    c.image++;
    return [
      'DICOM',
      `PA${pad(c.patient)}`,
      `ST${pad(c.study)}`,
      `SE${pad(c.series)}`,
      `IM${pad(c.image)}`,
    ];
  }
}

function pad(n: number): string {
  if (n > 999_999)
    throw new DicomdirError('More than 999,999 records at one level of the DICOMDIR.');
  return String(n).padStart(6, '0');
}
