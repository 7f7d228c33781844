// The before/after listing for one de-identified file: one row per element seen, kept, changed, removed or added.

import { keywordForTag } from '../dicom/dictionary';
import { getNumbers } from '../dicom/element';
import { decodeText } from '../dicom/text';
import {
  formatTag,
  isPrivateTag,
  tagElement,
  type DataElement,
  type Tag,
  type VR,
} from '../dicom/types';
import type { Action } from '../profile/types';
import { TEXT_VRS } from '../dicom/vr-classes';

/**
 * What happened to an element: a Table E.1-1 action, or one of ours — 'pseudonym' (PatientName,
 * PatientID set to the patient's pseudonym; AccessionNumber, StudyID set to a keyed hash), 'shift' (a date moved by the patient's shift),
 * 'override' (a recipe override changed it), 'added' (a mark or meta element we wrote).
 */
export type ExplainAction = Action | 'pseudonym' | 'shift' | 'override' | 'added';

export interface ExplainRow {
  /** 'RequestAttributesSequence > RequestedProcedureDescription', or '(0009,1010) "CREATOR"' for private elements. */
  path: string;
  tag: Tag;
  keyword?: string;
  vr: VR;
  /** The value read (text decoded, binary summarized); absent for added elements. */
  before?: string;
  /** The value written; absent when the element was removed. */
  after?: string;
  action: ExplainAction;
  reason: string;
}

const NUMBER_VRS: ReadonlySet<VR> = new Set(['US', 'SS', 'UL', 'SL', 'FL', 'FD', 'SV', 'UV']);

/** The most numbers shown for a binary element before it is summarized by its size. */
const MAX_NUMBERS_SHOWN = 16;

/**
 * A value as a person reads it: text decoded with the data set's character sets and without its
 * padding; numbers as numbers; AT as tags; anything else as '<VR n bytes>' or '<n items>'.
 */
export function describeValue(el: DataElement, charsets: string[], littleEndian: boolean): string {
  if (el.items) return `<${el.items.length} item${el.items.length === 1 ? '' : 's'}>`;
  if (el.fragments) return `<encapsulated, ${el.fragments.length} fragments>`;
  const bytes = el.bytes ?? new Uint8Array(0);
  if (TEXT_VRS.has(el.vr)) return decodeText(bytes, charsets, el.vr).replace(/[\0 ]+$/, '');
  if (NUMBER_VRS.has(el.vr) && bytes.length <= MAX_NUMBERS_SHOWN * 8) {
    const numbers = getNumbers(new Map([[el.tag, el]]), el.tag, littleEndian) ?? [];
    if (numbers.length <= MAX_NUMBERS_SHOWN) return numbers.join('\\');
  }
  if (el.vr === 'AT' && bytes.length % 4 === 0 && bytes.length <= MAX_NUMBERS_SHOWN * 4) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const tags: string[] = [];
    for (let off = 0; off < bytes.length; off += 4) {
      const tag =
        ((view.getUint16(off, littleEndian) << 16) | view.getUint16(off + 2, littleEndian)) >>> 0;
      tags.push(formatTag(tag));
    }
    return tags.join('\\');
  }
  return `<${el.vr} ${bytes.length} bytes>`;
}

/** One segment of an element path: the keyword, the tag for unknown public tags, tag and creator for private ones. */
export function pathSegment(tag: Tag, privateCreator?: string): string {
  if (isPrivateTag(tag))
    return privateCreator === undefined ? formatTag(tag) : `${formatTag(tag)} "${privateCreator}"`;
  return keywordForTag(tag) ?? formatTag(tag);
}

/**
 * The canonical form of a path segment for matching overrides: '(gggg,eeee)' for public tags
 * and '(gggg,xxee) "CREATOR"' for private ones, since the block a creator reserves differs
 * between files.
 */
export function canonicalSegment(tag: Tag, privateCreator?: string): string {
  const formatted = formatTag(tag);
  if (!isPrivateTag(tag) || privateCreator === undefined || tagElement(tag) < 0x1000)
    return formatted;
  return `${formatted.slice(0, 6)}xx${formatted.slice(8)} "${privateCreator}"`;
}

/** Counts of rows per action, for the review summary of one file. */
export function summarizeExplain(
  rows: readonly ExplainRow[],
): Partial<Record<ExplainAction, number>> {
  const counts: Partial<Record<ExplainAction, number>> = {};
  for (const row of rows) counts[row.action] = (counts[row.action] ?? 0) + 1;
  return counts;
}

/** The listing as aligned plain text (CLI and debugging of the caller's own files; it holds PHI). */
export function renderExplainText(rows: readonly ExplainRow[]): string {
  const lines = rows.map((row) => {
    const before = row.before ?? '';
    const after = row.after ?? (row.action === 'X' || row.action === 'override' ? '(removed)' : '');
    return `${row.action.padEnd(9)} ${row.path}  [${row.vr}]  ${JSON.stringify(before)} -> ${JSON.stringify(after)}  (${row.reason})`;
  });
  return lines.join('\n') + (lines.length > 0 ? '\n' : '');
}
