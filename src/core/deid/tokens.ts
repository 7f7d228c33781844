// Identifier tokens: the strings that identify one patient, and masking them wherever they occur in text.

/** Uppercase, whitespace-collapsed strings that identify a patient; merge across all their instances. */
export type TokenSet = ReadonlySet<string>;

/** What scrubText writes in place of every identifier it finds. */
export const SCRUB_MASK = '***';

/** Tokens shorter than this match only as whole words; longer ones match anywhere (catches 'SMITHJOHN'). */
const WHOLE_WORD_BELOW = 5;

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** Normalizes a candidate token: uppercase, trimmed, inner whitespace collapsed. */
function normalizeToken(value: string): string {
  return value.replace(/\0/g, '').trim().replace(/\s+/g, ' ').toUpperCase();
}

/** The same text without diacritics ('MÜLLER' → 'MULLER'), as text often drops them. */
function foldDiacritics(value: string): string {
  return value.normalize('NFD').replace(/\p{M}+/gu, '');
}

/** Adds a token and its diacritic-free form when it is long enough to mean something. */
function addToken(tokens: Set<string>, value: string): void {
  const token = normalizeToken(value);
  const folded = foldDiacritics(token);
  for (const candidate of new Set([token, folded])) {
    // One letter or a number under three digits would mask every other word of a description.
    if (candidate.length < 2) continue;
    if (/^\d+$/.test(candidate) && candidate.length < 3) continue;
    tokens.add(candidate);
  }
}

/**
 * Tokens of a PN value: every family, given and middle name part (prefixes and suffixes such as
 * DR or JR identify no one), in each component group, split again at spaces and hyphens.
 */
export function nameTokens(value: string): string[] {
  const tokens = new Set<string>();
  for (const personName of value.split('\\')) {
    for (const group of personName.split('=')) {
      const [family = '', given = '', middle = ''] = group.split('^');
      for (const part of [family, given, middle]) {
        if (part.trim() === '') continue;
        addToken(tokens, part);
        for (const piece of part.split(/[\s\-,.]+/)) addToken(tokens, piece);
      }
      // Whole names as text writes them, so one mask covers 'John Smith' rather than two.
      for (const order of [
        [given, middle, family],
        [given, family],
        [family, given, middle],
        [family, given],
      ]) {
        const full = order.filter((p) => p.trim() !== '').join(' ');
        if (full.includes(' ')) addToken(tokens, full);
      }
    }
  }
  return [...tokens];
}

/**
 * Tokens of an identifier (PatientID, AccessionNumber, ...): each value as written, without
 * separators ('123-45-6789' → '123456789') and without leading zeros.
 */
export function idTokens(value: string): string[] {
  const tokens = new Set<string>();
  for (const part of value.split('\\')) {
    addToken(tokens, part);
    const compact = part.replace(/[\s\-./_]+/g, '');
    if (compact.length >= 4) addToken(tokens, compact);
    const unpadded = compact.replace(/^0+/, '');
    if (unpadded.length >= 4) addToken(tokens, unpadded);
  }
  return [...tokens];
}

/**
 * Tokens of a DA birth date (YYYYMMDD) in the ways people write it: 19610312, 1961-03-12,
 * 12/03/1961, 03/12/1961, 12.03.1961, 12 Mar 1961, March 12, 1961, 12-MAR-1961, with and
 * without leading zeros. A value that is not a date gives no tokens.
 */
export function dateTokens(value: string): string[] {
  const match = /^(\d{4})(\d{2})(\d{2})$/.exec(
    value
      .replace(/[\0 ]+$/, '')
      .trim()
      .replace(/[-./]/g, ''),
  );
  if (!match) return [];
  const [, y, mm, dd] = match;
  const m = String(Number(mm));
  const d = String(Number(dd));
  const month = Number(mm);
  if (month < 1 || month > 12) return [];
  const long = MONTHS[month - 1];
  const short = long.slice(0, 3);
  const forms = [
    `${y}${mm}${dd}`,
    `${y}-${mm}-${dd}`,
    `${y}/${mm}/${dd}`,
    `${y}.${mm}.${dd}`,
    `${dd}/${mm}/${y}`,
    `${mm}/${dd}/${y}`,
    `${dd}.${mm}.${y}`,
    `${dd}-${mm}-${y}`,
    `${mm}-${dd}-${y}`,
    `${d}/${m}/${y}`,
    `${m}/${d}/${y}`,
    `${d}.${m}.${y}`,
    `${dd}/${mm}/${y.slice(2)}`,
    `${mm}/${dd}/${y.slice(2)}`,
    `${d} ${short} ${y}`,
    `${dd} ${short} ${y}`,
    `${d} ${long} ${y}`,
    `${short} ${d}, ${y}`,
    `${long} ${d}, ${y}`,
    `${dd}-${short}-${y}`,
    `${dd}${short}${y}`,
  ];
  const tokens = new Set<string>();
  for (const form of forms) addToken(tokens, form);
  return [...tokens];
}

/** Tokens of free text that names a place (institution, address, station): the whole and its lines or comma parts. */
export function placeTokens(value: string): string[] {
  const tokens = new Set<string>();
  for (const part of value.split('\\')) {
    addToken(tokens, part);
    for (const piece of part.split(/[,^\r\n]+/)) {
      if (piece.trim().length >= 4) addToken(tokens, piece);
    }
  }
  return [...tokens];
}

/** The union of several token sets (one per instance of a patient). */
export function mergeTokenSets(...sets: Iterable<string>[]): TokenSet {
  const merged = new Set<string>();
  for (const set of sets) for (const token of set) merged.add(token);
  return merged;
}

const patternCache = new WeakMap<TokenSet, RegExp | null>();
/**
 * Patterns by the sorted tokens they were built from: each file merges the patient's tokens with
 * its own into a new set, mostly with the same contents as the previous file's, and compiling the
 * alternation is the dearest step of cleaning. Bounded; cleared when full.
 */
const patternsByContent = new Map<string, RegExp | null>();
const MAX_PATTERNS_BY_CONTENT = 64;

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** One case-insensitive alternation, longest token first, spaces matching any run of separators. */
function tokenPattern(tokens: TokenSet): RegExp | null {
  const cached = patternCache.get(tokens);
  if (cached !== undefined) return cached;
  const sorted = [...tokens]
    .filter((t) => t.length > 0)
    .sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
  const key = JSON.stringify(sorted);
  const known = patternsByContent.get(key);
  if (known !== undefined) {
    patternCache.set(tokens, known);
    return known;
  }
  let pattern: RegExp | null = null;
  if (sorted.length > 0) {
    const alternatives = sorted.map((token) => {
      const body = escapeRegExp(token).replace(/,? /g, (sep) =>
        sep.startsWith(',') ? ',?[\\s^]*' : '[\\s^,]+',
      );
      return token.length < WHOLE_WORD_BELOW
        ? `(?<![\\p{L}\\p{N}])${body}(?![\\p{L}\\p{N}])`
        : body;
    });
    pattern = new RegExp(alternatives.join('|'), 'giu');
  }
  patternCache.set(tokens, pattern);
  if (patternsByContent.size >= MAX_PATTERNS_BY_CONTENT) patternsByContent.clear();
  patternsByContent.set(key, pattern);
  return pattern;
}

/** Where identifiers occur in a text: [start, end) spans in UTF-16 code units, in order, not overlapping. */
export function findTokens(text: string, tokens: TokenSet): { start: number; end: number }[] {
  const pattern = tokenPattern(tokens);
  if (pattern === null || text === '') return [];
  const spans: { start: number; end: number }[] = [];
  for (const match of text.matchAll(pattern)) {
    spans.push({ start: match.index, end: match.index + match[0].length });
  }
  return spans;
}

/**
 * Replaces every occurrence of every token (case-insensitive; whole words only for short tokens)
 * with the mask. `hits` counts the replacements; it never says what was found.
 */
export function scrubText(
  value: string,
  tokens: TokenSet,
  mask: string = SCRUB_MASK,
): { text: string; hits: number } {
  const spans = findTokens(value, tokens);
  if (spans.length === 0) return { text: value, hits: 0 };
  let text = '';
  let last = 0;
  for (const { start, end } of spans) {
    text += value.slice(last, start) + mask;
    last = end;
  }
  return { text: text + value.slice(last), hits: spans.length };
}
