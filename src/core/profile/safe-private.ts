// Private attributes known to be safe to keep under the Retain Safe Private option (PS3.15 E.3.10).
//
// A private element is identified by the group, the private creator string that reserved its
// block, and the element's low byte (PS3.5 7.8.1): (0019,xx23) under "GEMS_ACQU_01" is the same
// attribute whichever block (0019,10xx, 0019,11xx, ...) the creator was given.
//
// Only attributes that hold acquisition or scaling numbers are listed, each from PS3.15 Table
// E.3.10-1 "Safe Private Attributes" (examples the standard gives; re-check against the edition in
// use before relying on them). The list is short on purpose: an attribute not listed is removed.
//
// Deliberately NOT safe, whatever a site asks: "SIEMENS CSA HEADER" / "SIEMENS CSA NON-IMAGE"
// (0029,xx10/xx20 hold the whole protocol as text, with free-text fields that may carry names),
// "GEMS_IDEN_01" (identification), "GEMS_PATI_01" (patient), and any private sequence whose items
// are not themselves listed.
import type { SafePrivateAttribute } from './types';

/** One safe private attribute of the built-in list, with the group and what it holds. */
export interface SafePrivateEntry extends SafePrivateAttribute {
  group: number;
  /** The vendor's name for it, for the rule's reason and the review screen. */
  meaning: string;
}

const E3101 = 'PS3.15 Table E.3.10-1';

export const SAFE_PRIVATE: readonly (SafePrivateEntry & { source: string })[] = [
  // GE CT acquisition (GEMS_ACQU_01, group 0019).
  {
    group: 0x0019,
    creator: 'GEMS_ACQU_01',
    element: 0x23,
    vr: 'DS',
    meaning: 'Table Speed [mm/rotation]',
    source: E3101,
  },
  {
    group: 0x0019,
    creator: 'GEMS_ACQU_01',
    element: 0x24,
    vr: 'DS',
    meaning: 'Mid Scan Time [sec]',
    source: E3101,
  },
  {
    group: 0x0019,
    creator: 'GEMS_ACQU_01',
    element: 0x27,
    vr: 'DS',
    meaning: 'Rotation Speed (Gantry Period)',
    source: E3101,
  },
  {
    group: 0x0019,
    creator: 'GEMS_ACQU_01',
    element: 0x9e,
    vr: 'LO',
    meaning: 'Internal Pulse Sequence Name',
    source: E3101,
  },
  // GE series and parameters (GEMS_SERS_01 group 0025, GEMS_PARM_01 group 0043).
  {
    group: 0x0025,
    creator: 'GEMS_SERS_01',
    element: 0x07,
    vr: 'SL',
    meaning: 'Images In Series',
    source: E3101,
  },
  {
    group: 0x0043,
    creator: 'GEMS_PARM_01',
    element: 0x27,
    vr: 'SH',
    meaning: 'Scan Pitch Ratio',
    source: E3101,
  },
  {
    group: 0x0043,
    creator: 'GEMS_PARM_01',
    element: 0x39,
    vr: 'IS',
    meaning: 'Slop_int_6...slop_int_9 (diffusion b-value)',
    source: E3101,
  },
  {
    group: 0x0043,
    creator: 'GEMS_PARM_01',
    element: 0x6f,
    vr: 'DS',
    meaning: 'Scanner Table Entry + Gradient Coil Selected',
    source: E3101,
  },
  // GE CT detector geometry (GEMS_HELIOS_01, group 0045).
  {
    group: 0x0045,
    creator: 'GEMS_HELIOS_01',
    element: 0x01,
    vr: 'SS',
    meaning: 'Number of Macro Rows in Detector',
    source: E3101,
  },
  {
    group: 0x0045,
    creator: 'GEMS_HELIOS_01',
    element: 0x02,
    vr: 'FL',
    meaning: 'Macro width at ISO Center',
    source: E3101,
  },
  // Philips (Elscint) CT dose and acquisition (ELSCINT1, groups 00E1, 01E1, 01F1).
  { group: 0x00e1, creator: 'ELSCINT1', element: 0x21, vr: 'DS', meaning: 'DLP', source: E3101 },
  {
    group: 0x01e1,
    creator: 'ELSCINT1',
    element: 0x26,
    vr: 'CS',
    meaning: 'Phantom Type',
    source: E3101,
  },
  {
    group: 0x01e1,
    creator: 'ELSCINT1',
    element: 0x50,
    vr: 'DS',
    meaning: 'Acquisition Duration',
    source: E3101,
  },
  {
    group: 0x01f1,
    creator: 'ELSCINT1',
    element: 0x01,
    vr: 'CS',
    meaning: 'Acquisition Type',
    source: E3101,
  },
  {
    group: 0x01f1,
    creator: 'ELSCINT1',
    element: 0x07,
    vr: 'DS',
    meaning: 'Table Velocity',
    source: E3101,
  },
  { group: 0x01f1, creator: 'ELSCINT1', element: 0x26, vr: 'DS', meaning: 'Pitch', source: E3101 },
  {
    group: 0x01f1,
    creator: 'ELSCINT1',
    element: 0x27,
    vr: 'DS',
    meaning: 'Rotation Time',
    source: E3101,
  },
  // Philips MR real-world value scaling (both spellings of the creator occur in the field).
  {
    group: 0x2005,
    creator: 'Philips MR Imaging DD 001',
    element: 0x0d,
    vr: 'FL',
    meaning: 'Scale Intercept',
    source: E3101,
  },
  {
    group: 0x2005,
    creator: 'Philips MR Imaging DD 001',
    element: 0x0e,
    vr: 'FL',
    meaning: 'Scale Slope',
    source: E3101,
  },
  {
    group: 0x2005,
    creator: 'PHILIPS MR IMAGING DD 001',
    element: 0x0d,
    vr: 'FL',
    meaning: 'Scale Intercept',
    source: E3101,
  },
  {
    group: 0x2005,
    creator: 'PHILIPS MR IMAGING DD 001',
    element: 0x0e,
    vr: 'FL',
    meaning: 'Scale Slope',
    source: E3101,
  },
  // Philips PET quantitation factors.
  {
    group: 0x7053,
    creator: 'Philips PET Private Group',
    element: 0x00,
    vr: 'DS',
    meaning: 'SUV Factor',
    source: E3101,
  },
  {
    group: 0x7053,
    creator: 'Philips PET Private Group',
    element: 0x09,
    vr: 'DS',
    meaning: 'Activity Concentration Factor',
    source: E3101,
  },
];

/** Creators whose blocks are never safe, even if a recipe lists one of their elements. */
export const NEVER_SAFE_CREATORS: readonly string[] = [
  'SIEMENS CSA HEADER',
  'SIEMENS CSA NON-IMAGE',
  'SIEMENS CSA REPORT',
  'GEMS_IDEN_01',
  'GEMS_PATI_01',
];

/** Private creator values are LO, padded with spaces; compare them without the padding. */
export function normalizeCreator(creator: string): string {
  return creator.replace(/[\s\0]+$/, '').replace(/^\s+/, '');
}
