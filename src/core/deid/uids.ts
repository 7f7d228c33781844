// UID remapping (PS3.15 E.1 action U): a keyed, deterministic map from original UIDs to 2.25 UIDs.

import { trimUid } from '../dicom/syntax';
import { digestToBigInt, hmacText } from './keyed-hash';

/** Original UID → new UID for one run; share one across every file so a study stays consistent. */
export type UidCache = Map<string, string>;

/**
 * UID roots that name things the standard defines (SOP classes, transfer syntaxes, coding
 * schemes, frame of reference well-known UIDs): they identify no patient and must never change.
 */
const STANDARD_UID_ROOTS = ['1.2.840.10008.'];

/** True for UIDs defined by the DICOM standard (1.2.840.10008.*), which are never remapped. */
export function isStandardUid(uid: string): boolean {
  return STANDARD_UID_ROOTS.some((root) => uid.startsWith(root));
}

/**
 * '2.25.' + the decimal of the first 128 bits of HMAC-SHA-256(secret, uid): at most 44 characters,
 * the same for the same secret, and not computable from the original without the secret.
 * Standard UIDs and empty values come back unchanged.
 */
export async function remapUid(uid: string, secret: CryptoKey, cache?: UidCache): Promise<string> {
  const original = trimUid(uid);
  if (original === '' || isStandardUid(original)) return original;
  const known = cache?.get(original);
  if (known !== undefined) return known;
  const digest = await hmacText(secret, original);
  const remapped = `2.25.${digestToBigInt(digest, 16).toString(10)}`;
  cache?.set(original, remapped);
  return remapped;
}

/** Remaps every value of a multi-valued UI string ('\\'-separated), keeping the value order. */
export async function remapUidList(
  value: string,
  secret: CryptoKey,
  cache?: UidCache,
): Promise<string> {
  const parts = trimUid(value).split('\\');
  const remapped = await Promise.all(parts.map((part) => remapUid(part, secret, cache)));
  return remapped.join('\\');
}

export { importSecret } from './keyed-hash';
