// Keyed hashing for de-identification: the project secret as an HMAC-SHA-256 key, and labelled digests.

const encoder = new TextEncoder();

/** Imports the project secret as a non-extractable HMAC-SHA-256 key (the only key every keyed mapping uses). */
export function importSecret(secretBytes: Uint8Array): Promise<CryptoKey> {
  return crypto.subtle.importKey(
    'raw',
    secretBytes as Uint8Array<ArrayBuffer>,
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
}

/** HMAC-SHA-256 of a UTF-8 message under the project secret. */
export async function hmacText(secret: CryptoKey, message: string): Promise<Uint8Array> {
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
