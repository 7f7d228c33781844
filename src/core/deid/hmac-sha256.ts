// A synchronous HMAC-SHA-256 (RFC 2104, FIPS 180-4) for short messages such as UIDs, bit-identical
// to WebCrypto's, built on the one SHA-256 of the project: the padded-key blocks are hashed once
// and the state is cloned for each message, so a UID costs the compressions of its own bytes only.

import { Sha256 } from '../package/sha256';

const BLOCK = 64;

function keyBlockState(key: Uint8Array, pad: number): Sha256 {
  const block = new Uint8Array(BLOCK);
  // RFC 2104: a key longer than the block is hashed first.
  block.set(key.length > BLOCK ? new Sha256().update(key).digest() : key);
  for (let i = 0; i < BLOCK; i++) block[i] ^= pad;
  return new Sha256().update(block);
}

export class HmacSha256 {
  private readonly inner: Sha256;
  private readonly outer: Sha256;

  /** Keeps only the two hashed key blocks, not the key. */
  constructor(key: Uint8Array) {
    this.inner = keyBlockState(key, 0x36);
    this.outer = keyBlockState(key, 0x5c);
  }

  /** HMAC-SHA-256(key, message): 32 bytes. */
  sign(message: Uint8Array): Uint8Array {
    const innerDigest = this.inner.clone().update(message).digest();
    return this.outer.clone().update(innerDigest).digest();
  }
}
