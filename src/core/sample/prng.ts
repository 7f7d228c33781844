// A small seeded pseudo-random generator, so the same seed always gives the same sample bytes.

/** Draws from a seeded stream: sfc32 (Chris Doty-Humphrey's Small Fast Counter) seeded through splitmix32. */
export interface Prng {
  /** An unsigned 32-bit integer. */
  uint32(): number;
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, n). */
  int(n: number): number;
}

function splitmix32(state: number): [value: number, next: number] {
  const next = (state + 0x9e3779b9) >>> 0;
  let z = next;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return [(z ^ (z >>> 16)) >>> 0, next];
}

export function createPrng(seed: number): Prng {
  let s = seed >>> 0;
  const words: number[] = [];
  for (let i = 0; i < 4; i++) {
    const [v, n] = splitmix32(s);
    words.push(v);
    s = n;
  }
  let [a, b, c, d] = words;
  const uint32 = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t;
  };
  // Warm up: the first outputs of a counter generator still resemble the seed.
  for (let i = 0; i < 12; i++) uint32();
  return {
    uint32,
    next: () => uint32() / 4294967296,
    int: (n) => Math.floor((uint32() / 4294967296) * n),
  };
}

/** A UID under the 2.25 root (a UUID as one decimal integer, PS3.5 B.2), drawn from the stream. */
export function drawUid(prng: Prng): string {
  let value = 0n;
  for (let i = 0; i < 4; i++) value = (value << 32n) | BigInt(prng.uint32());
  // The top bit set: always 39 digits, so UIDs have one length (44 characters, under the 64 allowed).
  value = (value & ((1n << 128n) - 1n)) | (1n << 127n);
  return `2.25.${value.toString(10)}`;
}
