// Classes of VRs that several modules ask about (PS3.5 6.2, Table 6.2-1), defined once.
import type { VR } from './types';

/** VRs whose bytes are characters (default repertoire or the data set's character set). */
export const TEXT_VRS: ReadonlySet<VR> = new Set([
  'AE',
  'AS',
  'CS',
  'DA',
  'DS',
  'DT',
  'IS',
  'LO',
  'LT',
  'PN',
  'SH',
  'ST',
  'TM',
  'UC',
  'UI',
  'UR',
  'UT',
]);

/**
 * VRs written in the Specific Character Set (PS3.5 6.1.2.3). They are also the free-text VRs a
 * person types into, so cleaning, the review ranking and the allow-list's C action use them too.
 */
export const FREE_TEXT_VRS: ReadonlySet<VR> = new Set(['SH', 'LO', 'ST', 'LT', 'UT', 'PN', 'UC']);
