// Which DICOMDIR directory record a stored object gets (PS3.3 F.5: IMAGE, SR DOCUMENT, ENCAP DOC,
// RT DOSE, ...) and the record keys each record type carries, read from de-identified values only.

/** The instance-level directory record types of PS3.3 Table F.4-1 that Cleanroom writes. */
export type LeafRecordType =
  | 'IMAGE'
  | 'RT DOSE'
  | 'RT STRUCTURE SET'
  | 'RT PLAN'
  | 'RT TREAT RECORD'
  | 'PRESENTATION'
  | 'WAVEFORM'
  | 'SR DOCUMENT'
  | 'KEY OBJECT DOC'
  | 'SPECTROSCOPY'
  | 'RAW DATA'
  | 'REGISTRATION'
  | 'FIDUCIAL'
  | 'ENCAP DOC'
  | 'VALUE MAP'
  | 'STEREOMETRIC'
  | 'MEASUREMENT'
  | 'SURFACE'
  | 'SURFACE SCAN'
  | 'TRACT'
  | 'ASSESSMENT'
  | 'RADIOTHERAPY'
  | 'PLAN'
  | 'ANNOTATION';

/**
 * A record key: the keyword and its type in the record (PS3.3 F.5). Type 1 must have a value;
 * Type 2 is written empty when the file has none; Type 1C and 3 are written only when present.
 */
export interface RecordKey {
  keyword: string;
  type: '1' | '1C' | '2' | '3';
}

/** The code item of ConceptNameCodeSequence, read from `ConceptNameCodeSequence > X` values. */
export const CONCEPT_NAME_CODE_SEQUENCE = 'ConceptNameCodeSequence';
export const CODE_ITEM_KEYWORDS = [
  'CodeValue',
  'CodingSchemeDesignator',
  'CodingSchemeVersion',
  'CodeMeaning',
  'LongCodeValue',
  'URNCodeValue',
] as const;
/** The latest verifying observer's time is the SR record's VerificationDateTime (PS3.3 F.5.25). */
const VERIFICATION_PATH = 'VerifyingObserverSequence > VerificationDateTime';

const key = (keyword: string, type: RecordKey['type']): RecordKey => ({ keyword, type });
const CONTENT_ID: RecordKey[] = [
  key('ContentDate', '1'),
  key('ContentTime', '1'),
  key('InstanceNumber', '1'),
  key('ContentLabel', '1'),
  key('ContentDescription', '2'),
  key('ContentCreatorName', '2'),
];
const CONTENT: RecordKey[] = [
  key('ContentDate', '1'),
  key('ContentTime', '1'),
  key('InstanceNumber', '1'),
];

/** The keys of each record type beside the record's own elements (PS3.3 F.5.x). */
export const RECORD_KEYS: Readonly<Record<LeafRecordType, readonly RecordKey[]>> = {
  IMAGE: [key('InstanceNumber', '1')],
  'RT DOSE': [key('InstanceNumber', '1'), key('DoseSummationType', '1'), key('DoseComment', '3')],
  'RT STRUCTURE SET': [
    key('InstanceNumber', '1'),
    key('StructureSetLabel', '1'),
    key('StructureSetDate', '2'),
    key('StructureSetTime', '2'),
  ],
  'RT PLAN': [
    key('InstanceNumber', '1'),
    key('RTPlanLabel', '1'),
    key('RTPlanDate', '2'),
    key('RTPlanTime', '2'),
  ],
  'RT TREAT RECORD': [
    key('InstanceNumber', '1'),
    key('TreatmentDate', '2'),
    key('TreatmentTime', '2'),
  ],
  PRESENTATION: [
    key('PresentationCreationDate', '1'),
    key('PresentationCreationTime', '1'),
    key('InstanceNumber', '1'),
    key('ContentLabel', '1'),
    key('ContentDescription', '2'),
    key('ContentCreatorName', '2'),
  ],
  WAVEFORM: CONTENT,
  'SR DOCUMENT': [
    key('InstanceNumber', '1'),
    key('CompletionFlag', '1'),
    key('VerificationFlag', '1'),
    key('ContentDate', '1'),
    key('ContentTime', '1'),
    key('VerificationDateTime', '1C'),
    key(CONCEPT_NAME_CODE_SEQUENCE, '1'),
  ],
  'KEY OBJECT DOC': [
    key('ContentDate', '1'),
    key('ContentTime', '1'),
    key('InstanceNumber', '1'),
    key(CONCEPT_NAME_CODE_SEQUENCE, '1'),
  ],
  SPECTROSCOPY: [
    key('ImageType', '1'),
    key('ContentDate', '1'),
    key('ContentTime', '1'),
    key('InstanceNumber', '1'),
    key('NumberOfFrames', '1'),
    key('Rows', '1'),
    key('Columns', '1'),
    key('DataPointRows', '1'),
    key('DataPointColumns', '1'),
  ],
  'RAW DATA': CONTENT,
  REGISTRATION: CONTENT_ID,
  FIDUCIAL: CONTENT_ID,
  'ENCAP DOC': [
    key('ContentDate', '2'),
    key('ContentTime', '2'),
    key('InstanceNumber', '1'),
    key('DocumentTitle', '2'),
    key('HL7InstanceIdentifier', '1C'),
    key(CONCEPT_NAME_CODE_SEQUENCE, '2'),
    key('MIMETypeOfEncapsulatedDocument', '1'),
  ],
  'VALUE MAP': CONTENT_ID,
  STEREOMETRIC: [],
  MEASUREMENT: CONTENT_ID,
  SURFACE: CONTENT_ID,
  'SURFACE SCAN': [key('ContentDate', '1'), key('ContentTime', '1')],
  TRACT: CONTENT_ID,
  ASSESSMENT: [
    key('InstanceNumber', '1'),
    key('InstanceCreationDate', '1'),
    key('InstanceCreationTime', '2'),
  ],
  RADIOTHERAPY: [
    key('InstanceNumber', '1'),
    key('UserContentLabel', '1C'),
    key('UserContentLongLabel', '1C'),
    key('ContentDescription', '2'),
    key('ContentCreatorName', '2'),
  ],
  PLAN: [],
  ANNOTATION: CONTENT_ID,
};

const STORAGE = '1.2.840.10008.5.1.4.1.1.';

/** SOP classes (PS3.4 Annex B, PS3.6 Table A-1) by exact UID, where a prefix rule does not fit. */
const BY_CLASS: ReadonlyMap<string, LeafRecordType> = new Map<string, LeafRecordType>([
  [`${STORAGE}4.2`, 'SPECTROSCOPY'], // MR Spectroscopy
  [`${STORAGE}66`, 'RAW DATA'],
  [`${STORAGE}66.1`, 'REGISTRATION'], // Spatial Registration
  [`${STORAGE}66.2`, 'FIDUCIAL'], // Spatial Fiducials
  [`${STORAGE}66.3`, 'REGISTRATION'], // Deformable Spatial Registration
  [`${STORAGE}66.4`, 'IMAGE'], // Segmentation
  [`${STORAGE}66.5`, 'SURFACE'], // Surface Segmentation
  [`${STORAGE}66.6`, 'TRACT'], // Tractography Results
  [`${STORAGE}66.7`, 'IMAGE'], // Label Map Segmentation
  [`${STORAGE}66.8`, 'SURFACE'], // Height Map Segmentation
  [`${STORAGE}67`, 'VALUE MAP'], // Real World Value Mapping
  [`${STORAGE}68.1`, 'SURFACE SCAN'], // Surface Scan Mesh
  [`${STORAGE}68.2`, 'SURFACE SCAN'], // Surface Scan Point Cloud
  [`${STORAGE}77.1.5.3`, 'STEREOMETRIC'], // Stereometric Relationship
  [`${STORAGE}88.59`, 'KEY OBJECT DOC'], // Key Object Selection Document
  [`${STORAGE}90.1`, 'ASSESSMENT'], // Content Assessment Results
  [`${STORAGE}91.1`, 'ANNOTATION'], // Microscopy Bulk Simple Annotations
  [`${STORAGE}481.1`, 'IMAGE'], // RT Image
  [`${STORAGE}481.2`, 'RT DOSE'],
  [`${STORAGE}481.3`, 'RT STRUCTURE SET'],
  [`${STORAGE}481.4`, 'RT TREAT RECORD'], // RT Beams Treatment Record
  [`${STORAGE}481.5`, 'RT PLAN'],
  [`${STORAGE}481.6`, 'RT TREAT RECORD'], // RT Brachy Treatment Record
  [`${STORAGE}481.7`, 'RT TREAT RECORD'], // RT Treatment Summary Record
  [`${STORAGE}481.8`, 'RT PLAN'], // RT Ion Plan
  [`${STORAGE}481.9`, 'RT TREAT RECORD'], // RT Ion Beams Treatment Record
  [`${STORAGE}481.10`, 'RADIOTHERAPY'], // RT Physician Intent
  [`${STORAGE}481.11`, 'RADIOTHERAPY'], // RT Segment Annotation
  [`${STORAGE}481.12`, 'RADIOTHERAPY'], // RT Radiation Set
  [`${STORAGE}481.13`, 'RADIOTHERAPY'], // C-Arm Photon-Electron Radiation
  [`${STORAGE}481.14`, 'RADIOTHERAPY'], // Tomotherapeutic Radiation
  [`${STORAGE}481.15`, 'RADIOTHERAPY'], // Robotic-Arm Radiation
  [`${STORAGE}481.16`, 'RADIOTHERAPY'], // RT Radiation Record Set
  [`${STORAGE}481.17`, 'RADIOTHERAPY'], // RT Radiation Salvage Record
  [`${STORAGE}481.18`, 'RADIOTHERAPY'], // Tomotherapeutic Radiation Record
  [`${STORAGE}481.19`, 'RADIOTHERAPY'], // C-Arm Photon-Electron Radiation Record
  [`${STORAGE}481.20`, 'RADIOTHERAPY'], // Robotic Radiation Record
  [`${STORAGE}481.21`, 'RADIOTHERAPY'], // RT Radiation Set Delivery Instruction
  [`${STORAGE}481.22`, 'RADIOTHERAPY'], // RT Treatment Preparation
  [`${STORAGE}481.23`, 'RADIOTHERAPY'], // Enhanced RT Image
  [`${STORAGE}481.24`, 'RADIOTHERAPY'], // Enhanced Continuous RT Image
  [`${STORAGE}481.25`, 'RADIOTHERAPY'], // RT Patient Position Acquisition Instruction
  ['1.2.840.10008.5.1.4.34.7', 'PLAN'], // RT Beams Delivery Instruction
  ['1.2.840.10008.5.1.4.34.10', 'PLAN'], // RT Brachy Application Setup Delivery Instruction
]);

/** SOP class families by UID prefix (the part before the last component), longest first. */
const BY_PREFIX: readonly [string, LeafRecordType][] = [
  [`${STORAGE}78.`, 'MEASUREMENT'], // ophthalmic measurements (lensometry, refraction, ...)
  [`${STORAGE}79.`, 'MEASUREMENT'], // Macular Grid Thickness and Volume Report
  [`${STORAGE}80.`, 'MEASUREMENT'], // Ophthalmic Visual Field Static Perimetry
  [`${STORAGE}82.`, 'MEASUREMENT'], // Corneal Topography Map
  [`${STORAGE}88.`, 'SR DOCUMENT'], // every SR storage class but Key Object Selection
  [`${STORAGE}9.`, 'WAVEFORM'], // ECG, hemodynamic, audio, respiratory, ... waveforms
  [`${STORAGE}11.`, 'PRESENTATION'], // presentation states
  [`${STORAGE}104.`, 'ENCAP DOC'], // encapsulated PDF, CDA, STL, OBJ, MTL
];

/** The directory record type of an instance of `sopClassUid`; IMAGE for image storage classes. */
export function directoryRecordTypeOf(sopClassUid: string): LeafRecordType {
  const exact = BY_CLASS.get(sopClassUid);
  if (exact) return exact;
  for (const [prefix, type] of BY_PREFIX) if (sopClassUid.startsWith(prefix)) return type;
  return 'IMAGE';
}

/** Every value path a record key may be read from (top-level keywords and the code item's). */
export const DIRECTORY_KEY_PATHS: ReadonlySet<string> = new Set([
  ...Object.values(RECORD_KEYS)
    .flat()
    .map((k) => k.keyword)
    .filter((k) => k !== CONCEPT_NAME_CODE_SEQUENCE),
  ...CODE_ITEM_KEYWORDS.map((k) => `${CONCEPT_NAME_CODE_SEQUENCE} > ${k}`),
  VERIFICATION_PATH,
]);

/**
 * The record keys of one written file from its de-identified values ({path, value} as the
 * de-identification worker reports them): the first value of each top-level path, and the
 * latest VerificationDateTime of the verifying observers as the SR record's VerificationDateTime.
 */
export function collectDirectoryKeys(
  values: Iterable<{ path: string; value: string }>,
): Record<string, string> {
  const keys: Record<string, string> = {};
  let verified: string | undefined;
  for (const { path, value } of values) {
    if (!DIRECTORY_KEY_PATHS.has(path)) continue;
    if (path === VERIFICATION_PATH) {
      if (value !== '' && (verified === undefined || value > verified)) verified = value;
    } else if (!(path in keys)) keys[path] = value;
  }
  if (verified !== undefined && !('VerificationDateTime' in keys))
    keys.VerificationDateTime = verified;
  return keys;
}
