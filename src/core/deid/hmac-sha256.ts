// A synchronous HMAC-SHA-256 (RFC 2104, FIPS 180-4) for short messages such as UIDs, bit-identical to WebCrypto's.

import { Sha256 } from '../package/sha256';

// Round constants: FIPS 180-4, 4.2.2.
const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
// Initial hash value: FIPS 180-4, 5.3.3.
const H0 = new Int32Array([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);
const BLOCK = 64;

/** Compresses one 64-byte block at `at` of `bytes` into the state `h` (8 words), using `w` as scratch. */
function compress(h: Int32Array, w: Int32Array, bytes: Uint8Array, at: number): void {
  for (let t = 0; t < 16; t++) {
    const j = at + t * 4;
    w[t] = (bytes[j] << 24) | (bytes[j + 1] << 16) | (bytes[j + 2] << 8) | bytes[j + 3];
  }
  for (let t = 16; t < 64; t++) {
    const x = w[t - 15];
    const y = w[t - 2];
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    w[t] = (w[t - 16] + s0 + w[t - 7] + s1) | 0;
  }
  let a = h[0];
  let b = h[1];
  let c = h[2];
  let d = h[3];
  let e = h[4];
  let f = h[5];
  let g = h[6];
  let k = h[7];
  for (let t = 0; t < 64; t++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const ch = (e & f) ^ (~e & g);
    const t1 = (k + S1 + ch + K[t] + w[t]) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const maj = (a & b) ^ (a & c) ^ (b & c);
    k = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + S0 + maj) | 0;
  }
  h[0] = (h[0] + a) | 0;
  h[1] = (h[1] + b) | 0;
  h[2] = (h[2] + c) | 0;
  h[3] = (h[3] + d) | 0;
  h[4] = (h[4] + e) | 0;
  h[5] = (h[5] + f) | 0;
  h[6] = (h[6] + g) | 0;
  h[7] = (h[7] + k) | 0;
}

/** The state after one block of the key XOR `pad` (the key zero-padded to 64 bytes, or hashed first when longer). */
function paddedKeyState(key: Uint8Array, pad: number): Int32Array {
  const block = new Uint8Array(BLOCK);
  block.set(key.length > BLOCK ? new Sha256().update(key).digest() : key);
  for (let i = 0; i < BLOCK; i++) block[i] ^= pad;
  const h = Int32Array.from(H0);
  compress(h, new Int32Array(64), block, 0);
  block.fill(0);
  return h;
}

/**
 * HMAC-SHA-256 under one key, synchronously. Only the two states after the padded key blocks are
 * kept (not the key), so each message costs its own blocks plus one outer block. The states are
 * as secret as the key: instances live inside keyed-hash.ts and never leave the worker.
 */
export class HmacSha256 {
  private readonly inner: Int32Array;
  private readonly outer: Int32Array;
  private readonly h = new Int32Array(8);
  private readonly w = new Int32Array(64);
  private buffer = new Uint8Array(2 * BLOCK);

  constructor(key: Uint8Array) {
    this.inner = paddedKeyState(key, 0x36);
    this.outer = paddedKeyState(key, 0x5c);
  }

  /** HMAC-SHA-256(key, message): 32 bytes. */
  sign(message: Uint8Array): Uint8Array {
    const h = this.h;
    h.set(this.inner);
    // The inner hash: the message after the key block, then 0x80, zeros and the bit length.
    const length = message.length;
    const full = length - (length % BLOCK);
    for (let at = 0; at < full; at += BLOCK) compress(h, this.w, message, at);
    const rest = length - full;
    const tailBlocks = rest < 56 ? 1 : 2;
    if (this.buffer.length < tailBlocks * BLOCK) this.buffer = new Uint8Array(tailBlocks * BLOCK);
    const tail = this.buffer;
    tail.fill(0, 0, tailBlocks * BLOCK);
    tail.set(message.subarray(full), 0);
    tail[rest] = 0x80;
    writeBitLength(tail, tailBlocks * BLOCK, BLOCK + length);
    for (let b = 0; b < tailBlocks; b++) compress(h, this.w, tail, b * BLOCK);
    // The outer hash: the 32-byte inner digest after the outer key block, in one padded block.
    tail.fill(0, 0, BLOCK);
    writeWords(tail, h);
    tail[32] = 0x80;
    writeBitLength(tail, BLOCK, BLOCK + 32);
    h.set(this.outer);
    compress(h, this.w, tail, 0);
    const out = new Uint8Array(32);
    writeWords(out, h);
    return out;
  }
}

/** Writes the 8 state words big-endian at the start of `bytes`. */
function writeWords(bytes: Uint8Array, h: Int32Array): void {
  for (let j = 0; j < 8; j++) {
    const v = h[j];
    bytes[j * 4] = v >>> 24;
    bytes[j * 4 + 1] = v >>> 16;
    bytes[j * 4 + 2] = v >>> 8;
    bytes[j * 4 + 3] = v;
  }
}

/** Writes a message length of `byteLength` bytes, in bits, as the last 8 bytes before `end`. */
function writeBitLength(bytes: Uint8Array, end: number, byteLength: number): void {
  const bits = byteLength * 8;
  const high = Math.floor(bits / 0x100000000);
  const low = bits >>> 0;
  bytes[end - 8] = high >>> 24;
  bytes[end - 7] = high >>> 16;
  bytes[end - 6] = high >>> 8;
  bytes[end - 5] = high;
  bytes[end - 4] = low >>> 24;
  bytes[end - 3] = low >>> 16;
  bytes[end - 2] = low >>> 8;
  bytes[end - 1] = low;
}
