// Compiles Table E.1-1, the options, the IOD Types, the allow-list and the safe-private list into one Profile.
import { keywordForTag, tagForKeyword } from '../dicom/dictionary';
import type { Tag, VR } from '../dicom/types';
import { FREE_TEXT_VRS } from '../dicom/vr-classes';
import { formatTag, isPrivateCreator, tagElement, tagGroup } from '../dicom/types';
import {
  ANNEX_E_EDITION,
  ANNEX_E_PRIVATE_RULE,
  ANNEX_E_ROWS,
  OPTION_COLUMNS,
  type AnnexERow,
  type OptionColumn,
  type TableAction,
} from './annex-e.generated';
import { allowListKeywords } from './allow-list';
import {
  attributeTypeIn,
  iodNameFor,
  strictestAttributeType,
  type AttributeType,
} from './attribute-types';
import { NEVER_SAFE_CREATORS, SAFE_PRIVATE, normalizeCreator } from './safe-private';
import type {
  Action,
  AllowListExtensions,
  ElementRule,
  MethodCode,
  Profile,
  ProfileOptions,
  RuleContext,
} from './types';

/** A recipe names something the profile cannot resolve (unknown keyword, private tag in `add`). */
export class ProfileError extends Error {
  constructor(readonly problems: string[]) {
    super(`profile: ${problems.join('; ')}`);
    this.name = 'ProfileError';
  }
}

interface OptionInfo {
  label: string;
  /** PS3.15 section that defines the option. */
  section: string;
  code: string;
}

// PS3.15 E.3 option names and CID 7050 (PS3.16) codes, in the order Table E.1-1 prints the columns.
const OPTION_INFO: Record<OptionColumn, OptionInfo> = {
  retainSafePrivate: { label: 'Retain Safe Private', section: 'E.3.10', code: '113111' },
  retainUIDs: { label: 'Retain UIDs', section: 'E.3.9', code: '113110' },
  retainDeviceIdentity: { label: 'Retain Device Identity', section: 'E.3.8', code: '113109' },
  retainInstitutionIdentity: {
    label: 'Retain Institution Identity',
    section: 'E.3.11',
    code: '113112',
  },
  retainPatientCharacteristics: {
    label: 'Retain Patient Characteristics',
    section: 'E.3.7',
    code: '113108',
  },
  retainLongitudinalFull: {
    label: 'Retain Longitudinal Temporal Information Full Dates',
    section: 'E.3.6',
    code: '113106',
  },
  retainLongitudinalModified: {
    label: 'Retain Longitudinal Temporal Information Modified Dates',
    section: 'E.3.6',
    code: '113107',
  },
  cleanDescriptors: { label: 'Clean Descriptors', section: 'E.3.5', code: '113105' },
  cleanStructuredContent: { label: 'Clean Structured Content', section: 'E.3.4', code: '113104' },
  cleanGraphics: { label: 'Clean Graphics', section: 'E.3.3', code: '113103' },
};

export const BASIC_PROFILE_CODE: MethodCode = {
  value: '113100',
  scheme: 'DCM',
  meaning: 'Basic Application Confidentiality Profile',
};
/** Added by the pixel step when it redacts burned-in text (not a header rule). */
export const CLEAN_PIXEL_DATA_CODE: MethodCode = {
  value: '113101',
  scheme: 'DCM',
  meaning: 'Clean Pixel Data Option',
};

function optionOn(column: OptionColumn, o: ProfileOptions): boolean {
  switch (column) {
    case 'retainLongitudinalFull':
      return o.retainLongitudinal === 'full';
    case 'retainLongitudinalModified':
      return o.retainLongitudinal === 'modified';
    default:
      return o[column] === true;
  }
}

// Built once per module load: tag → row, and the repeating-group patterns.
/**
 * Allow-listed elements that only an option may keep. SR TextValue is the free text of the content
 * tree, which the basic profile replaces (ContentSequence: D); Clean Structured Content keeps it
 * cleaned. Without the option the text is replaced by the dummy, not removed: a TEXT content item
 * must have a TextValue (Type 1C), and removing it made every such SR fail validation.
 */
const OPTION_GATED = new Map<Tag, { option: 'cleanStructuredContent'; reason: string }>([
  [
    0x0040a160,
    {
      option: 'cleanStructuredContent',
      reason:
        'TextValue: SR free text is replaced by a dummy value (ContentSequence is D in Table E.1-1; a TEXT item needs its TextValue, Type 1C); the Clean Structured Content option keeps it cleaned instead',
    },
  ],
]);

const ROW_BY_TAG = new Map<Tag, AnnexERow>();
const PATTERN_ROWS: AnnexERow[] = [];
for (const row of ANNEX_E_ROWS) {
  if (row.tag !== undefined) ROW_BY_TAG.set(row.tag, row);
  else PATTERN_ROWS.push(row);
}

/**
 * Coded-entry keys (PS3.3 8.8): identifiers of controlled vocabularies, never typed text about a
 * patient. Cleaning them only broke codes (a scheme designator masked because it shared a token
 * with a name), so they are kept as they are; CodeMeaning, which is text, is still cleaned.
 */
const VOCABULARY_IDENTIFIERS: ReadonlySet<Tag> = new Set([
  0x00080100, // CodeValue
  0x00080102, // CodingSchemeDesignator
  0x00080103, // CodingSchemeVersion
  0x00080105, // MappingResource
  0x0008010f, // ContextIdentifier
  0x00080117, // ContextUID
  0x00080119, // LongCodeValue
  0x00080120, // URNCodeValue
]);

function isRepeatingGroup(group: number): boolean {
  const hi = group & 0xff00;
  return (hi === 0x5000 || hi === 0x6000) && (group & 1) === 0 && group <= (hi | 0x1e);
}

function matchPattern(tag: Tag): AnnexERow | undefined {
  const group = tagGroup(tag);
  if (!isRepeatingGroup(group)) return undefined;
  const element = tagElement(tag);
  return PATTERN_ROWS.find(
    (r) =>
      r.pattern !== undefined &&
      (group & r.pattern.groupMask) === r.pattern.group &&
      (element & r.pattern.elementMask) === r.pattern.element,
  );
}

const TAG_TEXT = /^\(([0-9A-Fa-f]{4}),([0-9A-Fa-f]{4})\)$/;

/** A keyword ('PatientName') or a tag written '(0010,0010)' as a tag; undefined if neither. */
export function resolveAttributeName(name: string): Tag | undefined {
  const m = TAG_TEXT.exec(name.trim());
  if (m) return ((parseInt(m[1], 16) << 16) | parseInt(m[2], 16)) >>> 0;
  return tagForKeyword(name.trim());
}

/** Picks the letter of a compound action that the attribute's Type requires (PS3.15 E.1.1). */
function pickByType(letters: Action[], type: AttributeType, uidSequence = false): Action {
  const has = (a: Action) => letters.includes(a);
  const first = (...order: Action[]) => order.find(has) ?? letters[0];
  if (type === '3') return first('X', 'Z', 'D');
  // X/Z/U*: a required reference sequence is kept with its UIDs replaced (U*) rather than emptied.
  // Both conform for Type 2, but the references then stay consistent with the rest of the set
  // (a ReferencedSeriesSequence that lists the source images, for instance), the items are rebuilt
  // from the allow-list like every other item, and the UIDs in them are keyed hashes.
  if (uidSequence) return first('U', 'Z', 'D', 'X');
  if (type === '2' || type === '2C') return first('Z', 'D', 'U', 'X');
  return first('U', 'D', 'Z', 'X');
}

/** Without any Type to go by: zero-length or dummy (valid in far more IODs than removal). */
function pickWithoutType(letters: Action[]): Action {
  return letters.includes('Z') ? 'Z' : letters.includes('D') ? 'D' : letters[0];
}

function resolveCompound(
  basic: TableAction,
  keyword: string,
  ctx: RuleContext,
): { action: Action; why: string } {
  const letters = basic.replace('*', '').split('/') as Action[];
  const uidSequence = basic === 'X/Z/U*';
  const innermost = ctx.path.length > 0 ? ctx.path[ctx.path.length - 1] : undefined;
  const within = innermost === undefined ? undefined : keywordForTag(innermost);
  const known = attributeTypeIn(ctx.sopClassUID, keyword, within);
  if (known === 'notInIod') {
    const iod = iodNameFor(ctx.sopClassUID) ?? 'this IOD';
    return { action: pickByType(letters, '3'), why: `not in the modules of ${iod}, so Type 3` };
  }
  if (known) {
    return {
      action: pickByType(letters, known.type, uidSequence),
      why: `Type ${known.type} in ${known.cite}`,
    };
  }
  const strictest =
    strictestAttributeType(keyword, within) ??
    (within !== undefined ? strictestAttributeType(keyword, undefined) : undefined);
  if (strictest) {
    return {
      action: pickByType(letters, strictest.type, uidSequence),
      why: `IOD unknown; strictest known Type ${strictest.type} (${strictest.cite})`,
    };
  }
  return {
    action: pickWithoutType(letters),
    why: 'IOD and Type unknown; a value that keeps the object valid',
  };
}

function ruleForRow(row: AnnexERow, tag: Tag, ctx: RuleContext, o: ProfileOptions): ElementRule {
  const where = `PS3.15 Table E.1-1 ${formatTag(tag)} ${row.keyword}`;
  let action: Action;
  let reason: string;
  if (row.basic.includes('/')) {
    const { action: picked, why } = resolveCompound(row.basic, row.keyword, ctx);
    action = picked;
    reason = `${where}: ${row.basic} → ${picked} (${why})`;
  } else {
    action = row.basic as Action;
    reason = `${where}: ${action}`;
  }
  // Options in the order the table prints them; a later option's action replaces an earlier one,
  // which puts the Clean options (and Modified Dates) last: the conservative result wins.
  for (const column of OPTION_COLUMNS) {
    const optionAction = row.options[column];
    if (optionAction === undefined || !optionOn(column, o)) continue;
    action = optionAction;
    const info = OPTION_INFO[column];
    reason = `${info.label} option (PS3.15 ${info.section}), Table E.1-1 ${formatTag(tag)} ${row.keyword}: ${action}`;
  }
  return { action, reason };
}

function safeKey(group: number | undefined, creator: string, element: number): string {
  return `${group === undefined ? '*' : group.toString(16)}|${creator}|${element & 0xff}`;
}

function methodCodesFor(o: ProfileOptions): MethodCode[] {
  const codes: MethodCode[] = [BASIC_PROFILE_CODE];
  for (const column of OPTION_COLUMNS) {
    if (!optionOn(column, o)) continue;
    const info = OPTION_INFO[column];
    codes.push({ value: info.code, scheme: 'DCM', meaning: `${info.label} Option` });
  }
  return codes;
}

function methodDescriptionFor(o: ProfileOptions): string {
  // DeidentificationMethod is LO (at most 64 characters per value), VM 1-n: one value per part.
  const values = [`PS3.15 E.1-1 Basic Profile (${ANNEX_E_EDITION})`];
  for (const column of OPTION_COLUMNS) {
    if (optionOn(column, o)) values.push(`${OPTION_INFO[column].label} Option`.slice(0, 64));
  }
  values.push('Cleanroom allow-list');
  return values.join('\\');
}

/** Builds the Profile the engine asks, element by element, what to do. Throws ProfileError. */
export function compileProfile(
  options: ProfileOptions,
  extensions: AllowListExtensions = {},
): Profile {
  const o: ProfileOptions = { ...options };
  const problems: string[] = [];

  const allowed = new Map<Tag, string>();
  for (const [keyword, group] of allowListKeywords()) {
    const tag = tagForKeyword(keyword);
    if (tag === undefined)
      problems.push(`built-in allow-list keyword ${keyword} is not in the dictionary`);
    else allowed.set(tag, `allow-list: ${group}`);
  }
  for (const name of extensions.add ?? []) {
    const tag = resolveAttributeName(name);
    if (tag === undefined) problems.push(`allowList.add: unknown keyword or tag "${name}"`);
    else if ((tagGroup(tag) & 1) === 1)
      problems.push(
        `allowList.add: ${formatTag(tag)} is private; list it under allowList.safePrivate`,
      );
    else allowed.set(tag, 'allow-list: added by the recipe');
  }
  for (const name of extensions.remove ?? []) {
    const tag = resolveAttributeName(name);
    if (tag === undefined) problems.push(`allowList.remove: unknown keyword or tag "${name}"`);
    else allowed.delete(tag);
  }

  const safe = new Map<string, string>();
  const safeCreators = new Set<string>();
  const safeVr = new Map<string, VR>();
  for (const entry of SAFE_PRIVATE) {
    const key = safeKey(entry.group, entry.creator, entry.element);
    safe.set(key, `${entry.meaning} (${entry.source})`);
    if (entry.vr) safeVr.set(key, entry.vr);
    safeCreators.add(entry.creator);
  }
  for (const entry of extensions.safePrivate ?? []) {
    const creator = normalizeCreator(entry.creator);
    if (NEVER_SAFE_CREATORS.includes(creator)) {
      problems.push(
        `allowList.safePrivate: creator "${creator}" is never safe (see safe-private.ts)`,
      );
      continue;
    }
    const key = safeKey(entry.group, creator, entry.element);
    safe.set(key, 'declared safe by the recipe');
    if (entry.vr) safeVr.set(key, entry.vr);
    safeCreators.add(creator);
  }
  if (problems.length > 0) throw new ProfileError(problems);

  function privateRule(tag: Tag, vr: VR, ctx: RuleContext): ElementRule {
    const basic = `PS3.15 Table E.1-1 ${ANNEX_E_PRIVATE_RULE.name} ${formatTag(tag)}: ${ANNEX_E_PRIVATE_RULE.basic}`;
    const removed: ElementRule = { action: 'X', reason: basic };
    if (!o.retainSafePrivate) return removed;
    const creator =
      ctx.privateCreator === undefined ? undefined : normalizeCreator(ctx.privateCreator);
    if (isPrivateCreator(tag)) {
      // A creator element is kept when its block may hold a safe attribute; the engine drops it
      // again if nothing of its block survives.
      return creator !== undefined && safeCreators.has(creator)
        ? {
            action: 'K',
            reason: `Retain Safe Private option (PS3.15 E.3.10): private creator "${creator}"`,
          }
        : removed;
    }
    if (creator === undefined || tagElement(tag) < 0x1000) {
      return { action: 'X', reason: `${basic} (no private creator reserves this element)` };
    }
    const group = tagGroup(tag);
    for (const key of [
      safeKey(group, creator, tagElement(tag)),
      safeKey(undefined, creator, tagElement(tag)),
    ]) {
      const meaning = safe.get(key);
      if (meaning === undefined) continue;
      const wantVr = safeVr.get(key);
      if (wantVr !== undefined && vr !== wantVr && vr !== 'UN') {
        return {
          action: 'X',
          reason: `${basic} (safe-private entry expects VR ${wantVr}, found ${vr})`,
        };
      }
      const slot = (tagElement(tag) & 0xff).toString(16).toUpperCase().padStart(2, '0');
      return {
        action: 'K',
        reason: `Retain Safe Private option (PS3.15 E.3.10): (${group.toString(16).toUpperCase().padStart(4, '0')},xx${slot}) "${creator}" ${meaning}`,
      };
    }
    return { action: 'X', reason: `${basic} (not on the safe-private list)` };
  }

  function resolve(tag: Tag, vr: VR, ctx: RuleContext): ElementRule {
    const group = tagGroup(tag);
    if (tagElement(tag) === 0x0000) {
      return {
        action: 'X',
        reason: `group length ${formatTag(tag)}: dropped (retired, PS3.5 7.2)`,
      };
    }
    if ((group & 1) === 1) return privateRule(tag, vr, ctx);
    if (o.cleanGraphics && isRepeatingGroup(group)) {
      // Clean Graphics (PS3.15 E.3.3) would keep overlays (60xx) and curves (50xx) cleaned, but a
      // bitmap cannot be cleaned by header rules, and text drawn into an overlay is exactly what the
      // option is about: until overlay bitmaps are read like pixels, the safe reading is removal.
      return {
        action: 'X',
        reason: `overlay or curve ${formatTag(tag)}: removed whole; Clean Graphics (PS3.15 E.3.3) cannot clean a bitmap, so the plane is not kept`,
      };
    }
    const row = ROW_BY_TAG.get(tag) ?? matchPattern(tag);
    if (row) return ruleForRow(row, tag, ctx, o);
    const gate = OPTION_GATED.get(tag);
    if (gate && !o[gate.option]) return { action: 'D', reason: gate.reason };
    const allow = allowed.get(tag);
    // Allow-listed free text is kept but cleaned: a name typed into any description must not pass.
    if (allow !== undefined && FREE_TEXT_VRS.has(vr) && !VOCABULARY_IDENTIFIERS.has(tag)) {
      return { action: 'C', reason: `${allow}; free text cleaned of the patient's identifiers` };
    }
    if (allow !== undefined) return { action: 'K', reason: allow };
    return { action: 'X', reason: 'not on the allow-list' };
  }

  return {
    options: o,
    ruleFor(tag: Tag, vr: VR, ctx: RuleContext): ElementRule {
      try {
        return resolve(tag >>> 0, vr, ctx);
      } catch {
        // Never throws: an element the rules cannot place is removed.
        return {
          action: 'X',
          reason: `${formatTag(tag >>> 0)}: no rule could be resolved; removed`,
        };
      }
    },
    methodCodes: methodCodesFor(o),
    methodDescription: methodDescriptionFor(o),
  };
}
