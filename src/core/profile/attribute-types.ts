// The Type (PS3.3) of each compound-action attribute of Table E.1-1 in the common IODs, so that X/Z/D can be resolved.
//
// A compound action (X/Z, X/D, Z/D, X/Z/D, X/Z/U*) means "X if the attribute is Type 3 in the
// IOD, Z if Type 2, D (or U) if Type 1" (PS3.15 E.1.1). Only attributes with a compound action
// are curated here, module by module, from PS3.3 (edition 2024b); an IOD is its list of modules,
// and an attribute's Type in an IOD is the strictest Type any of its modules gives it.
// Nested occurrences are matched only by entries that name the enclosing sequence (`within`).

/** PS3.5 7.4: 1 required with a value, 2 required maybe empty, 3 optional; C = conditional. */
export type AttributeType = '1' | '1C' | '2' | '2C' | '3';

interface ModuleTypes {
  /** Where in PS3.3 the Types come from. */
  cite: string;
  types: Record<string, AttributeType>;
  /** Keyword of the sequence whose items hold these attributes (nested macro); absent = top level. */
  within?: string;
}

// Modules, by their PS3.3 name; only the compound-action attributes each one holds.
const MODULES = {
  Patient: {
    cite: 'PS3.3 C.7.1.1 Patient Module',
    // Patient's Sex Neutered is 2C: required if the patient is an animal.
    types: { PatientID: '2', PatientSexNeutered: '2C' },
  },
  GeneralStudy: {
    cite: 'PS3.3 C.7.2.1 General Study Module',
    types: { ReferencedStudySequence: '3' },
  },
  GeneralSeries: {
    cite: 'PS3.3 C.7.3.1 General Series Module',
    types: {
      SeriesDate: '3',
      SeriesTime: '3',
      OperatorsName: '3',
      OperatorIdentificationSequence: '3',
      ProtocolName: '3',
      ReferencedPerformedProcedureStepSequence: '3',
    },
  },
  GeneralEquipment: {
    cite: 'PS3.3 C.7.5.1 General Equipment Module',
    types: { InstitutionName: '3', StationName: '3', DeviceSerialNumber: '3' },
  },
  EnhancedGeneralEquipment: {
    cite: 'PS3.3 C.7.5.2 Enhanced General Equipment Module',
    types: { DeviceSerialNumber: '1' },
  },
  GeneralImage: {
    // Acquisition Date/Time/DateTime: General Image, or General Acquisition (C.7.10.1), Type 3.
    cite: 'PS3.3 C.7.6.1 General Image Module, C.7.10.1 General Acquisition Module',
    types: {
      ContentDate: '2C',
      ContentTime: '2C',
      AcquisitionDate: '3',
      AcquisitionTime: '3',
      AcquisitionDateTime: '3',
      ReferencedImageSequence: '3',
      SourceImageSequence: '3',
    },
  },
  ContrastBolus: {
    cite: 'PS3.3 C.7.6.4 Contrast/Bolus Module',
    types: { ContrastBolusAgent: '2' },
  },
  AcquisitionContext: {
    cite: 'PS3.3 C.7.6.14 Acquisition Context Module',
    types: { AcquisitionContextSequence: '2' },
  },
  MultiFrameFunctionalGroups: {
    cite: 'PS3.3 C.7.6.16 Multi-frame Functional Groups Module',
    types: { ContentDate: '1', ContentTime: '1' },
  },
  DerivationImageMacro: {
    cite: 'PS3.3 C.7.6.16.2.6 Derivation Image Macro',
    within: 'DerivationImageSequence',
    types: { SourceImageSequence: '2' },
  },
  EnhancedImage: {
    // Enhanced CT/MR/PET/XA/XRF Image modules: Acquisition DateTime 1C (ORIGINAL or MIXED images).
    cite: 'PS3.3 C.8.15.2 Enhanced CT Image, C.8.13.1 Enhanced MR Image, C.8.22.5 Enhanced PET Image, C.8.19.2 Enhanced XA/XRF Image Modules',
    types: { AcquisitionDateTime: '1C' },
  },
  CRImage: {
    cite: 'PS3.3 C.8.1.2 CR Image Module',
    types: { AcquisitionDeviceProcessingDescription: '3' },
  },
  DXSeries: {
    // Required if the Modality Performed Procedure Step SOP Class was used.
    cite: 'PS3.3 C.8.11.1 DX Series Module',
    types: { ReferencedPerformedProcedureStepSequence: '1C' },
  },
  DXImage: {
    cite: 'PS3.3 C.8.11.3 DX Image Module',
    types: { AcquisitionDeviceProcessingDescription: '3' },
  },
  DXDetector: {
    cite: 'PS3.3 C.8.11.4 DX Detector Module',
    types: {
      DetectorID: '3',
      DateOfLastDetectorCalibration: '3',
      TimeOfLastDetectorCalibration: '3',
    },
  },
  PETSeries: {
    cite: 'PS3.3 C.8.22.1 PET Series Module',
    types: { SeriesDate: '1', SeriesTime: '1' },
  },
  PETImage: {
    cite: 'PS3.3 C.8.22.3 PET Image Module',
    types: { AcquisitionDate: '2', AcquisitionTime: '2' },
  },
  RTSeries: {
    cite: 'PS3.3 C.8.8.1 RT Series Module',
    types: { OperatorsName: '2' },
  },
  RTGeneralPlan: {
    cite: 'PS3.3 C.8.8.9 RT General Plan Module',
    types: { RTPlanDate: '2', RTPlanTime: '2' },
  },
  RTBeams: {
    cite: 'PS3.3 C.8.8.14 RT Beams Module',
    within: 'BeamSequence',
    types: { TreatmentMachineName: '2' },
  },
  RTIonBeams: {
    cite: 'PS3.3 C.8.8.25 RT Ion Beams Module',
    within: 'IonBeamSequence',
    types: { TreatmentMachineName: '1' },
  },
  SRDocumentSeries: {
    cite: 'PS3.3 C.17.1 SR Document Series Module',
    types: { ReferencedPerformedProcedureStepSequence: '2' },
  },
  SRDocumentGeneral: {
    cite: 'PS3.3 C.17.2 SR Document General Module',
    types: { ContentDate: '1', ContentTime: '1' },
  },
  EncapsulatedDocument: {
    cite: 'PS3.3 C.24.2 Encapsulated Document Module',
    types: { ContentDate: '2', ContentTime: '2', AcquisitionDateTime: '2' },
  },
  SOPCommon: {
    cite: 'PS3.3 C.12.1 SOP Common Module',
    types: { InstanceCreationDate: '3', InstanceCreationTime: '3' },
  },
} satisfies Record<string, ModuleTypes>;

type ModuleName = keyof typeof MODULES;

interface Iod {
  name: string;
  sopClassUIDs: string[];
  modules: ModuleName[];
}

const CLASSIC: ModuleName[] = [
  'Patient',
  'GeneralStudy',
  'GeneralSeries',
  'GeneralEquipment',
  'GeneralImage',
  'SOPCommon',
];
const ENHANCED: ModuleName[] = [
  'Patient',
  'GeneralStudy',
  'GeneralSeries',
  'GeneralEquipment',
  'EnhancedGeneralEquipment',
  'MultiFrameFunctionalGroups',
  'DerivationImageMacro',
  'AcquisitionContext',
  'EnhancedImage',
  'SOPCommon',
];
const SOP = '1.2.840.10008.5.1.4.1.1.';

// The IODs of PS3.3 Annex A, by the storage SOP classes (PS3.4 B.5) that use them.
const IODS: Iod[] = [
  { name: 'CT Image (A.3)', sopClassUIDs: [SOP + '2'], modules: [...CLASSIC, 'ContrastBolus'] },
  {
    name: 'Enhanced CT Image (A.38)',
    sopClassUIDs: [SOP + '2.1', SOP + '2.2'],
    modules: ENHANCED,
  },
  { name: 'MR Image (A.4)', sopClassUIDs: [SOP + '4'], modules: [...CLASSIC, 'ContrastBolus'] },
  {
    name: 'Enhanced MR Image (A.36)',
    sopClassUIDs: [SOP + '4.1', SOP + '4.3', SOP + '4.4'],
    modules: ENHANCED,
  },
  {
    name: 'US Image / US Multi-frame Image (A.6, A.7)',
    sopClassUIDs: [SOP + '6.1', SOP + '3.1', SOP + '6', SOP + '3'],
    modules: [...CLASSIC, 'ContrastBolus'],
  },
  {
    name: 'Enhanced US Volume (A.59)',
    sopClassUIDs: [SOP + '6.2'],
    modules: ENHANCED,
  },
  {
    name: 'Secondary Capture Image and Multi-frame SC (A.8)',
    sopClassUIDs: [SOP + '7', SOP + '7.1', SOP + '7.2', SOP + '7.3', SOP + '7.4'],
    modules: CLASSIC,
  },
  {
    name: 'Computed Radiography Image (A.2)',
    sopClassUIDs: [SOP + '1'],
    modules: [...CLASSIC, 'ContrastBolus', 'CRImage'],
  },
  {
    name: 'Digital X-Ray / Mammography / Intra-oral Image (A.26, A.27, A.28)',
    sopClassUIDs: [
      SOP + '1.1',
      SOP + '1.1.1',
      SOP + '1.2',
      SOP + '1.2.1',
      SOP + '1.3',
      SOP + '1.3.1',
    ],
    modules: [
      ...CLASSIC,
      'ContrastBolus',
      'AcquisitionContext',
      'DXSeries',
      'DXImage',
      'DXDetector',
    ],
  },
  {
    name: 'Breast Tomosynthesis / X-Ray 3D (A.55, A.53)',
    sopClassUIDs: [SOP + '13.1.3', SOP + '13.1.1', SOP + '13.1.2'],
    modules: ENHANCED,
  },
  {
    name: 'X-Ray Angiographic / RF Image (A.14, A.16)',
    sopClassUIDs: [SOP + '12.1', SOP + '12.2'],
    modules: [...CLASSIC, 'ContrastBolus'],
  },
  {
    name: 'Enhanced XA / XRF Image (A.47, A.48)',
    sopClassUIDs: [SOP + '12.1.1', SOP + '12.2.1'],
    modules: ENHANCED,
  },
  { name: 'NM Image (A.5)', sopClassUIDs: [SOP + '20'], modules: CLASSIC },
  {
    name: 'PET Image (A.21)',
    sopClassUIDs: [SOP + '128'],
    modules: [...CLASSIC, 'PETSeries', 'PETImage'],
  },
  {
    name: 'Enhanced PET Image (A.56)',
    sopClassUIDs: [SOP + '130', SOP + '128.1'],
    modules: ENHANCED,
  },
  {
    name: 'RT Image / RT Dose (A.17, A.18)',
    sopClassUIDs: [SOP + '481.1', SOP + '481.2'],
    modules: [...CLASSIC, 'RTSeries'],
  },
  {
    name: 'RT Structure Set / RT Treatment Records (A.19, A.29-A.31, A.50)',
    sopClassUIDs: [SOP + '481.3', SOP + '481.4', SOP + '481.6', SOP + '481.7', SOP + '481.9'],
    modules: ['Patient', 'GeneralStudy', 'GeneralEquipment', 'RTSeries', 'SOPCommon'],
  },
  {
    name: 'RT Plan (A.20)',
    sopClassUIDs: [SOP + '481.5'],
    modules: [
      'Patient',
      'GeneralStudy',
      'GeneralEquipment',
      'RTSeries',
      'RTGeneralPlan',
      'RTBeams',
      'SOPCommon',
    ],
  },
  {
    name: 'RT Ion Plan (A.49)',
    sopClassUIDs: [SOP + '481.8'],
    modules: [
      'Patient',
      'GeneralStudy',
      'GeneralEquipment',
      'RTSeries',
      'RTGeneralPlan',
      'RTIonBeams',
      'SOPCommon',
    ],
  },
  {
    name: 'Structured Reports and Key Object Selection (A.35)',
    sopClassUIDs: [
      '11',
      '22',
      '33',
      '34',
      '35',
      '40',
      '50',
      '59',
      '65',
      '67',
      '68',
      '69',
      '70',
      '71',
      '72',
      '73',
      '74',
      '75',
      '76',
    ].map((s) => SOP + '88.' + s),
    modules: [
      'Patient',
      'GeneralStudy',
      'GeneralEquipment',
      'SRDocumentSeries',
      'SRDocumentGeneral',
      'SOPCommon',
    ],
  },
  {
    name: 'Encapsulated PDF / CDA / STL / OBJ / MTL (A.45, A.63, A.85)',
    sopClassUIDs: [SOP + '104.1', SOP + '104.2', SOP + '104.3', SOP + '104.4', SOP + '104.5'],
    modules: ['Patient', 'GeneralStudy', 'GeneralEquipment', 'EncapsulatedDocument', 'SOPCommon'],
  },
];

const RANK: Record<AttributeType, number> = { '1': 0, '1C': 1, '2': 2, '2C': 3, '3': 4 };

function stricter(a: AttributeType | undefined, b: AttributeType): AttributeType {
  return a === undefined || RANK[b] < RANK[a] ? b : a;
}

const iodBySopClass = new Map<string, Iod>();
for (const iod of IODS) for (const uid of iod.sopClassUIDs) iodBySopClass.set(uid, iod);

export interface AttributeTypeAnswer {
  type: AttributeType;
  /** Where the Type comes from, for the rule's reason. */
  cite: string;
}

function lookup(
  modules: readonly ModuleName[],
  keyword: string,
  within: string | undefined,
): AttributeTypeAnswer | undefined {
  let type: AttributeType | undefined;
  const cites: string[] = [];
  for (const name of modules) {
    const mod: ModuleTypes = MODULES[name];
    if (mod.within !== within) continue;
    const t = mod.types[keyword];
    if (t === undefined) continue;
    const next = stricter(type, t);
    if (next !== type) cites.length = 0;
    if (next === t) cites.push(mod.cite);
    type = next;
  }
  return type === undefined ? undefined : { type, cite: cites.join('; ') };
}

/** The name of the IOD a SOP class belongs to, when this table knows it. */
export function iodNameFor(sopClassUID: string): string | undefined {
  return iodBySopClass.get(sopClassUID)?.name;
}

/**
 * The Type of `keyword` in the IOD of `sopClassUID`, inside the sequence `within` (undefined at
 * the top level). Returns undefined when the SOP class is unknown or the attribute is nested in
 * a sequence this table does not describe; `notInIod` when the IOD's modules do not hold it (then
 * it can only be a standard extended attribute, which behaves as Type 3).
 */
export function attributeTypeIn(
  sopClassUID: string,
  keyword: string,
  within: string | undefined,
): AttributeTypeAnswer | 'notInIod' | undefined {
  const iod = iodBySopClass.get(sopClassUID);
  if (!iod) return undefined;
  const found = lookup(iod.modules, keyword, within);
  if (found) return { type: found.type, cite: `${found.cite} (${iod.name})` };
  // Nested elements outside a described macro: their Type is unknown, not "absent from the IOD".
  return within === undefined ? 'notInIod' : undefined;
}

/** The strictest Type any curated IOD gives `keyword` (in `within`), for unknown SOP classes. */
export function strictestAttributeType(
  keyword: string,
  within: string | undefined,
): AttributeTypeAnswer | undefined {
  const all = Object.keys(MODULES) as ModuleName[];
  return lookup(all, keyword, within);
}

/** Every keyword this table describes (for the test that each is a compound-action row). */
export function curatedKeywords(): string[] {
  const out = new Set<string>();
  for (const mod of Object.values(MODULES) as ModuleTypes[])
    for (const k of Object.keys(mod.types)) out.add(k);
  return [...out].sort();
}
