// Which OCR words are PHI under a recipe's rule, merged into padded line boxes with reasons that never quote the text.

import type { Box, FoundBox } from '../types';
import type { OcrWord, PhiContext } from './types';
import { foldOcr, identifierVariants, matchIdentifier, type IdentifierKind } from './identifiers';

/** Reason strings: a fixed set, so no OCR text can ever reach a reason. */
export const REASONS = {
  allText: 'text in an image class where all text is redacted',
  name: "matches the patient's name",
  date: "matches one of the patient's dates",
  id: "matches one of the patient's IDs",
  datePattern: 'date pattern',
  idPattern: 'ID pattern (long number or record-number shape)',
  namePattern: 'name pattern (after a name label, or SURNAME, GIVEN)',
  unread: 'text-like region the OCR could not read',
} as const;

const KIND_REASON: Record<IdentifierKind, string> = {
  name: REASONS.name,
  date: REASONS.date,
  id: REASONS.id,
};
const NAME_LABELS = new Set(['NAME', 'PATIENT', 'PAT', 'PT', 'PATIENTNAME', 'NAME:', 'PATIENT:']);

/**
 * 'all-text': every word but safe tokens (and bare small numbers, which are scale marks).
 * 'identifiers': words (or runs of up to 3 words on a line, for dates like "12 MAR 2021")
 * matching the patient's values in any common format, plus generic date, ID and name shapes.
 * Flagged words of one line merge into one box, padded by 15% of the line height (≥ 2 px).
 */
export function classifyWords(words: readonly OcrWord[], context: PhiContext): FoundBox[] {
  const safe = new Set(context.safeTokens.map((t) => t.toUpperCase()));
  const variants = context.mode === 'identifiers' ? identifierVariants(context.identifiers) : [];
  const lines = groupLines(words);
  const flagged: { word: OcrWord; reason: string }[] = [];
  for (const line of lines) {
    const reasons: (string | undefined)[] = line.map((w) =>
      context.mode === 'all-text'
        ? isSafe(w.text, safe)
          ? undefined
          : REASONS.allText
        : wordReason(w.text, variants),
    );
    if (context.mode === 'identifiers') {
      // Runs of 2–3 words: dates and IDs that OCR split at spaces or separators.
      for (let n = 2; n <= 3; n++)
        for (let i = 0; i + n <= line.length; i++) {
          const run = line
            .slice(i, i + n)
            .map((w) => w.text)
            .join(' ');
          const reason = runReason(run, variants);
          if (reason) for (let k = i; k < i + n; k++) reasons[k] ??= reason;
        }
      // Name shapes: the words after a name label; SURNAME, GIVEN.
      line.forEach((w, i) => {
        const bare = w.text.toUpperCase().replace(/[^A-Z:]/g, '');
        if (NAME_LABELS.has(bare) && i + 1 < line.length && isWordy(line[i + 1].text)) {
          reasons[i + 1] ??= REASONS.namePattern;
          if (i + 2 < line.length && isWordy(line[i + 2].text))
            reasons[i + 2] ??= REASONS.namePattern;
        }
        if (
          /^[A-Z][A-Za-z'-]{1,}[,^]$/.test(w.text) &&
          i + 1 < line.length &&
          isWordy(line[i + 1].text)
        ) {
          reasons[i] ??= REASONS.namePattern;
          reasons[i + 1] ??= REASONS.namePattern;
        }
        if (/^[A-Z]{2,}\^[A-Z]{2,}/.test(w.text.toUpperCase())) reasons[i] ??= REASONS.namePattern;
      });
      // A matched name part takes the letter-only words right beside it (the other name parts,
      // which OCR may have misread beyond the edit allowance).
      for (let i = 0; i < line.length; i++) {
        if (reasons[i] !== REASONS.name) continue;
        for (const j of [i - 1, i + 1])
          if (
            j >= 0 &&
            j < line.length &&
            reasons[j] === undefined &&
            isWordy(line[j].text) &&
            !safe.has(line[j].text.toUpperCase()) &&
            near(line[i].box, line[j].box)
          )
            reasons[j] = REASONS.name;
      }
    }
    line.forEach((word, i) => {
      const reason = reasons[i];
      if (reason) flagged.push({ word, reason });
    });
  }
  return mergeLineBoxes(flagged);
}

function near(a: Box, b: Box): boolean {
  const gap = Math.max(a.x, b.x) - Math.min(a.x + a.w, b.x + b.w);
  return gap <= 1.5 * Math.min(a.h, b.h);
}

function isWordy(text: string): boolean {
  return /^[A-Za-z][A-Za-z'-]+,?$/.test(text);
}

/** Safe: a listed token, a bare number of ≤ 3 digits (scale marks), or such a number with a listed unit. */
export function isSafe(text: string, safe: ReadonlySet<string>): boolean {
  const t = text.toUpperCase().replace(/^[([{"']+|[)\]}"':;,.]+$/g, '');
  if (t === '' || safe.has(t)) return true;
  if (/^[-+]?\d{1,3}([.,]\d{1,2})?$/.test(t)) return true;
  const unit = /^[-+]?\d{1,3}(?:[.,]\d{1,2})?([A-Z%]+)$/.exec(t);
  return unit !== null && safe.has(unit[1]);
}

const DATE_SHAPES = [
  /^\d{1,4}[-./]\d{1,2}[-./]\d{2,4}$/,
  /^\d{1,2}[-. ]?(JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)[A-Z]*[-. ,]?\d{2,4}$/,
  /^(JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)[A-Z]*[-. ]?\d{1,2}[-., ]+\d{2,4}$/,
  /^(19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$/,
];

/** Digits OCR reads as letters, put back only inside a token that is mostly digits. */
function digitsOf(text: string): string {
  const t = text.toUpperCase().replace(/[,:;]$/, '');
  const digits = (t.match(/\d/g) ?? []).length;
  if (digits * 2 < t.replace(/[-./ ]/g, '').length) return t;
  return t
    .replace(/[OQD]/g, '0')
    .replace(/[IL|]/g, '1')
    .replace(/S/g, '5')
    .replace(/B/g, '8')
    .replace(/Z/g, '2');
}

function isDateShape(text: string): boolean {
  // A month read with a zero for its O ('0CT', 'N0V') is still a month.
  const t = text
    .toUpperCase()
    .replace(/[,:;]$/, '')
    .replace(/0(?=CT|V)/g, 'O');
  return DATE_SHAPES.some((r) => r.test(t) || r.test(digitsOf(t)));
}

/** Long digit runs (≥ 6) and record-number shapes (letters then ≥ 5 digits, with or without dashes). */
function isIdShape(text: string): boolean {
  const t = digitsOf(text).replace(/[,:;.]$/, '');
  if (/^\d{6,}$/.test(t.replace(/[-/ ]/g, ''))) return true;
  return /^[A-Z]{1,4}[-#]?(?:\d{2,}[-]?)?\d{5,}$/.test(t) || /^[A-Z0-9]{0,4}-\d{2}-\d{4,}$/.test(t);
}

function wordReason(
  text: string,
  variants: ReturnType<typeof identifierVariants>,
): string | undefined {
  const kind = matchIdentifier(foldOcr(text), variants);
  if (kind) return KIND_REASON[kind];
  if (isDateShape(text)) return REASONS.datePattern;
  if (isIdShape(text)) return REASONS.idPattern;
  return undefined;
}

function runReason(
  run: string,
  variants: ReturnType<typeof identifierVariants>,
): string | undefined {
  const kind = matchIdentifier(foldOcr(run), variants);
  if (kind === 'date' || kind === 'id') return KIND_REASON[kind];
  if (isDateShape(run)) return REASONS.datePattern;
  return undefined;
}

/** Words in reading lines: sorted by x, grouped when they overlap vertically by half the smaller height. */
export function groupLines(words: readonly OcrWord[]): OcrWord[][] {
  const lines: OcrWord[][] = [];
  const sorted = [...words].sort((a, b) => a.box.y + a.box.h / 2 - (b.box.y + b.box.h / 2));
  for (const w of sorted) {
    const line = lines.find((l) => l.some((o) => sameLine(o.box, w.box)));
    if (line) line.push(w);
    else lines.push([w]);
  }
  for (const l of lines) l.sort((a, b) => a.box.x - b.box.x);
  return lines;
}

function sameLine(a: Box, b: Box): boolean {
  const overlap = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
  return overlap >= 0.5 * Math.min(a.h, b.h);
}

/**
 * Merges flagged word boxes that sit on one line within 1.5 line heights of each other (and any
 * boxes that overlap, e.g. the same word read from two OCR inputs), then pads them.
 */
export function mergeLineBoxes(flagged: readonly { word: OcrWord; reason: string }[]): FoundBox[] {
  const groups: { box: Box; reasons: Set<string>; confidence: number }[] = [];
  for (const { word, reason } of flagged)
    groups.push({ box: { ...word.box }, reasons: new Set([reason]), confidence: word.confidence });
  let merged = true;
  while (merged) {
    merged = false;
    outer: for (let i = 0; i < groups.length; i++)
      for (let j = i + 1; j < groups.length; j++) {
        const a = groups[i].box;
        const b = groups[j].box;
        const h = Math.min(a.h, b.h);
        const gap = Math.max(a.x, b.x) - Math.min(a.x + a.w, b.x + b.w);
        if (!(overlaps(a, b) || (sameLine(a, b) && gap <= 1.5 * h))) continue;
        groups[i] = {
          box: union(a, b),
          reasons: new Set([...groups[i].reasons, ...groups[j].reasons]),
          confidence: Math.min(groups[i].confidence, groups[j].confidence),
        };
        groups.splice(j, 1);
        merged = true;
        break outer;
      }
  }
  return groups.map((g) => {
    const pad = Math.max(2, Math.round(g.box.h * 0.15));
    return {
      x: Math.max(0, g.box.x - pad),
      y: Math.max(0, g.box.y - pad),
      w: g.box.w + 2 * pad - (g.box.x - pad < 0 ? pad - g.box.x : 0),
      h: g.box.h + 2 * pad - (g.box.y - pad < 0 ? pad - g.box.y : 0),
      source: 'ocr' as const,
      reason: [...g.reasons].sort().join('; '),
      confidence: Math.round(g.confidence),
    };
  });
}

export function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

export function union(a: Box, b: Box): Box {
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return { x, y, w: Math.max(a.x + a.w, b.x + b.w) - x, h: Math.max(a.y + a.h, b.y + b.h) - y };
}
