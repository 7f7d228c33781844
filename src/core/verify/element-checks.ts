// Per file: every standard element is one the recipe's profile keeps; every private one is on the safe list.
import { MARK_TAGS } from '../deid/marks';
import { keywordForTag } from '../dicom/dictionary';
import { decodeText } from '../dicom/text';
import {
  formatTag,
  isPrivateCreator,
  isPrivateTag,
  PIXEL_DATA,
  tagElement,
  tagGroup,
  type DataElement,
  type Tag,
} from '../dicom/types';
import type { Profile } from '../profile/types';
import { TEXT_VRS } from '../dicom/vr-classes';
import type { CheckRecorder } from './recorder';
import type { ElementVisit } from './walk';

const PATIENT_NAME: Tag = 0x00100010;
const PATIENT_ID: Tag = 0x00100020;
const MAX_QUOTE = 64;

function where(tag: Tag): string {
  const keyword = keywordForTag(tag);
  return keyword ? `${keyword} ${formatTag(tag)}` : formatTag(tag);
}

/** True when bytes read as text: no control byte but tab, line feed, carriage return, trailing NUL padding. */
function isPrintable(bytes: Uint8Array): boolean {
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === 0) end--;
  for (let i = 0; i < end; i++) {
    const b = bytes[i];
    if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) || b === 0x7f) return false;
  }
  return true;
}

/** A short quote of a text value, for the organizer to see what the element holds. */
export function quoteValue(el: DataElement, charsets: string[]): string | undefined {
  if (!el.bytes || el.bytes.length === 0 || !(TEXT_VRS.has(el.vr) || el.vr === 'UN'))
    return undefined;
  // A UN value may be binary: quote it only if it reads as text.
  if (el.vr === 'UN' && !isPrintable(el.bytes)) return undefined;
  const text = decodeText(el.bytes, charsets, el.vr === 'UN' ? 'LO' : el.vr).replace(/[\0 ]+$/, '');
  return text.length > MAX_QUOTE ? `"${text.slice(0, MAX_QUOTE)}…"` : `"${text}"`;
}

/** Elements the engine writes whatever the table says (apply.ts): pixel data, the pseudonym, the marks. */
function writtenByEngine(visit: ElementVisit): boolean {
  if (visit.tags.length > 0) return false;
  const tag = visit.el.tag;
  return tag === PIXEL_DATA || tag === PATIENT_NAME || tag === PATIENT_ID || MARK_TAGS.has(tag);
}

/**
 * The file meta elements a de-identifier writes (deid/marks.ts buildFileMeta; PS3.10 7.1); any
 * other (source and sending AE titles, private information) says where the file came from.
 */
const META_WRITTEN: ReadonlySet<Tag> = new Set([
  0x00020000, 0x00020001, 0x00020002, 0x00020003, 0x00020010, 0x00020012, 0x00020013,
]);

function checkMetaElement(entryPath: string, v: ElementVisit, allowed: CheckRecorder): void {
  allowed.checked++;
  if (META_WRITTEN.has(v.el.tag)) return;
  const quote = quoteValue(v.el, v.charsets);
  allowed.add(
    entryPath,
    `${where(v.el.tag)}${quote === undefined ? '' : ` holding ${quote}`}: a file meta element a de-identified file does not carry.`,
  );
}

/**
 * Records the 'elements-allowed' (standard elements) and 'private-elements-safe' (private
 * elements) findings of one file. An element the profile removes is reported once; what is
 * inside it (a removed sequence's items) is not reported again. Returns the private data
 * elements 'private-elements-safe' failed (their findings quote the value), so the value check
 * does not report the same element a second time.
 */
export function checkElements(
  entryPath: string,
  visits: readonly ElementVisit[],
  sopClassUID: string,
  profile: Profile,
  allowed: CheckRecorder,
  privates: CheckRecorder,
): ReadonlySet<DataElement> {
  const flagged = new Set<DataElement>();
  const rejectedPrivate = new Set<DataElement>();
  const keptPrivate = new Set<DataElement>();
  const creators: ElementVisit[] = [];
  for (const v of visits) {
    if (v.part === 'meta') {
      checkMetaElement(entryPath, v, allowed);
      continue;
    }
    if (v.ancestors.some((a) => flagged.has(a))) continue;
    const tag = v.el.tag;
    // Group lengths carry no data (and the writer never writes them): nothing to judge.
    if (tagElement(tag) === 0) continue;
    if (isPrivateTag(tag)) {
      if (isPrivateCreator(tag)) {
        creators.push(v);
        continue;
      }
      privates.checked++;
      const quote = quoteValue(v.el, v.charsets);
      const holding = quote === undefined ? '' : ` holding ${quote}`;
      if (tagElement(tag) < 0x1000) {
        privates.add(
          entryPath,
          `${v.path}${holding}: a private element outside any private block.`,
        );
        flagged.add(v.el);
        rejectedPrivate.add(v.el);
        continue;
      }
      if (v.creator === undefined) {
        privates.add(
          entryPath,
          `${v.path}${holding}: a private element without a private creator.`,
        );
        flagged.add(v.el);
        rejectedPrivate.add(v.el);
        continue;
      }
      const rule = profile.ruleFor(tag, v.el.vr, {
        sopClassUID,
        path: v.tags,
        privateCreator: v.creator,
      });
      if (rule.action === 'X') {
        const why = profile.options.retainSafePrivate
          ? 'it is not on the safe-private list'
          : 'the recipe keeps no private element (Retain Safe Private is off)';
        privates.add(entryPath, `${v.path}${holding}: present, but ${why} (${rule.reason}).`);
        flagged.add(v.el);
        rejectedPrivate.add(v.el);
      } else keptPrivate.add(v.el);
      continue;
    }
    allowed.checked++;
    if (writtenByEngine(v)) continue;
    if (tagGroup(tag) === 0x0002) {
      allowed.add(entryPath, `${v.path}: a file meta element inside the data set.`);
      flagged.add(v.el);
      continue;
    }
    const rule = profile.ruleFor(tag, v.el.vr, { sopClassUID, path: v.tags });
    if (rule.action === 'X') {
      const at = v.tags.length > 0 ? ` at ${v.path}` : '';
      allowed.add(
        entryPath,
        `${where(tag)}${at}: present, but the recipe removes it (${rule.reason}).`,
      );
      flagged.add(v.el);
    }
  }
  // A creator belongs only where its block still holds a kept element (the engine drops it otherwise);
  // one whose block holds only reported elements is covered by those findings.
  for (const c of creators) {
    if (c.ancestors.some((a) => flagged.has(a))) continue;
    privates.checked++;
    const block = c.el.tag & 0xff;
    const group = tagGroup(c.el.tag);
    let kept = false;
    let reported = false;
    for (const el of c.dataset.values()) {
      if (tagGroup(el.tag) !== group || tagElement(el.tag) >> 8 !== block) continue;
      kept ||= keptPrivate.has(el);
      reported ||= flagged.has(el);
    }
    // A block whose elements were reported already is not reported a second time by its creator,
    // and its creator goes with them.
    if (!kept && reported) rejectedPrivate.add(c.el);
    if (!kept && !reported) {
      const why = profile.options.retainSafePrivate
        ? 'no kept private element is in its block'
        : 'the recipe keeps no private element (Retain Safe Private is off)';
      privates.add(entryPath, `${c.path}: a private creator, but ${why}.`);
    }
  }
  return rejectedPrivate;
}
