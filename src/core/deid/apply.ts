// Applies a compiled profile to one parsed DICOM file: the allow-list rebuild, UIDs, dates, pseudonyms, marks.

import { keywordForTag, tagForKeyword, vrForTag } from '../dicom/dictionary';
import { FREE_TEXT_VRS, TEXT_VRS } from '../dicom/vr-classes';
import { getText, getUid, sequenceElement, textElement } from '../dicom/element';
import { charsetsOf, decodeText, encodeText } from '../dicom/text';
import {
  PIXEL_DATA,
  formatTag,
  isPrivateCreator,
  isPrivateTag,
  tagElement,
  tagGroup,
  type DataElement,
  type Dataset,
  type DicomFile,
  type Tag,
  type VR,
} from '../dicom/types';
import type { Action, ElementRule, Profile } from '../profile/types';
import { capAge, shiftDate, shiftDateTime } from './dates';
import {
  canonicalSegment,
  describeValue,
  pathSegment,
  type ExplainAction,
  type ExplainRow,
} from './explain';
import { collectIdentifierSets } from './identifiers';
import { findOverride, indexOverrides, type Override } from './overrides';
import { shortIdentifier } from './pseudonyms';
import { mergeTokenSets, scrubText, type TokenSet } from './tokens';
import { remapUidList, type UidCache } from './uids';
import { trimUid } from '../dicom/syntax';
import { dummyBytes, dummyText, fitToVr, isAsciiOrUtf8, isPlainAscii } from './values';
import { buildFileMeta, buildMarks, MARK_TAGS } from './marks';

export type { Override } from './overrides';

/** Why a readable file is not de-identified: it is not a composite instance (a DICOMDIR, say). */
export class DeidError extends Error {
  constructor(
    readonly code: 'not-an-instance',
    message: string,
  ) {
    super(message);
    this.name = 'DeidError';
  }
}

/** Media Storage Directory Storage (PS3.10): a DICOMDIR indexes files and holds their PHI; it is never packaged. */
const MEDIA_STORAGE_DIRECTORY = '1.2.840.10008.1.3.10';

export interface DeidContext {
  profile: Profile;
  secret: CryptoKey;
  /** The patient's pseudonym ('SITE-000042'): PatientName and PatientID become it. */
  pseudonym: string;
  /** The patient's date shift in days (dateShiftForPatient); used where dates are modified. */
  dateShiftDays: number;
  overrides?: readonly Override[];
  /**
   * The patient's identifiers across all their instances (names, IDs, birth date, accession,
   * addresses); this file's own are added.
   */
  identifiers?: TokenSet;
  /**
   * The site's names across the patient's instances (institution, its address and department,
   * station; SITE_KINDS): cleaned from free text like the patient's, but not from the device's
   * identity (DEVICE_IDENTITY_TEXT), where a maker's name that is also the site's is kept.
   */
  siteIdentifiers?: TokenSet;
  /** Share one cache across the run so every file of a study gets the same new UIDs. */
  uidCache?: UidCache;
  /**
   * AccessionNumber and StudyID where the profile says Z, D or C: 'hash' (default) writes a keyed
   * 16-character value, the same for the same original in every file; 'empty' writes zero length.
   */
  identifierReplacement?: 'hash' | 'empty';
}

export interface DeidResult {
  /** The new file meta group (no group length: the writer computes it). */
  meta: Dataset;
  /** The rebuilt data set. PixelData is in it only when the input was read in full. */
  dataset: Dataset;
  transferSyntaxUID: string;
  explain: ExplainRow[];
  /** [original, new] for every UID this file remapped, in first-seen order. */
  uidMap: [string, string][];
  /** What a person should know, naming tags and never values. */
  warnings: string[];
}

const SPECIFIC_CHARACTER_SET: Tag = 0x00080005;
const SOP_CLASS_UID: Tag = 0x00080016;
const SOP_INSTANCE_UID: Tag = 0x00080018;
const ACCESSION_NUMBER: Tag = 0x00080050;
const PATIENT_NAME: Tag = 0x00100010;
const PATIENT_ID: Tag = 0x00100020;
const STUDY_ID: Tag = 0x00200010;
const MEDIA_STORAGE_SOP_CLASS_UID: Tag = 0x00020002;

/** The output's character set when conversion is needed (PS3.5 6.1.2.3: UTF-8). */
const UTF8 = 'ISO_IR 192';

/** Where an element sits: tags of enclosing sequences, the readable path and the override-matching path. */
interface Place {
  tags: Tag[];
  labels: string[];
  canonical: string[];
}

/** The output for one element: the element written (undefined = removed) and how the listing explains it. */
interface Outcome {
  element?: DataElement;
  action: ExplainAction;
  reason: string;
}

/** The character sets of a data set and every item below it, first the top level's. */
function allCharsets(ds: Dataset, inherited: string[] = [], out: string[][] = []): string[][] {
  const own = charsetsOf(ds, inherited);
  out.push(own);
  for (const el of ds.values()) for (const item of el.items ?? []) allCharsets(item, own, out);
  return out;
}

/** True when any text value in a character-set VR holds bytes beyond 7-bit ASCII. */
function hasEightBitText(ds: Dataset): boolean {
  for (const el of ds.values()) {
    if (el.items?.some(hasEightBitText)) return true;
    if (el.bytes && FREE_TEXT_VRS.has(el.vr) && !isPlainAscii(el.bytes)) return true;
  }
  return false;
}

/**
 * Decides whether the output must be UTF-8: when the input's character set is neither ASCII nor
 * UTF-8, or when it is ASCII but something we write (the pseudonym, an override) or something
 * stored (8-bit bytes without a declared set) is not. Returns the set converted from, for the warning.
 */
function planCharset(file: DicomFile, ctx: DeidContext): string | undefined {
  const sets = allCharsets(file.dataset);
  const foreign = sets.find((s) => !isAsciiOrUtf8(s));
  if (foreign) return foreign.join('\\');
  if (sets[0].includes(UTF8)) return undefined;
  const newText = [ctx.pseudonym, ...(ctx.overrides ?? []).map((o) => o.replacement ?? '')];
  if (newText.some((t) => /[\u0080-\uffff]/.test(t)) || hasEightBitText(file.dataset))
    return 'the default repertoire';
  return undefined;
}

/** The VR to act by: a public element stored as UN (explicit UN) acts as its dictionary VR. */
function effectiveVr(el: DataElement): VR {
  if (el.vr !== 'UN' || isPrivateTag(el.tag)) return el.vr;
  const vr = vrForTag(el.tag);
  return vr === 'SQ' && !el.items ? 'UN' : vr;
}

/** True when a value's bytes are printable text (a private UN element that holds a string). */
function isPrintable(bytes: Uint8Array | undefined): boolean {
  if (!bytes || bytes.length === 0) return false;
  for (const byte of bytes)
    if ((byte < 0x20 && byte !== 0 && byte !== 0x0a && byte !== 0x0d) || byte === 0x7f)
      return false;
  return true;
}

function textValue(el: DataElement, charsets: string[], vr: VR): string {
  return decodeText(el.bytes ?? new Uint8Array(0), charsets, vr).replace(/[\0 ]+$/, '');
}

/**
 * Free text that names the device, not a person or a place: only the patient's own identifiers are
 * cleaned from it. Masking the site's name here destroyed research value ("TOSHIBA_MEC" became
 * "***_MEC" where the institution was "TOSHIBA"); the Review step still lists these values.
 */
const DEVICE_IDENTITY_TEXT: ReadonlySet<Tag> = new Set(
  [
    'Manufacturer',
    'ManufacturerModelName',
    'SoftwareVersions',
    'SecondaryCaptureDeviceManufacturer',
    'SecondaryCaptureDeviceManufacturerModelName',
    'SecondaryCaptureDeviceSoftwareVersions',
    'DetectorManufacturerName',
    'DetectorManufacturerModelName',
    'SourceManufacturer',
    'TransducerData',
  ]
    .map((keyword) => tagForKeyword(keyword))
    .filter((tag): tag is Tag => tag !== undefined),
);

/** One file's rebuild: carries the run context, the listing and the UID pairs while it recurses. */
class Rebuild {
  readonly explain: ExplainRow[] = [];
  readonly warnings = new Set<string>();
  readonly uidPairs = new Map<string, string>();
  private readonly overrides: Map<string, Override[]>;
  private readonly uidCache: UidCache;
  private tokens: { all: TokenSet; patient: TokenSet } | undefined;

  constructor(
    private readonly file: DicomFile,
    private readonly ctx: DeidContext,
    private readonly sopClassUID: string,
    readonly convertFrom: string | undefined,
  ) {
    this.overrides = indexOverrides(ctx.overrides);
    this.uidCache = ctx.uidCache ?? new Map();
  }

  private get littleEndian(): boolean {
    return this.file.syntax.littleEndian;
  }

  /**
   * The identifiers to clean from element `tag`, with this file's own, built on the first C action
   * that needs them: the patient's and the site's, or the patient's only in the device's identity.
   */
  private identifierTokens(tag: Tag): TokenSet {
    if (!this.tokens) {
      const own = collectIdentifierSets(this.file.dataset);
      const patient = mergeTokenSets(this.ctx.identifiers ?? [], own.patient);
      this.tokens = {
        patient,
        all: mergeTokenSets(patient, this.ctx.siteIdentifiers ?? [], own.site),
      };
    }
    return DEVICE_IDENTITY_TEXT.has(tag >>> 0) ? this.tokens.patient : this.tokens.all;
  }

  private warn(message: string): void {
    this.warnings.add(message);
  }

  private where(tag: Tag): string {
    const keyword = keywordForTag(tag);
    return keyword ? `${formatTag(tag)} ${keyword}` : formatTag(tag);
  }

  /** Rebuilds one data set (the top level or a sequence item) from the elements the profile allows. */
  async dataset(src: Dataset, place: Place, inherited: string[]): Promise<Dataset> {
    const charsets = charsetsOf(src, inherited);
    const out: Dataset = new Map();
    const creators = new Map<Tag, string>();
    for (const el of src.values()) {
      if (isPrivateCreator(el.tag) && el.bytes)
        creators.set(el.tag, textValue(el, charsets, 'LO').trim());
    }
    const keptCreators = new Set<Tag>();
    const tags = [...src.keys()].sort((a, b) => a - b);
    for (const tag of tags) {
      const el = src.get(tag)!;
      if (isPrivateCreator(tag)) continue;
      if (place.tags.length === 0 && MARK_TAGS.has(tag)) continue; // replaced by our marks
      const creatorTag =
        isPrivateTag(tag) && tagElement(tag) >= 0x1000 ? this.creatorTagOf(tag) : undefined;
      const creator = creatorTag === undefined ? undefined : creators.get(creatorTag);
      const written = await this.element(el, place, charsets, creator);
      if (written) {
        out.set(tag, written);
        if (creatorTag !== undefined) keptCreators.add(creatorTag);
      }
    }
    for (const [creatorTag, creator] of [...creators].sort((a, b) => a[0] - b[0])) {
      const el = src.get(creatorTag)!;
      const kept = keptCreators.has(creatorTag);
      const written = kept ? this.keepText(el, charsets, 'LO') : undefined;
      if (written) out.set(creatorTag, written);
      this.row(place, el, creator, charsets, written, {
        action: kept ? 'K' : 'X',
        reason: kept
          ? 'private creator of kept private elements'
          : 'private creator with no kept element',
      });
    }
    return out;
  }

  /** The creator element reserving a private element's block: (gggg,xxyy) → (gggg,00xx). */
  private creatorTagOf(tag: Tag): Tag {
    return ((tagGroup(tag) << 16) | (tagElement(tag) >> 8)) >>> 0;
  }

  private row(
    place: Place,
    el: DataElement,
    creator: string | undefined,
    charsets: string[],
    written: DataElement | undefined,
    outcome: Omit<Outcome, 'element'>,
  ): void {
    const keyword = keywordForTag(el.tag);
    this.explain.push({
      path: [...place.labels, pathSegment(el.tag, creator)].join(' > '),
      tag: el.tag,
      ...(keyword ? { keyword } : {}),
      vr: el.vr,
      before: describeValue(el, charsets, this.littleEndian),
      ...(written
        ? {
            after: describeValue(
              written,
              written === el ? charsets : this.outCharsets(charsets),
              this.littleEndian,
            ),
          }
        : {}),
      action: outcome.action,
      reason: outcome.reason,
    });
  }

  /** The character sets new values are read back with: UTF-8 once converted. */
  private outCharsets(charsets: string[]): string[] {
    return this.convertFrom !== undefined ? [UTF8] : charsets.includes(UTF8) ? charsets : [UTF8];
  }

  /** One element: the profile's action, our special cases, then any recipe override; records its row. */
  private async element(
    el: DataElement,
    place: Place,
    charsets: string[],
    creator: string | undefined,
  ): Promise<DataElement | undefined> {
    let outcome: Outcome;
    const tag = el.tag;
    if (tagElement(tag) === 0) {
      outcome = { action: 'X', reason: 'group length: not written (the writer needs none)' };
    } else if (tagGroup(tag) === 0x0002) {
      outcome = { action: 'X', reason: 'file meta element inside the data set' };
    } else if (tag === PIXEL_DATA && place.tags.length === 0) {
      outcome = {
        element: el,
        action: 'K',
        reason: 'pixel data passes through unchanged (pixel rules run separately)',
      };
    } else if (isPrivateTag(tag) && creator === undefined) {
      outcome = { action: 'X', reason: 'private element without a private creator' };
    } else {
      const rule = this.ctx.profile.ruleFor(tag, el.vr, {
        sopClassUID: this.sopClassUID,
        path: place.tags,
        ...(creator !== undefined ? { privateCreator: creator } : {}),
      });
      outcome = await this.act(el, rule, place, charsets);
      outcome = this.override(el, place, charsets, creator, outcome);
    }
    this.row(place, el, creator, charsets, outcome.element, outcome);
    return outcome.element;
  }

  private async act(
    el: DataElement,
    rule: ElementRule,
    place: Place,
    charsets: string[],
  ): Promise<Outcome> {
    const { action, reason } = rule;
    const vr = effectiveVr(el);
    // PatientName and PatientID become the pseudonym at the top level whatever the table says (RSNA
    // practice: the Z of Table E.1-1 would leave them empty), and wherever else they are kept.
    const isPatient = el.tag === PATIENT_NAME || el.tag === PATIENT_ID;
    if (isPatient && el.bytes && (place.tags.length === 0 || action !== 'X')) {
      return {
        element: this.newText(el.tag, vr, this.ctx.pseudonym),
        action: 'pseudonym',
        reason: `${reason}; set to the patient's pseudonym (RSNA practice)`,
      };
    }
    if (action === 'X') return { action, reason };
    if (el.bytes && el.vr === 'UN' && !isPrivateTag(el.tag) && vrForTag(el.tag) === 'SQ') {
      // A sequence stored as UN whose items could not be read: nothing in it can be checked.
      this.warn(`${this.where(el.tag)} is a sequence stored as UN that could not be read; removed`);
      return {
        action: 'X',
        reason: `${reason}; a sequence stored as UN whose items could not be read is removed, since its content cannot be checked`,
      };
    }
    if (el.items) {
      if (action === 'Z') return { element: { tag: el.tag, vr: el.vr, items: [] }, action, reason };
      // K, C, D and U on a sequence: keep it and apply the same rules inside every item.
      const inner: Place = {
        tags: [...place.tags, el.tag],
        labels: [...place.labels, pathSegment(el.tag)],
        canonical: [...place.canonical, canonicalSegment(el.tag)],
      };
      const items: Dataset[] = [];
      for (const item of el.items) items.push(await this.dataset(item, inner, charsets));
      return { element: { tag: el.tag, vr: el.vr, items }, action, reason };
    }
    if (el.fragments) {
      if (action === 'K') return { element: el, action, reason };
      this.warn(`encapsulated value of ${this.where(el.tag)} removed`);
      return { action: 'X', reason: `${reason}; an encapsulated value cannot be modified` };
    }
    if ((el.tag === ACCESSION_NUMBER || el.tag === STUDY_ID) && action !== 'K') {
      if (this.ctx.identifierReplacement === 'empty')
        return { element: this.empty(el, vr), action: 'Z', reason };
      const original = textValue(el, charsets, vr);
      const kind = el.tag === ACCESSION_NUMBER ? 'AccessionNumber' : 'StudyID';
      const value = await shortIdentifier(kind, original, this.ctx.secret);
      return {
        element: this.newText(el.tag, vr, value),
        // A pseudonymous value Cleanroom wrote (the table's action is in the reason).
        action: 'pseudonym',
        reason: `${reason} (${action}); keyed hash of the original, the same in every file`,
      };
    }
    switch (action) {
      case 'Z':
        return { element: this.empty(el, vr), action, reason };
      case 'U':
        if (vr === 'UI') return this.remap(el, action, reason);
        return this.dummy(el, vr, reason);
      case 'D':
        if (vr === 'UI') return this.remap(el, action, reason);
        return this.dummy(el, vr, reason);
      case 'C':
        return this.clean(el, vr, action, reason, charsets);
      case 'K':
        return this.keep(el, vr, action, reason, charsets);
    }
  }

  private empty(el: DataElement, vr: VR): DataElement {
    return { tag: el.tag, vr, bytes: new Uint8Array(0) };
  }

  private newText(tag: Tag, vr: VR, value: string): DataElement {
    return textElement(tag, vr, fitToVr(value, vr));
  }

  private async remap(el: DataElement, action: Action, reason: string): Promise<Outcome> {
    const original = trimUid(textValue(el, [], 'UI'));
    const remapped = await remapUidList(original, this.ctx.secret, this.uidCache);
    const olds = original.split('\\');
    const news = remapped.split('\\');
    olds.forEach((uid, i) => {
      const trimmed = trimUid(uid);
      if (trimmed !== news[i] && trimmed !== '') this.uidPairs.set(trimmed, news[i]);
    });
    if (remapped === original)
      return { element: el, action, reason: `${reason}; standard UID, unchanged` };
    return { element: textElement(el.tag, 'UI', remapped), action, reason };
  }

  private dummy(el: DataElement, vr: VR, reason: string): Outcome {
    const text = dummyText(vr);
    if (text !== undefined) return { element: this.newText(el.tag, vr, text), action: 'D', reason };
    return {
      element: { tag: el.tag, vr, bytes: dummyBytes(vr, el.bytes?.length ?? 0) },
      action: 'D',
      reason,
    };
  }

  private shift(el: DataElement, vr: VR, reason: string, charsets: string[]): Outcome {
    const original = textValue(el, charsets, vr);
    const days = this.ctx.dateShiftDays;
    const shifted = vr === 'DA' ? shiftDate(original, days) : shiftDateTime(original, days);
    if (shifted === undefined) {
      this.warn(`malformed ${vr} in ${this.where(el.tag)} could not be shifted and was emptied`);
      return {
        element: this.empty(el, vr),
        action: 'Z',
        reason: `${reason}; malformed value emptied`,
      };
    }
    return {
      element: this.newText(el.tag, vr, shifted),
      action: 'shift',
      reason: `${reason}; shifted by the patient's date shift`,
    };
  }

  private age(el: DataElement, action: Action, reason: string, charsets: string[]): Outcome {
    const original = textValue(el, charsets, 'AS');
    const capped = capAge(original);
    if (capped === undefined) {
      this.warn(`malformed AS in ${this.where(el.tag)} was emptied`);
      return {
        element: this.empty(el, 'AS'),
        action: 'Z',
        reason: `${reason}; malformed age emptied`,
      };
    }
    if (capped === original.trim()) return { element: el, action, reason };
    return {
      element: this.newText(el.tag, 'AS', capped),
      action: 'C',
      reason: `${reason}; ages over 89 written as 090Y`,
    };
  }

  private clean(
    el: DataElement,
    vr: VR,
    action: Action,
    reason: string,
    charsets: string[],
  ): Outcome | Promise<Outcome> {
    if (vr === 'DA' || vr === 'DT') {
      const mode = this.ctx.profile.options.retainLongitudinal;
      if (mode === 'modified') return this.shift(el, vr, reason, charsets);
      if (mode === 'full') return this.keep(el, vr, 'K', reason, charsets);
      return this.dummy(el, vr, reason);
    }
    if (vr === 'UI') return this.remap(el, action, reason);
    if (vr === 'AS') return this.age(el, action, reason, charsets);
    if (FREE_TEXT_VRS.has(vr)) {
      const original = textValue(el, charsets, vr);
      const { text, hits } = scrubText(original, this.identifierTokens(el.tag));
      if (hits > 0) {
        return {
          element: this.newText(el.tag, vr, text),
          action,
          reason: `${reason}; ${hits} identifier${hits === 1 ? '' : 's'} masked`,
        };
      }
    }
    return this.keep(el, vr, action, reason, charsets);
  }

  private keep(
    el: DataElement,
    vr: VR,
    action: Action,
    reason: string,
    charsets: string[],
  ): Outcome {
    if (
      (vr === 'DA' || vr === 'DT') &&
      this.ctx.profile.options.retainLongitudinal === 'modified'
    ) {
      return this.shift(el, vr, reason, charsets);
    }
    if (vr === 'AS') return this.age(el, action, reason, charsets);
    if (el.tag === SPECIFIC_CHARACTER_SET && this.convertFrom !== undefined) {
      return {
        element: textElement(el.tag, 'CS', UTF8),
        action,
        reason: `${reason}; converted to UTF-8`,
      };
    }
    if (isPrivateTag(el.tag) && (FREE_TEXT_VRS.has(vr) || (vr === 'UN' && isPrintable(el.bytes)))) {
      // A safe-listed private attribute may still be free text: mask the patient's identifiers in it.
      const textVr = vr === 'UN' ? 'LO' : vr;
      const { text, hits } = scrubText(
        textValue(el, charsets, textVr),
        this.identifierTokens(el.tag),
      );
      if (hits > 0) {
        return {
          element: { tag: el.tag, vr, bytes: encodeText(fitToVr(text, textVr), textVr) },
          action: 'C',
          reason: `${reason}; ${hits} identifier${hits === 1 ? '' : 's'} masked`,
        };
      }
    }
    return { element: this.keepText(el, charsets, vr), action, reason };
  }

  /** The element as it was, or re-encoded to UTF-8 when the output's character set changes. */
  private keepText(el: DataElement, charsets: string[], vr: VR): DataElement {
    if (
      this.convertFrom === undefined ||
      !FREE_TEXT_VRS.has(vr) ||
      !el.bytes ||
      isPlainAscii(el.bytes)
    )
      return el;
    return { tag: el.tag, vr, bytes: encodeText(textValue(el, charsets, vr), vr) };
  }

  /** Applies a matching recipe override to the profile's outcome. */
  private override(
    el: DataElement,
    place: Place,
    charsets: string[],
    creator: string | undefined,
    outcome: Outcome,
  ): Outcome {
    if (!outcome.element) return outcome;
    const canonicalPath = [...place.canonical, canonicalSegment(el.tag, creator)].join(' > ');
    const vr = effectiveVr(el);
    const isText = TEXT_VRS.has(vr) && !el.items;
    const before = isText ? textValue(el, charsets, vr) : undefined;
    const after = isText ? textValue(outcome.element, this.outCharsets(charsets), vr) : undefined;
    const found = findOverride(this.overrides, canonicalPath, before, after);
    if (!found) return outcome;
    switch (found.action) {
      case 'accept':
        return { ...outcome, reason: `${outcome.reason}; accepted in review` };
      case 'remove':
        return { action: 'override', reason: 'recipe override: remove' };
      case 'blank':
        return {
          element: el.items ? sequenceElement(el.tag, []) : this.empty(el, vr),
          action: 'override',
          reason: 'recipe override: blank',
        };
      case 'replace':
        if (!isText) {
          this.warn(
            `override 'replace' cannot write a ${vr} value in ${this.where(el.tag)}: removed instead`,
          );
          return {
            action: 'override',
            reason: 'recipe override: replace (not possible for this VR, removed)',
          };
        }
        return {
          element: this.newText(el.tag, vr, found.replacement ?? ''),
          action: 'override',
          reason: 'recipe override: replace',
        };
    }
  }
}

/**
 * De-identifies one parsed file. The output data set is built from scratch: only what the profile
 * keeps or modifies is copied, at every depth; untouched elements keep their original bytes.
 * PixelData is in the result only when the input was read in full; for a header-only read the
 * caller writes the header (writeDicomHeader) and appends the original pixel element bytes.
 * Deterministic: the same file, context and secret give the same result.
 */
export async function deidentify(file: DicomFile, ctx: DeidContext): Promise<DeidResult> {
  const sopClassUID =
    getUid(file.dataset, SOP_CLASS_UID) || getUid(file.meta, MEDIA_STORAGE_SOP_CLASS_UID) || '';
  if (sopClassUID === MEDIA_STORAGE_DIRECTORY || sopClassUID === '') {
    throw new DeidError(
      'not-an-instance',
      sopClassUID === ''
        ? 'The file has no SOPClassUID (0008,0016): not a composite instance.'
        : 'The file is a DICOMDIR, not an instance.',
    );
  }
  const convertFrom = planCharset(file, ctx);
  const rebuild = new Rebuild(file, ctx, sopClassUID, convertFrom);
  const dataset = await rebuild.dataset(file.dataset, { tags: [], labels: [], canonical: [] }, []);
  if (convertFrom !== undefined) {
    const had = file.dataset.get(SPECIFIC_CHARACTER_SET);
    dataset.set(SPECIFIC_CHARACTER_SET, textElement(SPECIFIC_CHARACTER_SET, 'CS', UTF8));
    if (
      !had ||
      !rebuild.explain.some((r) => r.tag === SPECIFIC_CHARACTER_SET && r.after !== undefined)
    ) {
      rebuild.explain.push({
        path: 'SpecificCharacterSet',
        tag: SPECIFIC_CHARACTER_SET,
        keyword: 'SpecificCharacterSet',
        vr: 'CS',
        ...(had ? { before: describeValue(had, [], true) } : {}),
        after: UTF8,
        action: 'added',
        reason: 'text re-encoded as UTF-8',
      });
    }
    rebuild.warnings.add(`character set converted from ${convertFrom} to ${UTF8}`);
  }
  // Every output file names its patient by the pseudonym, even when the input left PatientName or
  // PatientID out (both are Type 2 in the Patient Module): an organizer groups files by them.
  for (const [tag, keyword] of [
    [PATIENT_NAME, 'PatientName'],
    [PATIENT_ID, 'PatientID'],
  ] as const) {
    if (getText(dataset, tag)) continue;
    dataset.set(tag, textElement(tag, tag === PATIENT_NAME ? 'PN' : 'LO', ctx.pseudonym));
    rebuild.explain.push({
      path: keyword,
      tag,
      keyword,
      vr: tag === PATIENT_NAME ? 'PN' : 'LO',
      after: ctx.pseudonym,
      action: 'pseudonym',
      reason: `added: the input had no ${keyword}; every file carries the patient's pseudonym`,
    });
  }
  const marks = buildMarks(ctx.profile, ctx.dateShiftDays, file.dataset, file.syntax.littleEndian);
  for (const { element, row } of marks) {
    dataset.set(element.tag, element);
    rebuild.explain.push(row);
  }
  if (getUid(dataset, SOP_INSTANCE_UID) === undefined)
    rebuild.warnings.add('(0008,0018) SOPInstanceUID is missing');
  const meta = await buildFileMeta(file, dataset, ctx.secret, ctx.uidCache, rebuild.explain);
  return {
    meta,
    dataset,
    transferSyntaxUID: file.syntax.transferSyntaxUID,
    explain: rebuild.explain,
    uidMap: [...rebuild.uidPairs],
    warnings: [...rebuild.warnings],
  };
}
