// Pseudonyms: patient keys, numbering patients without leaking their order, and keyed short identifiers.

import { digestToHex, hmacText } from './keyed-hash';

/**
 * Writes a pseudonym from a recipe pattern: every '{n}' becomes the number, every '{n:W}' the
 * number zero-padded to W digits ('SITE-{n:6}', 42 → 'SITE-000042').
 */
export function formatPseudonym(pattern: string, n: number): string {
  if (!Number.isInteger(n) || n < 0)
    throw new RangeError('pseudonym number must be a non-negative integer');
  if (!/\{n(?::\d+)?\}/.test(pattern))
    throw new RangeError('pseudonym pattern has no {n} placeholder');
  return pattern.replace(/\{n(?::(\d+))?\}/g, (_all, width?: string) =>
    String(n).padStart(width === undefined ? 0 : Number(width), '0'),
  );
}

/**
 * The key that says two files belong to one patient: IssuerOfPatientID and PatientID, trimmed.
 * A backslash separates them because neither LO value may contain one.
 */
export function patientKey(patientId: string | undefined, issuerOfPatientId?: string): string {
  const clean = (value: string | undefined): string => (value ?? '').replace(/[\0 ]+$/, '').trim();
  return `${clean(issuerOfPatientId)}\\${clean(patientId)}`;
}

/**
 * Numbers patients 1, 2, 3, ... in the order of HMAC(secret, 'pseudonym-order:' + key), so a number
 * says nothing about a name, an ID or the order of the folder; the same keys and secret give the
 * same numbers. Patients already in `assigned` keep their pseudonym; new ones continue after the
 * highest number used so far.
 */
export async function assignPseudonyms(
  keys: Iterable<string>,
  pattern: string,
  secret: CryptoKey,
  assigned: ReadonlyMap<string, { n: number }> = new Map(),
): Promise<Map<string, { n: number; pseudonym: string }>> {
  const result = new Map<string, { n: number; pseudonym: string }>();
  let next = 1;
  for (const [key, { n }] of assigned) {
    result.set(key, { n, pseudonym: formatPseudonym(pattern, n) });
    next = Math.max(next, n + 1);
  }
  const fresh = [...new Set(keys)].filter((key) => !result.has(key));
  const ranked = await Promise.all(
    fresh.map(async (key) => ({
      key,
      rank: digestToHex(await hmacText(secret, `pseudonym-order:${key}`)),
    })),
  );
  ranked.sort((a, b) =>
    a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0,
  );
  for (const { key } of ranked) {
    result.set(key, { n: next, pseudonym: formatPseudonym(pattern, next) });
    next++;
  }
  return result;
}

/** Which identifier a short keyed value stands for; the label separates the hash domains. */
export type ShortIdentifierKind = 'AccessionNumber' | 'StudyID';

/**
 * A 16-character uppercase hex value (fits SH) derived from HMAC(secret, kind + ':' + value):
 * the same original gives the same replacement in every file of the run, so studies still group.
 */
export async function shortIdentifier(
  kind: ShortIdentifierKind,
  value: string,
  secret: CryptoKey,
): Promise<string> {
  const original = value.replace(/[\0 ]+$/, '').trim();
  if (original === '') return '';
  const digest = await hmacText(secret, `${kind}:${original}`);
  return digestToHex(digest).slice(0, 16).toUpperCase();
}
