// Ranks the values left in de-identified metadata by how likely they are to identify a person,
// most dangerous first, with a reason a reviewer can read (RSNA process: dump every unique value).
import { dummyText } from '../deid/values';
import type { VR } from '../dicom/types';
import { SCRUB_MASK } from '../deid/tokens';

export type Risk = 'high' | 'medium' | 'low';

/** One original identifier of a patient, as a token to look for in what is left. */
export interface IdentifierToken {
  token: string;
  /** What the token was: 'name', 'id', 'birth date', 'accession', 'institution', ... */
  kind: string;
  /** The element it came from; a value kept in that very element on purpose (an option) is not a leak of it. */
  source?: string;
}

export interface RankedValue {
  risk: Risk;
  /** Sort key inside a risk class: lower is more dangerous. */
  score: number;
  reason: string;
}

export { FREE_TEXT_VRS } from '../dicom/vr-classes';
import { FREE_TEXT_VRS } from '../dicom/vr-classes';
const CODED_VRS: ReadonlySet<VR> = new Set(['CS', 'AE', 'UI', 'AS', 'UR']);
const DATE_VRS: ReadonlySet<VR> = new Set(['DA', 'DT', 'TM']);
/**
 * The parts of a coded entry (PS3.3 Table 8.8-1): a code of a coding scheme ('121071', DCM; or
 * '5.6.3-9-61', MDC) looks like an ID or a date to the patterns but names a concept, never a person.
 * Its text is still matched against the patient's own identifiers.
 */
const CODE_KEYWORDS: ReadonlySet<string> = new Set([
  'CodeValue',
  'LongCodeValue',
  'URNCodeValue',
  'CodingSchemeDesignator',
  'CodingSchemeVersion',
  'ContextIdentifier',
  'ContextUID',
  'MappingResource',
  'MappingResourceUID',
]);

/** True when the element at `path` ('A > B > CodeValue') is part of a coded entry. */
function isCodePart(path: string | undefined): boolean {
  if (!path) return false;
  const last = path.slice(path.lastIndexOf('>') + 1).trim();
  return CODE_KEYWORDS.has(last);
}

const PATTERNS: { re: RegExp; score: number; reason: string }[] = [
  { re: /[A-Za-z][\w.+-]*@[\w-]+\.[\w.]+/, score: 10, reason: 'looks like an e-mail address' },
  {
    re: /(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,4}\)[\s.-]?)?\d{3}[\s.-]\d{3,4}(?:[\s.-]\d{2,4})?/,
    score: 11,
    reason: 'looks like a phone number',
  },
  {
    re: /\b(?:19|20)\d{2}[-/.](?:0?[1-9]|1[0-2])[-/.](?:0?[1-9]|[12]\d|3[01])\b/,
    score: 12,
    reason: 'looks like a date',
  },
  {
    re: /\b(?:0?[1-9]|[12]\d|3[01])[-/.](?:0?[1-9]|1[0-2])[-/.](?:19|20)?\d{2}\b/,
    score: 12,
    reason: 'looks like a date',
  },
  {
    re: /\b(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\b/,
    score: 13,
    reason: 'looks like a date',
  },
  {
    re: /\b\d{1,5}\s+\w+(?:\s+\w+)?\s+(?:street|st|avenue|ave|road|rd|lane|ln|drive|dr|boulevard|blvd|way|court|ct|place|pl|strasse|straße|rue|weg)\b/i,
    score: 14,
    reason: 'looks like a street address',
  },
  {
    re: /\b[A-Z][A-Za-z'-]+\^[A-Z][A-Za-z'-]+/,
    score: 15,
    reason: 'looks like a person name (Family^Given)',
  },
  {
    // Titles in any case, but the name must be capitalised: 'MR BRAIN' is a series, not a person.
    re: /\b(?:[Mm][Rr][Ss]?|[Mm][Ss]|[Dd][Rr]|[Pp]rof)\.?\s+[A-Z][a-z]+/,
    score: 16,
    reason: 'looks like a person name (title and name)',
  },
  {
    re: /\b(?=[A-Z0-9-]*\d)[A-Z0-9][A-Z0-9-]{5,}\b/i,
    score: 17,
    reason: 'looks like an identifier (6 or more letters and digits)',
  },
];

function normalise(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

/** Finds an original identifier of the same patient inside a value, on word boundaries for short tokens. */
export function findIdentifier(
  value: string,
  tokens: readonly IdentifierToken[],
  path?: string,
): IdentifierToken | undefined {
  const hay = normalise(value);
  for (const t of tokens) {
    if (path !== undefined && t.source === path) continue;
    const needle = normalise(t.token.trim());
    if (needle.length < 2) continue;
    const at = hay.indexOf(needle);
    if (at === -1) continue;
    if (needle.length >= 5) return t;
    const before = at === 0 ? '' : hay[at - 1];
    const after = hay[at + needle.length] ?? '';
    if (!/[a-z0-9]/.test(before) && !/[a-z0-9]/.test(after)) return t;
  }
  return undefined;
}

/**
 * The risk of one distinct value left at one element path.
 * Order (issue "Review gate"): the patient's own identifiers (left, then masked by cleaning); values that look like names, dates,
 * phone numbers, addresses or IDs; free text; private data; then coded and numeric values.
 */
export function rankValue(
  value: string,
  vr: VR,
  options: {
    tokens: readonly IdentifierToken[];
    isPrivate: boolean;
    pseudonym?: string;
    /** The element path, so a token is not matched against the element it came from. */
    path?: string;
    /** Written by Cleanroom itself (pseudonym, keyed hash, shifted date, new UID, dummy value). */
    generated?: boolean;
    /** The original text when cleaning masked an identifier in it (never shown, never kept). */
    maskedFrom?: string;
  },
): RankedValue {
  const trimmed = value.trim();
  if (trimmed === '') return { risk: 'low', score: 90, reason: 'empty' };
  if (options.pseudonym && trimmed === options.pseudonym) {
    return { risk: 'low', score: 80, reason: 'the pseudonym Cleanroom assigned' };
  }
  // The dummy the engine writes for action D (PS3.15 E.1.1): a package read without its run's
  // explain rows (Verify) must not flag Cleanroom's own placeholder as a person's name.
  if (trimmed === dummyText(vr))
    return { risk: 'low', score: 80, reason: 'the dummy value de-identification writes' };
  if (options.generated)
    return {
      risk: 'low',
      score: 85,
      reason: 'written by Cleanroom (keyed replacement, shifted date or new UID)',
    };
  // Coded, numeric, date and UID values cannot carry a name; text, unknown and private ones can.
  const textual = FREE_TEXT_VRS.has(vr) || vr === 'UN' || (options.isPrivate && !CODED_VRS.has(vr));
  if (textual) {
    const hit = findIdentifier(trimmed, options.tokens, options.path);
    if (hit) return { risk: 'high', score: 0, reason: `matches the patient's ${hit.kind}` };
    // Cleaning masked an identifier here: a person typed one into this element, and may have
    // typed more than the tokens cleaning knows (a nickname, a relative, a room number).
    if (options.maskedFrom !== undefined) {
      const was = findIdentifier(options.maskedFrom, options.tokens, options.path);
      return {
        risk: 'high',
        score: 1,
        reason: `matches the patient's ${was?.kind ?? 'identifier'} (masked as ${SCRUB_MASK} by cleaning)`,
      };
    }
    if (trimmed.includes(SCRUB_MASK))
      return {
        risk: 'high',
        score: 2,
        reason: `holds ${SCRUB_MASK}, the mark cleaning leaves where it masked an identifier of the patient`,
      };
    if (isCodePart(options.path))
      return { risk: 'low', score: 50, reason: 'a code of a coding scheme' };
    for (const p of PATTERNS)
      if (p.re.test(trimmed)) return { risk: 'high', score: p.score, reason: p.reason };
  }
  if (vr === 'PN') return { risk: 'high', score: 18, reason: 'a person name element with a value' };
  if (options.isPrivate)
    return {
      risk: 'medium',
      score: 30,
      reason: 'private element: content unknown to the standard',
    };
  if (FREE_TEXT_VRS.has(vr)) return { risk: 'medium', score: 20, reason: `free text (${vr})` };
  if (vr === 'UN')
    return { risk: 'medium', score: 25, reason: 'unknown VR: content could be anything' };
  if (DATE_VRS.has(vr))
    return { risk: 'low', score: 60, reason: 'date or time, after the date rules of the recipe' };
  if (vr === 'UI') return { risk: 'low', score: 70, reason: 'UID, remapped or standard' };
  if (CODED_VRS.has(vr)) return { risk: 'low', score: 50, reason: 'coded value' };
  return { risk: 'low', score: 55, reason: 'numeric value' };
}

const RISK_ORDER: Record<Risk, number> = { high: 0, medium: 1, low: 2 };

/** Most dangerous first; ties by path, then value, so the order is stable. */
export function compareRanked(
  a: { ranked: RankedValue; path: string; value: string },
  b: { ranked: RankedValue; path: string; value: string },
): number {
  return (
    RISK_ORDER[a.ranked.risk] - RISK_ORDER[b.ranked.risk] ||
    a.ranked.score - b.ranked.score ||
    (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) ||
    (a.value < b.value ? -1 : a.value > b.value ? 1 : 0)
  );
}
