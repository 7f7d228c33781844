// Date handling for de-identification: the per-patient keyed shift, shifting DA and DT values, and ages.

import { digestToBigInt, hmacText } from './keyed-hash';

/** The range a recipe allows for the per-patient shift, in whole days, both ends included. */
export interface DateShiftRange {
  min: number;
  max: number;
}

/**
 * The shift for one patient: HMAC(secret, 'date-shift:' + patientKey) mapped into [min, max],
 * never 0 when the range holds another value. The same patient gets the same shift in every run
 * and every file, so intervals between a patient's dates survive.
 */
export async function dateShiftForPatient(
  secret: CryptoKey,
  patientKey: string,
  range: DateShiftRange,
): Promise<number> {
  const min = Math.ceil(Math.min(range.min, range.max));
  const max = Math.floor(Math.max(range.min, range.max));
  const spansZero = min <= 0 && max >= 0;
  const choices = max - min + 1 - (spansZero ? 1 : 0);
  if (choices <= 0) return 0;
  // 64 bits modulo a range of at most a few thousand days: the bias is below 1e-15.
  const digest = await hmacText(secret, `date-shift:${patientKey}`);
  const index = Number(digestToBigInt(digest, 8) % BigInt(choices));
  const shift = min + index;
  return spansZero && shift >= 0 ? shift + 1 : shift;
}

/** The dummy values the D action writes when dates are not kept (PS3.15 E.1: "consistent with the VR"). */
export const DUMMY_DATE = '19000101';
export const DUMMY_DATE_TIME = '19000101000000';
export const DUMMY_TIME = '000000';

const DAY_MS = 86_400_000;

/** Adds days to a YYYYMMDD string; undefined when it is not a real calendar date. */
function shiftYmd(ymd: string, days: number): string | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})$/.exec(ymd);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  // setUTCFullYear, unlike Date.UTC, keeps years 0-99 as written.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  // A date that does not round-trip (20230231 rolls over to March) is malformed.
  if (
    date.getUTCFullYear() !== year ||
    date.getUTCMonth() !== month - 1 ||
    date.getUTCDate() !== day
  ) {
    return undefined;
  }
  const shifted = new Date(date.getTime() + days * DAY_MS);
  const y = shifted.getUTCFullYear();
  if (y < 0 || y > 9999) return undefined;
  return (
    String(y).padStart(4, '0') +
    String(shifted.getUTCMonth() + 1).padStart(2, '0') +
    String(shifted.getUTCDate()).padStart(2, '0')
  );
}

/**
 * Shifts every value of a DA string (multi-valued with '\\'; the legacy 'YYYY.MM.DD' form and
 * query ranges 'A-B' are accepted). Empty values stay empty. Malformed parts give undefined.
 */
export function shiftDate(value: string, days: number): string | undefined {
  const parts = value.replace(/[\0 ]+$/, '').split('\\');
  const out: string[] = [];
  for (const raw of parts) {
    const part = raw.trim();
    if (part === '') {
      out.push('');
      continue;
    }
    const ends = part.split('-');
    if (ends.length > 2) return undefined;
    const shiftedEnds: string[] = [];
    for (const end of ends) {
      if (end === '' && ends.length === 2) {
        shiftedEnds.push('');
        continue;
      }
      const shifted = shiftYmd(end.replace(/\./g, ''), days);
      if (shifted === undefined) return undefined;
      shiftedEnds.push(shifted);
    }
    out.push(shiftedEnds.join('-'));
  }
  return out.join('\\');
}

/**
 * Shifts the date part of every value of a DT string (YYYY[MM[DD[HH[MM[SS[.F]]]]]][&ZZXX]),
 * keeping the time, the fraction, the offset and the precision written. A year-only or
 * year-month value is shifted as its first day and written back at its own precision.
 */
export function shiftDateTime(value: string, days: number): string | undefined {
  const parts = value.replace(/[\0 ]+$/, '').split('\\');
  const out: string[] = [];
  for (const raw of parts) {
    const part = raw.trim();
    if (part === '') {
      out.push('');
      continue;
    }
    const match = /^(\d{4})(\d{2})?(\d{2})?(.*)$/.exec(part);
    if (!match) return undefined;
    const rest = match[4];
    if (rest !== '' && !/^(\d{2}(\d{2}(\d{2}(\.\d{1,6})?)?)?)?([+-]\d{4})?$/.test(rest))
      return undefined;
    if ((match[2] === undefined || match[3] === undefined) && rest !== '') return undefined;
    const ymd = match[1] + (match[2] ?? '01') + (match[3] ?? '01');
    const shifted = shiftYmd(ymd, days);
    if (shifted === undefined) return undefined;
    const precision = 4 + (match[2] ? 2 : 0) + (match[3] ? 2 : 0);
    out.push(shifted.slice(0, precision) + rest);
  }
  return out.join('\\');
}

/** The oldest age written as itself; older ages become '090Y' (HIPAA Safe Harbor groups ages over 89). */
export const AGE_CAP_YEARS = 89;

/**
 * Caps an AS value ('nnnD', 'nnnW', 'nnnM', 'nnnY'): ages over 89 years become '090Y'.
 * Returns undefined for a malformed age, which the caller removes and reports.
 */
export function capAge(value: string): string | undefined {
  const age = value.replace(/[\0 ]+$/, '').trim();
  if (age === '') return '';
  const match = /^(\d{3})([DWMY])$/.exec(age);
  if (!match) return undefined;
  const count = Number(match[1]);
  const years = { D: count / 365.25, W: (count * 7) / 365.25, M: count / 12, Y: count }[
    match[2] as 'D' | 'W' | 'M' | 'Y'
  ];
  return years > AGE_CAP_YEARS ? '090Y' : age;
}
