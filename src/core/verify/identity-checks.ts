// Per file: the de-identification marks (PS3.15 E.1.1) and the UIDs that must have been replaced (action U).
import { isStandardUid } from '../deid/uids';
import { keywordForTag } from '../dicom/dictionary';
import { getText } from '../dicom/element';
import { decodeAscii } from '../dicom/text';
import { isPrivateTag, type Dataset, type Tag } from '../dicom/types';
import { CID_7050 } from '../package/manifest';
import { compileProfile } from '../profile/compile-profile';
import type { Profile } from '../profile/types';
import type { CheckRecorder } from './recorder';
import type { ElementVisit } from './walk';

const PATIENT_IDENTITY_REMOVED: Tag = 0x00120062;
const DEIDENTIFICATION_METHOD_CODE_SEQUENCE: Tag = 0x00120064;
const CODE_VALUE: Tag = 0x00080100;
const CODING_SCHEME_DESIGNATOR: Tag = 0x00080102;
const BASIC_PROFILE = '113100';

/**
 * 'identity-removed': PatientIdentityRemoved is YES, and DeidentificationMethodCodeSequence holds
 * CID 7050 codes (scheme DCM), 113100 among them, and every code the recipe's profile applies.
 */
export function checkIdentityMarks(
  entryPath: string,
  dataset: Dataset,
  profile: Profile | undefined,
  check: CheckRecorder,
): void {
  check.checked++;
  const removed = getText(dataset, PATIENT_IDENTITY_REMOVED)?.trim();
  if (removed === undefined) check.add(entryPath, 'PatientIdentityRemoved (0012,0062) is missing.');
  else if (removed.toUpperCase() !== 'YES') {
    check.add(entryPath, `PatientIdentityRemoved (0012,0062) is "${removed}", not YES.`);
  }
  const sequence = dataset.get(DEIDENTIFICATION_METHOD_CODE_SEQUENCE);
  if (!sequence?.items || sequence.items.length === 0) {
    check.add(entryPath, 'DeidentificationMethodCodeSequence (0012,0064) is missing or empty.');
    return;
  }
  const codes = new Set<string>();
  for (const [i, item] of sequence.items.entries()) {
    const value = getText(item, CODE_VALUE)?.trim() ?? '';
    const scheme = getText(item, CODING_SCHEME_DESIGNATOR)?.trim() ?? '';
    if (scheme !== 'DCM' || CID_7050[value] === undefined) {
      check.add(
        entryPath,
        `DeidentificationMethodCodeSequence item ${i + 1} is "${value}" (${scheme || 'no scheme'}), not a CID 7050 code of scheme DCM.`,
      );
      continue;
    }
    codes.add(value);
  }
  if (!codes.has(BASIC_PROFILE)) {
    check.add(
      entryPath,
      `DeidentificationMethodCodeSequence lacks ${BASIC_PROFILE} (${CID_7050[BASIC_PROFILE]}).`,
    );
  }
  for (const code of profile?.methodCodes ?? []) {
    if (code.value !== BASIC_PROFILE && !codes.has(code.value)) {
      check.add(
        entryPath,
        `DeidentificationMethodCodeSequence lacks ${code.value} (${code.meaning}), which the recipe applies.`,
      );
    }
  }
}

/** Named in the brief of the check: instance, study, series, frame of reference and every Referenced…UID. */
const NAMED_KEYWORDS = new Set([
  'SOPInstanceUID',
  'StudyInstanceUID',
  'SeriesInstanceUID',
  'FrameOfReferenceUID',
  'MediaStorageSOPInstanceUID',
]);

let basicProfile: Profile | undefined;

/** The Basic Profile with no option: its U rows are the UIDs that must always be replaced. */
function basic(): Profile {
  basicProfile ??= compileProfile({
    retainSafePrivate: false,
    retainUIDs: false,
    retainDeviceIdentity: false,
    retainInstitutionIdentity: false,
    retainPatientCharacteristics: false,
    retainLongitudinal: 'off',
    cleanDescriptors: false,
    cleanStructuredContent: false,
    cleanGraphics: false,
  });
  return basicProfile;
}

/** True for a UID element whose value must be a replacement: named above, or U in Table E.1-1. */
export function mustBePseudonymous(visit: ElementVisit, sopClassUID: string): boolean {
  const tag = visit.el.tag;
  if (visit.el.vr !== 'UI' || isPrivateTag(tag)) return false;
  const keyword = keywordForTag(tag);
  if (keyword !== undefined) {
    if (NAMED_KEYWORDS.has(keyword)) return true;
    if (/^Referenced\w*UID$/.test(keyword) && !/ClassUID$/.test(keyword)) return true;
  }
  if (visit.part === 'meta') return false;
  return basic().ruleFor(tag, 'UI', { sopClassUID, path: visit.tags }).action === 'U';
}

function normalizeRoot(root: string): string {
  const r = root.trim();
  return r.endsWith('.') ? r : `${r}.`;
}

/** A UID is pseudonymous when it is a 2.25 UID, under a site root, or defined by the standard. */
export function isPseudonymousUid(uid: string, siteRoots: readonly string[]): boolean {
  if (uid === '') return true;
  if (uid.startsWith('2.25.') || isStandardUid(uid)) return true;
  return siteRoots.some((root) => uid.startsWith(normalizeRoot(root)));
}

/**
 * 'uids-pseudonymous' for one file. With the recipe's Retain UIDs option on, original UIDs are
 * expected: findings are then warnings.
 */
export function checkUids(
  entryPath: string,
  visits: readonly ElementVisit[],
  sopClassUID: string,
  siteRoots: readonly string[],
  retainUIDs: boolean,
  check: CheckRecorder,
): void {
  for (const v of visits) {
    if (!v.el.bytes || !mustBePseudonymous(v, sopClassUID)) continue;
    const values = decodeAscii(v.el.bytes)
      .replace(/[\0 ]+$/, '')
      .split('\\')
      .map((u) => u.replace(/[\0 ]/g, ''));
    for (const uid of values) {
      check.checked++;
      if (isPseudonymousUid(uid, siteRoots)) continue;
      check.add(
        entryPath,
        `${v.path} is ${uid}: neither a 2.25 UID nor under a site root, so it may be the original UID.`,
        retainUIDs ? 'warn' : 'fail',
      );
    }
  }
}
