// One test per de-identification rule of the compiled Profile (Table E.1-1, options, Types, allow-list, private).
import { describe, expect, it } from 'vitest';
import { tagForKeyword } from '../dicom/dictionary';
import type { Tag, VR } from '../dicom/types';
import { ProfileError, compileProfile } from './compile-profile';
import type { ProfileOptions, RuleContext } from './types';

const CT = '1.2.840.10008.5.1.4.1.1.2';
const ENHANCED_CT = '1.2.840.10008.5.1.4.1.1.2.1';
const MR = '1.2.840.10008.5.1.4.1.1.4';
const PET = '1.2.840.10008.5.1.4.1.1.128';
const DX = '1.2.840.10008.5.1.4.1.1.1.1';
const RT_PLAN = '1.2.840.10008.5.1.4.1.1.481.5';
const RT_ION_PLAN = '1.2.840.10008.5.1.4.1.1.481.8';
const COMPREHENSIVE_SR = '1.2.840.10008.5.1.4.1.1.88.33';
const PDF = '1.2.840.10008.5.1.4.1.1.104.1';
const UNKNOWN_SOP = '1.2.3.4.5.6.7';

const BASIC: ProfileOptions = {
  retainSafePrivate: false,
  retainUIDs: false,
  retainDeviceIdentity: false,
  retainInstitutionIdentity: false,
  retainPatientCharacteristics: false,
  retainLongitudinal: 'off',
  cleanDescriptors: false,
  cleanStructuredContent: false,
  cleanGraphics: false,
};

function tag(keyword: string): Tag {
  const t = tagForKeyword(keyword);
  if (t === undefined) throw new Error(`test uses unknown keyword ${keyword}`);
  return t;
}

function ctx(sopClassUID = CT, path: string[] = [], privateCreator?: string): RuleContext {
  return { sopClassUID, path: path.map(tag), privateCreator };
}

function ruleOf(
  keyword: string,
  options: Partial<ProfileOptions> = {},
  c: RuleContext = ctx(),
  vr: VR = 'LO',
) {
  return compileProfile({ ...BASIC, ...options }).ruleFor(tag(keyword), vr, c);
}

function actionOf(keyword: string, options: Partial<ProfileOptions> = {}, c: RuleContext = ctx()) {
  return ruleOf(keyword, options, c).action;
}

describe('basic profile actions (PS3.15 Table E.1-1)', () => {
  it('X removes: InstitutionAddress', () => {
    expect(ruleOf('InstitutionAddress')).toEqual({
      action: 'X',
      reason: 'PS3.15 Table E.1-1 (0008,0081) InstitutionAddress: X',
    });
  });

  it('Z zero-lengths: ReferringPhysicianName, with the reason a privacy officer can cite', () => {
    expect(ruleOf('ReferringPhysicianName', {}, ctx(), 'PN')).toEqual({
      action: 'Z',
      reason: 'PS3.15 Table E.1-1 (0008,0090) ReferringPhysicianName: Z',
    });
  });

  it('D replaces with a dummy: ClinicalTrialSponsorName', () => {
    expect(actionOf('ClinicalTrialSponsorName')).toBe('D');
  });

  it('U remaps UIDs: SOPInstanceUID, StudyInstanceUID, FrameOfReferenceUID', () => {
    for (const k of [
      'SOPInstanceUID',
      'StudyInstanceUID',
      'SeriesInstanceUID',
      'FrameOfReferenceUID',
    ]) {
      expect(actionOf(k), k).toBe('U');
    }
  });

  it('K keeps only by option or allow-list: the table itself never says K', () => {
    expect(actionOf('PatientAge')).toBe('X');
    expect(actionOf('PatientAge', { retainPatientCharacteristics: true })).toBe('K');
    expect(ruleOf('KVP', {}, ctx(), 'DS').reason).toBe('allow-list: CT acquisition');
  });

  it('C cleans only by option: SeriesDescription X, then C with Clean Descriptors', () => {
    expect(actionOf('SeriesDescription')).toBe('X');
    expect(ruleOf('SeriesDescription', { cleanDescriptors: true })).toEqual({
      action: 'C',
      reason:
        'Clean Descriptors option (PS3.15 E.3.5), Table E.1-1 (0008,103E) SeriesDescription: C',
    });
  });

  it('Type 2 attributes of most IODs are Z, never removed: StudyID, AccessionNumber, PatientName, PatientBirthDate, PatientSex, StudyDate, StudyTime', () => {
    for (const k of [
      'StudyID',
      'AccessionNumber',
      'PatientName',
      'PatientBirthDate',
      'PatientSex',
      'StudyDate',
      'StudyTime',
    ]) {
      expect(actionOf(k), k).toBe('Z');
      expect(actionOf(k, {}, ctx(UNKNOWN_SOP)), `${k} for an unknown SOP class`).toBe('Z');
    }
  });
});

describe('compound actions resolved by the Type in the IOD (PS3.3)', () => {
  it('X/Z: AcquisitionDate is Type 3 in CT (X) and Type 2 in PET (Z)', () => {
    expect(actionOf('AcquisitionDate', {}, ctx(CT))).toBe('X');
    const pet = ruleOf('AcquisitionDate', {}, ctx(PET));
    expect(pet.action).toBe('Z');
    expect(pet.reason).toContain('X/Z → Z (Type 2 in PS3.3 C.8.22.3 PET Image Module');
  });

  it('X/D: SeriesDate is Type 3 in CT (X) and Type 1 in PET (D)', () => {
    expect(actionOf('SeriesDate', {}, ctx(CT))).toBe('X');
    expect(actionOf('SeriesDate', {}, ctx(PET))).toBe('D');
  });

  it('Z/D: ContentDate is Type 2C in CT (Z), Type 1 in SR and enhanced multi-frame (D)', () => {
    expect(actionOf('ContentDate', {}, ctx(CT))).toBe('Z');
    expect(actionOf('ContentDate', {}, ctx(COMPREHENSIVE_SR))).toBe('D');
    expect(actionOf('ContentDate', {}, ctx(ENHANCED_CT))).toBe('D');
    expect(actionOf('ContentDate', {}, ctx(PDF))).toBe('Z');
  });

  it('Z/D: PatientID is Type 2 in the Patient Module (Z)', () => {
    expect(actionOf('PatientID', {}, ctx(MR))).toBe('Z');
  });

  it('X/Z/D: DeviceSerialNumber is Type 3 in CT (X), Type 1 in Enhanced CT (D)', () => {
    expect(actionOf('DeviceSerialNumber', {}, ctx(CT))).toBe('X');
    expect(actionOf('DeviceSerialNumber', {}, ctx(ENHANCED_CT))).toBe('D');
  });

  it('X/Z/D: OperatorsName is Type 3 in CT (X), Type 2 in RT Series (Z)', () => {
    expect(actionOf('OperatorsName', {}, ctx(CT))).toBe('X');
    expect(actionOf('OperatorsName', {}, ctx(RT_PLAN))).toBe('Z');
  });

  it('X/Z/D: AcquisitionDateTime is Type 1C in Enhanced CT (D), Type 2 in Encapsulated PDF (Z)', () => {
    expect(actionOf('AcquisitionDateTime', {}, ctx(ENHANCED_CT))).toBe('D');
    expect(actionOf('AcquisitionDateTime', {}, ctx(PDF))).toBe('Z');
    expect(actionOf('AcquisitionDateTime', {}, ctx(CT))).toBe('X');
  });

  it('X/Z/U*: ReferencedPerformedProcedureStepSequence 1C in DX (U is not offered: D), ReferencedImageSequence Type 3 in CT (X)', () => {
    expect(actionOf('ReferencedPerformedProcedureStepSequence', {}, ctx(DX))).toBe('D');
    expect(actionOf('ReferencedImageSequence', {}, ctx(CT))).toBe('X');
  });

  it('X/Z/U*: a required reference sequence (SourceImageSequence, Type 2 in the Derivation Image macro) is kept with UIDs replaced (U*), not emptied', () => {
    expect(
      actionOf(
        'SourceImageSequence',
        {},
        ctx(ENHANCED_CT, ['PerFrameFunctionalGroupsSequence', 'DerivationImageSequence']),
      ),
    ).toBe('U');
  });

  it('X/Z/U*: a reference sequence that is Type 3 in the IOD is removed (X)', () => {
    expect(actionOf('ReferencedImageSequence', {}, ctx(CT))).toBe('X');
  });

  it('nested Type by enclosing sequence: TreatmentMachineName (X/Z) Type 2 in BeamSequence, Type 1 in IonBeamSequence: Z, never X', () => {
    expect(actionOf('TreatmentMachineName', {}, ctx(RT_PLAN, ['BeamSequence']))).toBe('Z');
    const ion = ruleOf('TreatmentMachineName', {}, ctx(RT_ION_PLAN, ['IonBeamSequence']));
    expect(ion.action).toBe('Z');
    expect(ion.reason).toContain('Type 1 in PS3.3 C.8.8.25 RT Ion Beams Module');
    // At the top level of a CT it is not in any module: Type 3, removed.
    expect(actionOf('TreatmentMachineName', {}, ctx(CT))).toBe('X');
  });

  it('an attribute absent from the IOD modules behaves as Type 3: BarcodeValue in CT is X', () => {
    const r = ruleOf('BarcodeValue', {}, ctx(CT));
    expect(r.action).toBe('X');
    expect(r.reason).toContain('not in the modules of CT Image');
  });

  it('unknown SOP class: the strictest Type any curated IOD gives (SeriesDate → D from PET)', () => {
    expect(actionOf('SeriesDate', {}, ctx(UNKNOWN_SOP))).toBe('D');
    expect(actionOf('ContrastBolusAgent', {}, ctx(UNKNOWN_SOP))).toBe('Z');
    expect(actionOf('InstitutionName', {}, ctx(UNKNOWN_SOP))).toBe('X');
  });

  it('unknown SOP class and uncurated attribute: Z if offered, else D (keeps the object valid)', () => {
    const r = ruleOf('BarcodeValue', {}, ctx(UNKNOWN_SOP));
    expect(r.action).toBe('Z');
    expect(r.reason).toContain('IOD and Type unknown');
    expect(actionOf('StartAcquisitionDateTime', {}, ctx(UNKNOWN_SOP))).toBe('D');
  });
});

describe('options (PS3.15 E.3), applied in the order of the table columns', () => {
  it('Retain Safe Private: listed private attributes kept, others removed', () => {
    const on = compileProfile({ ...BASIC, retainSafePrivate: true });
    const c = ctx(CT, [], 'GEMS_ACQU_01');
    expect(on.ruleFor(0x00191023, 'DS', c).action).toBe('K');
    expect(on.ruleFor(0x00191023, 'DS', c).reason).toContain('Table Speed');
    expect(on.ruleFor(0x00191030, 'DS', c).action).toBe('X');
    expect(compileProfile(BASIC).ruleFor(0x00191023, 'DS', c).action).toBe('X');
  });

  it('Retain UIDs: SOPInstanceUID K instead of U', () => {
    expect(actionOf('SOPInstanceUID', { retainUIDs: true })).toBe('K');
  });

  it('Retain Device Identity: DeviceSerialNumber and StationName K', () => {
    expect(ruleOf('StationName', { retainDeviceIdentity: true })).toEqual({
      action: 'K',
      reason:
        'Retain Device Identity option (PS3.15 E.3.8), Table E.1-1 (0008,1010) StationName: K',
    });
    expect(actionOf('DeviceSerialNumber', { retainDeviceIdentity: true }, ctx(ENHANCED_CT))).toBe(
      'K',
    );
  });

  it('Retain Institution Identity: InstitutionName K', () => {
    expect(actionOf('InstitutionName', { retainInstitutionIdentity: true })).toBe('K');
  });

  it('Retain Patient Characteristics: PatientSex K, PatientWeight K', () => {
    expect(actionOf('PatientWeight', { retainPatientCharacteristics: true })).toBe('K');
    expect(actionOf('PatientSex', { retainPatientCharacteristics: true })).toBe('K');
  });

  it('Retain Longitudinal Full Dates: StudyDate K', () => {
    expect(actionOf('StudyDate', { retainLongitudinal: 'full' })).toBe('K');
  });

  it('Retain Longitudinal Modified Dates: StudyDate C (shifted)', () => {
    expect(actionOf('StudyDate', { retainLongitudinal: 'modified' })).toBe('C');
  });

  it('Modified Dates comes after Device Identity: DateOfLastDetectorCalibration is shifted, not kept', () => {
    expect(
      actionOf('DateOfLastDetectorCalibration', {
        retainDeviceIdentity: true,
        retainLongitudinal: 'modified',
      }),
    ).toBe('C');
    expect(actionOf('DateOfLastDetectorCalibration', { retainDeviceIdentity: true })).toBe('K');
  });

  it('Clean Descriptors: ProtocolName C', () => {
    expect(actionOf('ProtocolName', { cleanDescriptors: true })).toBe('C');
  });

  it('Clean Structured Content: ContentSequence C (basic D)', () => {
    expect(actionOf('ContentSequence', {}, ctx(COMPREHENSIVE_SR))).toBe('D');
    expect(
      actionOf('ContentSequence', { cleanStructuredContent: true }, ctx(COMPREHENSIVE_SR)),
    ).toBe('C');
  });

  it('Clean Graphics: GraphicAnnotationSequence C; overlay planes and curves removed whole (a bitmap cannot be cleaned by header rules)', () => {
    expect(actionOf('GraphicAnnotationSequence', { cleanGraphics: true })).toBe('C');
    const p = compileProfile({ ...BASIC, cleanGraphics: true });
    for (const [tag, vr] of [
      [0x60003000, 'OW'],
      [0x60000010, 'US'],
      [0x60020040, 'CS'],
      [0x60004000, 'LT'],
      [0x50003000, 'OW'],
    ] as const) {
      const rule = p.ruleFor(tag, vr, ctx());
      expect(rule.action).toBe('X');
      expect(rule.reason).toContain('Clean Graphics');
    }
  });
});

describe('wildcard rows, group lengths and the private rule', () => {
  const p = compileProfile(BASIC);

  it('curves (50xx,xxxx): every element of every curve group X', () => {
    for (const t of [0x50000010, 0x50023000, 0x501e0005])
      expect(p.ruleFor(t, 'US', ctx()).action).toBe('X');
    expect(p.ruleFor(0x50020010, 'US', ctx()).reason).toContain('CurveData');
  });

  it('overlays (60xx,3000) and (60xx,4000): X in every overlay group, the rest of the plane with them', () => {
    for (const g of [0x6000, 0x6002, 0x601e]) {
      expect(p.ruleFor(((g << 16) | 0x3000) >>> 0, 'OW', ctx()).action).toBe('X');
      expect(p.ruleFor(((g << 16) | 0x4000) >>> 0, 'LT', ctx()).action).toBe('X');
      expect(p.ruleFor(((g << 16) | 0x0010) >>> 0, 'US', ctx()).action).toBe('X');
    }
    expect(p.ruleFor(0x60023000, 'OW', ctx()).reason).toBe(
      'PS3.15 Table E.1-1 (6002,3000) OverlayData: X',
    );
    const clean = compileProfile({ ...BASIC, cleanGraphics: true });
    expect(clean.ruleFor(0x60000010, 'US', ctx()).action).toBe('X');
  });

  it('group length elements (gggg,0000) are dropped', () => {
    expect(p.ruleFor(0x00080000, 'UL', ctx()).action).toBe('X');
    expect(p.ruleFor(0x00280000, 'UL', ctx()).reason).toContain('group length');
  });

  it('private rule: odd groups X, creators too, unless Retain Safe Private lists them', () => {
    expect(p.ruleFor(0x00090010, 'LO', ctx(CT, [], 'GEMS_IDEN_01')).action).toBe('X');
    expect(p.ruleFor(0x00291010, 'OB', ctx(CT, [], 'SIEMENS CSA HEADER')).reason).toBe(
      'PS3.15 Table E.1-1 Private Attributes (0029,1010): X',
    );
    const safe = compileProfile({ ...BASIC, retainSafePrivate: true });
    // The creator element of a block with a safe attribute is kept; padding is ignored.
    expect(safe.ruleFor(0x00190010, 'LO', ctx(CT, [], 'GEMS_ACQU_01 ')).action).toBe('K');
    expect(safe.ruleFor(0x00290010, 'LO', ctx(CT, [], 'SIEMENS CSA HEADER')).action).toBe('X');
    // The same slot in a block the creator got at another offset (0019,11xx) is the same attribute.
    expect(safe.ruleFor(0x00191123, 'DS', ctx(CT, [], 'GEMS_ACQU_01')).action).toBe('K');
    // An implicit-VR file gives UN: still the same attribute.
    expect(safe.ruleFor(0x00191023, 'UN', ctx(CT, [], 'GEMS_ACQU_01')).action).toBe('K');
    // Wrong VR for the listed attribute: not the attribute we vetted.
    expect(safe.ruleFor(0x00191023, 'LT', ctx(CT, [], 'GEMS_ACQU_01')).action).toBe('X');
    // Same creator, same slot, different group: ELSCINT1 (01F1,xx26) is Pitch, (00E1,xx26) is not listed.
    expect(safe.ruleFor(0x01f11026, 'DS', ctx(CT, [], 'ELSCINT1')).action).toBe('K');
    expect(safe.ruleFor(0x00e11026, 'DS', ctx(CT, [], 'ELSCINT1')).action).toBe('X');
    // No creator: nothing can vouch for it.
    expect(safe.ruleFor(0x00191023, 'DS', ctx(CT)).action).toBe('X');
  });

  it('recipe safePrivate extends the list; never-safe creators are refused', () => {
    const p2 = compileProfile(
      { ...BASIC, retainSafePrivate: true },
      { safePrivate: [{ creator: 'ACME 1.1', element: 0x05 }] },
    );
    expect(p2.ruleFor(0x00311105, 'DS', ctx(CT, [], 'ACME 1.1')).action).toBe('K');
    expect(() =>
      compileProfile(BASIC, { safePrivate: [{ creator: 'SIEMENS CSA HEADER', element: 0x10 }] }),
    ).toThrow(ProfileError);
  });
});

describe('allow-list', () => {
  it('allow-list keep: an attribute outside the table on the list is K with its group named', () => {
    expect(ruleOf('PixelSpacing', {}, ctx(), 'DS')).toEqual({
      action: 'K',
      reason: 'allow-list: image plane',
    });
  });

  it('allow-listed free text is cleaned: a text VR on the list gets C, not K', () => {
    expect(ruleOf('ConvolutionKernel', {}, ctx(), 'SH')).toEqual({
      action: 'C',
      reason: "allow-list: CT acquisition; free text cleaned of the patient's identifiers",
    });
  });

  it('TextValue of SR content is kept (cleaned) only with Clean Structured Content, and replaced by a dummy without it (a TEXT item needs one)', () => {
    expect(ruleOf('TextValue', {}, ctx(), 'UT').action).toBe('D');
    expect(ruleOf('TextValue', { cleanStructuredContent: true }, ctx(), 'UT').action).toBe('C');
  });

  it('not-on-allow-list removal: a standard attribute neither in the table nor on the list is X', () => {
    expect(ruleOf('ImageRotation')).toEqual({ action: 'X', reason: 'not on the allow-list' });
  });

  it('recipe add keeps an extra attribute; recipe remove drops a listed one', () => {
    const p = compileProfile(BASIC, {
      add: ['ImageRotation', '(0018,1164)'],
      remove: ['ConvolutionKernel'],
    });
    expect(p.ruleFor(tag('ImageRotation'), 'US', ctx())).toEqual({
      action: 'K',
      reason: 'allow-list: added by the recipe',
    });
    expect(p.ruleFor(tag('ConvolutionKernel'), 'SH', ctx())).toEqual({
      action: 'X',
      reason: 'not on the allow-list',
    });
    expect(p.ruleFor(tag('KVP'), 'DS', ctx()).action).toBe('K');
  });

  it('recipe add cannot override the table: PatientName stays Z', () => {
    const p = compileProfile(BASIC, { add: ['PatientName'] });
    expect(p.ruleFor(tag('PatientName'), 'PN', ctx()).action).toBe('Z');
  });

  it('recipe extensions with unknown keywords or private tags are refused with every problem named', () => {
    try {
      compileProfile(BASIC, { add: ['NotAKeyword', '(0019,1010)'], remove: ['AlsoNot'] });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ProfileError);
      expect((err as ProfileError).problems).toEqual([
        'allowList.add: unknown keyword or tag "NotAKeyword"',
        'allowList.add: (0019,1010) is private; list it under allowList.safePrivate',
        'allowList.remove: unknown keyword or tag "AlsoNot"',
      ]);
    }
  });

  it('over-removal guard: research attributes all resolve to K under the basic profile', () => {
    const research = [
      'KVP',
      'SliceThickness',
      'PixelSpacing',
      'ImageOrientationPatient',
      'ImagePositionPatient',
      'RepetitionTime',
      'EchoTime',
      'InversionTime',
      'FlipAngle',
      'MagneticFieldStrength',
      'Rows',
      'Columns',
      'BitsAllocated',
      'BitsStored',
      'HighBit',
      'PixelRepresentation',
      'SamplesPerPixel',
      'PhotometricInterpretation',
      'PixelData',
      'RescaleSlope',
      'RescaleIntercept',
      'RescaleType',
      'WindowCenter',
      'WindowWidth',
      'ConvolutionKernel',
      'XRayTubeCurrent',
      'ExposureTime',
      'SpiralPitchFactor',
      'CTDIvol',
      'SpacingBetweenSlices',
      'SliceLocation',
      'Modality',
      'SOPClassUID',
      'ImageType',
      'NumberOfFrames',
      'SharedFunctionalGroupsSequence',
      'PerFrameFunctionalGroupsSequence',
      'SequenceOfUltrasoundRegions',
      'PhysicalDeltaX',
      'DiffusionBValue',
      'ViewPosition',
      'ImageLaterality',
      'BodyPartExamined',
      'Units',
      'RadionuclideHalfLife',
      'CodeValue',
      'CodeMeaning',
      'CodingSchemeDesignator',
      'ValueType',
      'ConceptNameCodeSequence',
      'RelationshipType',
      'PatientIdentityRemoved',
      'DeidentificationMethod',
      'DeidentificationMethodCodeSequence',
      'TransferSyntaxUID',
      'SpecificCharacterSet',
      'InstanceNumber',
      'SeriesNumber',
      'ContourData',
      'DoseGridScaling',
    ];
    const p = compileProfile(BASIC);
    const notKept = research.filter((k) => p.ruleFor(tag(k), 'DS', ctx()).action !== 'K');
    expect(notKept).toEqual([]);
  });
});

describe('CID 7050 method codes and description', () => {
  it('basic profile alone: 113100 only', () => {
    expect(compileProfile(BASIC).methodCodes).toEqual([
      { value: '113100', scheme: 'DCM', meaning: 'Basic Application Confidentiality Profile' },
    ]);
  });

  it('each option adds its code, in table column order', () => {
    const all = compileProfile({
      retainSafePrivate: true,
      retainUIDs: true,
      retainDeviceIdentity: true,
      retainInstitutionIdentity: true,
      retainPatientCharacteristics: true,
      retainLongitudinal: 'modified',
      cleanDescriptors: true,
      cleanStructuredContent: true,
      cleanGraphics: true,
    });
    expect(all.methodCodes.map((c) => c.value)).toEqual([
      '113100',
      '113111',
      '113110',
      '113109',
      '113112',
      '113108',
      '113107',
      '113105',
      '113104',
      '113103',
    ]);
    expect(
      compileProfile({ ...BASIC, retainLongitudinal: 'full' }).methodCodes.map((c) => c.value),
    ).toEqual(['113100', '113106']);
  });

  it('methodDescription values fit DeidentificationMethod (LO: 64 characters per value)', () => {
    const p = compileProfile({ ...BASIC, retainLongitudinal: 'modified', cleanDescriptors: true });
    const values = p.methodDescription.split('\\');
    expect(values[0]).toBe('PS3.15 E.1-1 Basic Profile (2024b)');
    expect(values).toContain('Retain Longitudinal Temporal Information Modified Dates Option');
    for (const v of values) expect(v.length).toBeLessThanOrEqual(64);
  });
});

describe('ruleFor never throws', () => {
  it('answers for any tag, VR and context, including odd inputs', () => {
    const p = compileProfile({ ...BASIC, retainSafePrivate: true });
    const weird: RuleContext = { sopClassUID: '', path: [0xffffffff, 0], privateCreator: '' };
    for (const t of [0, 0xffffffff, 0xfffee000, 0x00010010, 0x7fe00010, -1 as unknown as Tag]) {
      const r = p.ruleFor(t, 'UN', weird);
      expect(['D', 'Z', 'X', 'K', 'C', 'U']).toContain(r.action);
      expect(r.reason.length).toBeGreaterThan(0);
    }
  });
});

describe('coded entries', () => {
  it('coded-entry keys (CodeValue, CodingSchemeDesignator) are kept, never cleaned; CodeMeaning is cleaned', () => {
    const p = compileProfile(BASIC);
    expect(p.ruleFor(0x00080100, 'SH', ctx()).action).toBe('K');
    expect(p.ruleFor(0x00080102, 'SH', ctx()).action).toBe('K');
    expect(p.ruleFor(0x00080104, 'LO', ctx()).action).toBe('C');
  });
});
