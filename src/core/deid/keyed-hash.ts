// Keyed hashing for de-identification: the project secret as an HMAC-SHA-256 key, and labelled digests.

import { HmacSha256 } from './hmac-sha256';

const encoder = new TextEncoder();

/**
 * The synchronous HMAC of every key importSecret made, keyed by the CryptoKey itself: callers keep
 * holding a plain (non-extractable) CryptoKey, nothing of the secret is reachable from it, and a key
 * imported elsewhere (or structured-cloned to another thread) falls back to crypto.subtle.
 */
const syncKeys = new WeakMap<CryptoKey, HmacSha256>();

/** Imports the project secret as a non-extractable HMAC-SHA-256 key (the only key every keyed mapping uses). */
export async function importSecret(secretBytes: Uint8Array): Promise<CryptoKey> {
  const key = await crypto.subtle.importKey(
    'raw',
    secretBytes as Uint8Array<ArrayBuffer>,
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  // The padded key states are computed once here; each later HMAC costs its message's blocks only.
  syncKeys.set(key, new HmacSha256(secretBytes));
  return key;
}

/**
 * HMAC-SHA-256 of a UTF-8 message, computed on this thread when the key came from importSecret
 * (no round trip to WebCrypto's thread pool); undefined for any other key.
 */
export function hmacTextSync(secret: CryptoKey, message: string): Uint8Array | undefined {
  return syncKeys.get(secret)?.sign(encoder.encode(message));
}

/** HMAC-SHA-256 of a UTF-8 message under the project secret. */
export async function hmacText(secret: CryptoKey, message: string): Promise<Uint8Array> {
  const sync = hmacTextSync(secret, message);
  if (sync) return sync;
  const digest = await crypto.subtle.sign('HMAC', secret, encoder.encode(message));
  return new Uint8Array(digest);
}

/** The first `bytes` bytes of a digest as an unsigned big-endian integer. */
export function digestToBigInt(digest: Uint8Array, bytes: number): bigint {
  let value = 0n;
  for (let i = 0; i < bytes; i++) value = (value << 8n) | BigInt(digest[i]);
  return value;
}

/** A digest as lowercase hex, for stable ordering and short identifiers. */
export function digestToHex(digest: Uint8Array): string {
  let hex = '';
  for (const byte of digest) hex += byte.toString(16).padStart(2, '0');
  return hex;
}
