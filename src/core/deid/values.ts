// What each Table E.1-1 action writes for one element value: dummies per VR, shifted dates, capped ages, cleaned text.

import type { VR } from '../dicom/types';
import { DUMMY_DATE, DUMMY_DATE_TIME, DUMMY_TIME } from './dates';

/** The longest value (in characters) a VR allows (PS3.5 Table 6.2-1); absent = no limit that matters here. */
const MAX_CHARS: Partial<Record<VR, number>> = {
  SH: 16,
  LO: 64,
  PN: 64,
  ST: 1024,
  LT: 10240,
  CS: 16,
  AE: 16,
};

/** The dummy a D action writes: non-empty and valid for the VR (PS3.15 E.1: "consistent with the VR"). */
export function dummyText(vr: VR): string | undefined {
  switch (vr) {
    case 'DA':
      return DUMMY_DATE;
    case 'DT':
      return DUMMY_DATE_TIME;
    case 'TM':
      return DUMMY_TIME;
    case 'AS':
      return '000Y';
    case 'DS':
    case 'IS':
      return '0';
    case 'UR':
      return 'urn:x-anonymized';
    case 'PN':
    case 'LO':
    case 'SH':
    case 'LT':
    case 'ST':
    case 'UT':
    case 'UC':
    case 'CS':
    case 'AE':
      return 'ANONYMIZED';
    default:
      return undefined;
  }
}

/** Binary dummy: zeros of the original length (or one value's worth when empty). */
export function dummyBytes(vr: VR, length: number): Uint8Array {
  const size = { US: 2, SS: 2, UL: 4, SL: 4, FL: 4, FD: 8, SV: 8, UV: 8, AT: 4 }[vr as string] ?? 2;
  return new Uint8Array(length > 0 ? length : size);
}

/** Cuts every value of a text to the VR's maximum length (scrubbing can lengthen a short token). */
export function fitToVr(value: string, vr: VR): string {
  const max = MAX_CHARS[vr];
  if (max === undefined) return value;
  if (vr === 'LT' || vr === 'ST') return value.slice(0, max);
  return value
    .split('\\')
    .map((part) => part.slice(0, max))
    .join('\\');
}

/** True when bytes are plain 7-bit text with no escape sequence: identical in every character set. */
export function isPlainAscii(bytes: Uint8Array): boolean {
  for (const byte of bytes) if (byte >= 0x80 || byte === 0x1b) return false;
  return true;
}

/** True for Specific Character Set values that mean ASCII or UTF-8 (no conversion needed). */
export function isAsciiOrUtf8(charsets: readonly string[]): boolean {
  return charsets.every((term) =>
    ['', 'ISO_IR 6', 'ISO 2022 IR 6', 'ISO_IR 192'].includes(term.trim()),
  );
}
