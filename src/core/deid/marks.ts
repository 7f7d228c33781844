// The de-identification marks (PS3.15 E.1.1, PS3.3 C.12.1) and the new file meta group we write.

import { getUid, sequenceElement, textElement, bytesElement } from '../dicom/element';
import {
  CLEANROOM_IMPLEMENTATION_CLASS_UID,
  CLEANROOM_IMPLEMENTATION_VERSION_NAME,
} from '../dicom/write';
import {
  formatTag,
  type DataElement,
  type Dataset,
  type DicomFile,
  type Tag,
} from '../dicom/types';
import type { Profile } from '../profile/types';
import { describeValue, type ExplainRow } from './explain';
import { remapUid, type UidCache } from './uids';

const PATIENT_IDENTITY_REMOVED: Tag = 0x00120062;
const DEIDENTIFICATION_METHOD: Tag = 0x00120063;
const DEIDENTIFICATION_METHOD_CODE_SEQUENCE: Tag = 0x00120064;
const LONGITUDINAL_TEMPORAL_INFORMATION_MODIFIED: Tag = 0x00280303;
const CODE_VALUE: Tag = 0x00080100;
const CODING_SCHEME_DESIGNATOR: Tag = 0x00080102;
const CODE_MEANING: Tag = 0x00080104;

/** Top-level elements the input's own values of which are replaced by ours. */
export const MARK_TAGS: ReadonlySet<Tag> = new Set([
  PATIENT_IDENTITY_REMOVED,
  DEIDENTIFICATION_METHOD,
  DEIDENTIFICATION_METHOD_CODE_SEQUENCE,
  LONGITUDINAL_TEMPORAL_INFORMATION_MODIFIED,
]);

/** Our implementation's UID and version name: the writer's constants, so both always agree. */
const IMPLEMENTATION_CLASS_UID = CLEANROOM_IMPLEMENTATION_CLASS_UID;
const IMPLEMENTATION_VERSION_NAME = CLEANROOM_IMPLEMENTATION_VERSION_NAME;

/** LO allows 64 characters per value: longer descriptions are cut into several values. */
function loValues(description: string): string[] {
  const values: string[] = [];
  for (const value of description.split('\\')) {
    const text = value.trim();
    for (let i = 0; i < text.length; i += 64) values.push(text.slice(i, i + 64));
  }
  return values.length > 0 ? values : ['DICOM PS3.15 Annex E'];
}

/**
 * LongitudinalTemporalInformationModified (0028,0303): MODIFIED when dates were shifted by a
 * non-zero number of days, UNMODIFIED when they were kept (full dates, or a shift of 0), REMOVED
 * when the basic profile's actions removed or replaced them.
 */
export function longitudinalMark(
  profile: Profile,
  dateShiftDays: number,
): 'MODIFIED' | 'UNMODIFIED' | 'REMOVED' {
  switch (profile.options.retainLongitudinal) {
    case 'modified':
      return dateShiftDays !== 0 ? 'MODIFIED' : 'UNMODIFIED';
    case 'full':
      return 'UNMODIFIED';
    default:
      return 'REMOVED';
  }
}

/** The marks every output carries, with a listing row each (before = the input's value, if any). */
export function buildMarks(
  profile: Profile,
  dateShiftDays: number,
  original: Dataset,
  littleEndian: boolean,
): { element: DataElement; row: ExplainRow }[] {
  const codeItems = profile.methodCodes.map(
    (code): Dataset =>
      new Map([
        [CODE_VALUE, textElement(CODE_VALUE, 'SH', code.value)],
        [CODING_SCHEME_DESIGNATOR, textElement(CODING_SCHEME_DESIGNATOR, 'SH', code.scheme)],
        [CODE_MEANING, textElement(CODE_MEANING, 'LO', code.meaning)],
      ]),
  );
  const marks: [string, DataElement, string, string][] = [
    [
      'PatientIdentityRemoved',
      textElement(PATIENT_IDENTITY_REMOVED, 'CS', 'YES'),
      'YES',
      'PS3.15 E.1.1: identity removed',
    ],
    [
      'DeidentificationMethod',
      textElement(DEIDENTIFICATION_METHOD, 'LO', loValues(profile.methodDescription).join('\\')),
      loValues(profile.methodDescription).join('\\'),
      'PS3.15 E.1.1: the profile and options applied',
    ],
    [
      'DeidentificationMethodCodeSequence',
      sequenceElement(DEIDENTIFICATION_METHOD_CODE_SEQUENCE, codeItems),
      profile.methodCodes.map((c) => c.value).join('\\'),
      'PS3.15 E.1.1: CID 7050 codes of the profile and options',
    ],
    [
      'LongitudinalTemporalInformationModified',
      textElement(
        LONGITUDINAL_TEMPORAL_INFORMATION_MODIFIED,
        'CS',
        longitudinalMark(profile, dateShiftDays),
      ),
      longitudinalMark(profile, dateShiftDays),
      'PS3.15 E.3.6: what happened to dates and times',
    ],
  ];
  return marks.map(([keyword, element, after, reason]) => {
    const had = original.get(element.tag);
    return {
      element,
      row: {
        path: keyword,
        tag: element.tag,
        keyword,
        vr: element.vr,
        ...(had ? { before: describeValue(had, [], littleEndian) } : {}),
        after,
        action: 'added',
        reason,
      },
    };
  });
}

const FILE_META_INFORMATION_VERSION: Tag = 0x00020001;
const MEDIA_STORAGE_SOP_CLASS_UID: Tag = 0x00020002;
const MEDIA_STORAGE_SOP_INSTANCE_UID: Tag = 0x00020003;
const TRANSFER_SYNTAX_UID: Tag = 0x00020010;
const IMPLEMENTATION_CLASS_UID_TAG: Tag = 0x00020012;
const IMPLEMENTATION_VERSION_NAME_TAG: Tag = 0x00020013;
const SOP_CLASS_UID: Tag = 0x00080016;
const SOP_INSTANCE_UID: Tag = 0x00080018;

/**
 * A new file meta group: version 00\01, the SOP class, the new SOP instance UID, the transfer
 * syntax, our implementation UID and name. Every other meta element of the input (source, sending
 * and receiving AE titles, private information) is dropped; the listing says so.
 */
export async function buildFileMeta(
  file: DicomFile,
  dataset: Dataset,
  secret: CryptoKey,
  uidCache: UidCache | undefined,
  explain: ExplainRow[],
): Promise<Dataset> {
  const sopClass =
    getUid(dataset, SOP_CLASS_UID) || getUid(file.meta, MEDIA_STORAGE_SOP_CLASS_UID) || '';
  const metaInstance = getUid(file.meta, MEDIA_STORAGE_SOP_INSTANCE_UID);
  const sopInstance =
    getUid(dataset, SOP_INSTANCE_UID) ||
    (metaInstance ? await remapUid(metaInstance, secret, uidCache) : '');
  const elements: [string, DataElement, string, ExplainRow['action'], string][] = [
    [
      'FileMetaInformationVersion',
      bytesElement(FILE_META_INFORMATION_VERSION, 'OB', Uint8Array.of(0, 1)),
      '',
      'added',
      'file meta: version 00\\01',
    ],
    [
      'MediaStorageSOPClassUID',
      textElement(MEDIA_STORAGE_SOP_CLASS_UID, 'UI', sopClass),
      sopClass,
      'K',
      'file meta: the SOP class',
    ],
    [
      'MediaStorageSOPInstanceUID',
      textElement(MEDIA_STORAGE_SOP_INSTANCE_UID, 'UI', sopInstance),
      sopInstance,
      'U',
      'file meta: the new SOPInstanceUID',
    ],
    [
      'TransferSyntaxUID',
      textElement(TRANSFER_SYNTAX_UID, 'UI', file.syntax.transferSyntaxUID),
      file.syntax.transferSyntaxUID,
      'K',
      'file meta: the transfer syntax is unchanged',
    ],
    [
      'ImplementationClassUID',
      textElement(IMPLEMENTATION_CLASS_UID_TAG, 'UI', IMPLEMENTATION_CLASS_UID),
      IMPLEMENTATION_CLASS_UID,
      'added',
      'file meta: written by Cleanroom',
    ],
    [
      'ImplementationVersionName',
      textElement(IMPLEMENTATION_VERSION_NAME_TAG, 'SH', IMPLEMENTATION_VERSION_NAME),
      IMPLEMENTATION_VERSION_NAME,
      'added',
      'file meta: written by Cleanroom',
    ],
  ];
  const meta: Dataset = new Map();
  for (const [keyword, element, after, action, reason] of elements) {
    meta.set(element.tag, element);
    const had = file.meta.get(element.tag);
    explain.push({
      path: keyword,
      tag: element.tag,
      keyword,
      vr: element.vr,
      ...(had ? { before: describeValue(had, [], true) } : {}),
      ...(element.tag === FILE_META_INFORMATION_VERSION ? { after: '00\\01' } : { after }),
      action: had || action !== 'added' ? action : 'added',
      reason,
    });
  }
  for (const [tag, el] of [...file.meta].sort((a, b) => a[0] - b[0])) {
    if (meta.has(tag) || (tag & 0xffff) === 0) continue;
    explain.push({
      path: formatTag(tag),
      tag,
      vr: el.vr,
      before: describeValue(el, [], true),
      action: 'X',
      reason: 'file meta: not carried over',
    });
  }
  return meta;
}
