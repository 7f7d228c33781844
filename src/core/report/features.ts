// Turns rows of retained values into features to score: numbers, categories, and dates and times made
// relative to the patient's first study (days, seconds) or to the day (time of day).
import { tagForKeyword, vrForTag } from '../dicom/dictionary';
import type { ReportRow } from './types';

export interface Feature {
  name: string;
  kind: 'numeric' | 'categorical';
  /** Per row: the number (numeric) or NaN when absent / not a number. */
  numbers?: Float64Array;
  /** Per row: the category code; 0 is "absent" when any row lacks the value. */
  codes?: Int32Array;
  categories?: number;
  present: number;
  distinct: number;
}

const DAY = 86400;

/** 'YYYYMMDD' → days since 1970-01-01 (UTC), or NaN. */
export function parseDa(text: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(text.trim());
  if (!m) return NaN;
  const t = Date.UTC(+m[1], +m[2] - 1, +m[3]);
  return Number.isNaN(t) ? NaN : t / 1000 / DAY;
}

/** 'HHMMSS.FFFFFF' (or 'HH', 'HHMM', 'HH:MM:SS') → seconds since midnight, or NaN. */
export function parseTm(text: string): number {
  const m = /^(\d{2})(?::?(\d{2}))?(?::?(\d{2}(?:\.\d{1,6})?))?$/.exec(text.trim());
  if (!m) return NaN;
  const s = +m[1] * 3600 + +(m[2] ?? 0) * 60 + +(m[3] ?? 0);
  return +m[1] < 24 && +(m[2] ?? 0) < 60 && +(m[3] ?? 0) < 61 ? s : NaN;
}

/** 'YYYYMMDDHHMMSS.FFFFFF&ZZXX' → seconds since 1970 (the offset is ignored: only intervals matter), or NaN. */
export function parseDt(text: string): number {
  const m = /^(\d{8})(\d{2,6}(?:\.\d{1,6})?)?(?:[+-]\d{4})?$/.exec(text.trim());
  if (!m) return NaN;
  const day = parseDa(m[1]);
  const time = m[2] === undefined ? 0 : parseTm(m[2]);
  return day * DAY + time;
}

function vrOf(keyword: string): string | undefined {
  const tag = tagForKeyword(keyword);
  return tag === undefined ? undefined : vrForTag(tag);
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

function categorical(name: string, texts: (string | undefined)[]): Feature {
  const index = new Map<string, number>();
  const anyAbsent = texts.some((t) => t === undefined || t === '');
  if (anyAbsent) index.set('\u0000absent', 0);
  const codes = new Int32Array(texts.length);
  let present = 0;
  texts.forEach((t, i) => {
    const key = t === undefined || t === '' ? '\u0000absent' : t;
    if (key !== '\u0000absent') present++;
    let c = index.get(key);
    if (c === undefined) index.set(key, (c = index.size));
    codes[i] = c;
  });
  return {
    name,
    kind: 'categorical',
    codes,
    categories: index.size,
    present,
    distinct: index.size - (anyAbsent ? 1 : 0),
  };
}

function numeric(name: string, numbers: Float64Array): Feature {
  const seen = new Set<number>();
  let present = 0;
  for (const v of numbers)
    if (Number.isFinite(v)) {
      present++;
      seen.add(v);
    }
  return { name, kind: 'numeric', numbers, present, distinct: seen.size };
}

/**
 * Every feature of the rows except the excluded keys. Elements whose values are single numbers
 * (IS, DS, US, … or text that reads as one) are numeric; DA, TM and DT elements become
 * '<kw> (days from first study)', '<kw> (time of day)', '<kw> (seconds from first study)'; the
 * rest are categories (multi-valued numbers such as PixelSpacing included).
 */
export function extractFeatures(
  rows: readonly ReportRow[],
  exclude: ReadonlySet<string>,
): Feature[] {
  const keys = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r.values)) if (!exclude.has(k)) keys.add(k);
  // The patient's first study: the earliest StudyDate (+ StudyTime) of the patient's rows.
  const first = new Map<string, number>();
  for (const r of rows) {
    const day = parseDa(r.values.StudyDate ?? '');
    if (Number.isNaN(day)) continue;
    const time = parseTm(r.values.StudyTime ?? '');
    const t = day * DAY + (Number.isNaN(time) ? 0 : time);
    const before = first.get(r.patient);
    if (before === undefined || t < before) first.set(r.patient, t);
  }
  const firstOf = (r: ReportRow): number => first.get(r.patient) ?? NaN;

  const out: Feature[] = [];
  for (const key of [...keys].sort()) {
    const texts = rows.map((r) => r.values[key]);
    const vr = vrOf(key);
    if (vr === 'DA') {
      out.push(
        numeric(
          `${key} (days from first study)`,
          Float64Array.from(rows, (r, i) => parseDa(texts[i] ?? '') - Math.floor(firstOf(r) / DAY)),
        ),
      );
      continue;
    }
    if (vr === 'TM') {
      out.push(
        numeric(
          `${key} (time of day)`,
          Float64Array.from(texts, (t) => parseTm(t ?? '')),
        ),
      );
      const dateKey = key.replace(/Time$/, 'Date');
      if (dateKey !== key && keys.has(dateKey)) {
        out.push(
          numeric(
            `${key.replace(/Time$/, '')} date and time (seconds from first study)`,
            Float64Array.from(
              rows,
              (r, i) =>
                parseDa(r.values[dateKey] ?? '') * DAY + parseTm(texts[i] ?? '') - firstOf(r),
            ),
          ),
        );
      }
      continue;
    }
    if (vr === 'DT') {
      const secs = Float64Array.from(texts, (t) => parseDt(t ?? ''));
      out.push(
        numeric(
          `${key} (seconds from first study)`,
          Float64Array.from(rows, (r, i) => secs[i] - firstOf(r)),
        ),
      );
      out.push(
        numeric(
          `${key} (time of day)`,
          Float64Array.from(secs, (s) => (Number.isFinite(s) ? ((s % DAY) + DAY) % DAY : NaN)),
        ),
      );
      continue;
    }
    let present = 0;
    let numbers = 0;
    for (const t of texts) {
      if (t === undefined || t.trim() === '') continue;
      present++;
      if (NUMBER.test(t.trim())) numbers++;
    }
    if (present > 0 && numbers >= 0.95 * present) {
      out.push(
        numeric(
          key,
          Float64Array.from(texts, (t) =>
            t !== undefined && NUMBER.test(t.trim()) ? Number(t) : NaN,
          ),
        ),
      );
    } else out.push(categorical(key, texts));
  }
  return out;
}

/** Numeric values as quantile bins (at most `bins`, ties kept together) plus an "absent" bin 0, for MI. */
export function binNumeric(
  ranks: Float64Array,
  present: number,
  bins: number,
): { codes: Int32Array; categories: number } {
  const codes = new Int32Array(ranks.length);
  for (let i = 0; i < ranks.length; i++) {
    const r = ranks[i];
    codes[i] = Number.isNaN(r) ? 0 : 1 + Math.min(bins - 1, Math.floor(((r - 1) * bins) / present));
  }
  return { codes, categories: bins + 1 };
}
