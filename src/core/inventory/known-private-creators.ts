// Private creator strings of widely deployed equipment and tools: a block from one of these is "known".
//
// Known means that the block's owner is recognised and its contents are documented in the vendor's
// conformance statement, not that the block is free of PHI. Anything else is flagged for review.
// Sources: vendor DICOM conformance statements (GE, Siemens, Philips, Canon/Toshiba, Hologic, Agfa)
// and the RSNA Clinical Trial Processor. Compared case-sensitively after trimming, as PS3.5 7.8.1 says.

export const KNOWN_PRIVATE_CREATORS: readonly string[] = [
  // GE Healthcare
  'GEMS_IDEN_01',
  'GEMS_ACQU_01',
  'GEMS_RELA_01',
  'GEMS_STDY_01',
  'GEMS_IMAG_01',
  'GEMS_SERS_01',
  'GEMS_PARM_01',
  'GEMS_HELIOS_01',
  'GEMS_CT_CARDIAC_001',
  'GEMS_IMPS_01',
  'GEMS_3DSTATE_001',
  'GEMS_PETD_01',
  'GEMS_GENIE_1',
  'GEHC_CT_ADVAPP_001',
  // Siemens Healthineers
  'SIEMENS CSA HEADER',
  'SIEMENS CSA NON-IMAGE',
  'SIEMENS MEDCOM HEADER',
  'SIEMENS MEDCOM HEADER2',
  'SIEMENS MEDCOM OOG',
  'SIEMENS CT VA0  COAD',
  'SIEMENS CT VA0  GEN',
  'SIEMENS CT VA1  DUMMY',
  'SIEMENS MR HEADER',
  'SIEMENS MED',
  'SIEMENS MED DISPLAY',
  'SIEMENS IMAGE SHADOW ATTRIBUTES',
  'SIEMENS SYNGO INDEX SERVICE',
  'SIEMENS CM VA0  CMS',
  // Philips
  'Philips Imaging DD 001',
  'Philips Imaging DD 002',
  'Philips Imaging DD 129',
  'Philips MR Imaging DD 001',
  'Philips MR Imaging DD 005',
  'PHILIPS IMAGING DD 001',
  'PHILIPS MR IMAGING DD 001',
  'Philips PET Private Group',
  'ELSCINT1',
  // Canon (Toshiba)
  'TOSHIBA_MEC_1.0',
  'TOSHIBA_MEC_CT_1.0',
  'TOSHIBA_MEC_CT3',
  'TOSHIBA_MEC_MR3',
  'TOSHIBA_MEC_XA3',
  'TOSHIBA_MEC_US',
  'CANON_MEC_CT3',
  'CANON_MEC_MR3',
  // Others
  'HOLOGIC, Inc.',
  'AGFA',
  'AGFA-AG_HPState',
  'CTP',
];

const KNOWN = new Set(KNOWN_PRIVATE_CREATORS);

/** True when a private creator string belongs to the known list. */
export function isKnownPrivateCreator(creator: string): boolean {
  return KNOWN.has(creator.trim());
}
