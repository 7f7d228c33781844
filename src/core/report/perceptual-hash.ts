// A 64-bit perceptual hash of a frame (DCT hash of a 32×32 grey thumbnail) and the Hamming distance between two.
import type { Gray8 } from '../pixels/types';

export const THUMB = 32;

/** The frame shrunk to 32×32 by area averaging, grey (RGBA input is averaged to luminance). */
export function thumbnail(frame: Gray8): Float64Array {
  const { width, height, data } = frame;
  const channels = data.length >= width * height * 4 ? 4 : 1;
  const out = new Float64Array(THUMB * THUMB);
  const count = new Float64Array(THUMB * THUMB);
  for (let yy = 0; yy < height; yy++) {
    const ty = Math.min(THUMB - 1, Math.floor((yy * THUMB) / height));
    for (let xx = 0; xx < width; xx++) {
      const tx = Math.min(THUMB - 1, Math.floor((xx * THUMB) / width));
      const at = (yy * width + xx) * channels;
      const v =
        channels === 1 ? data[at] : 0.299 * data[at] + 0.587 * data[at + 1] + 0.114 * data[at + 2];
      out[ty * THUMB + tx] += v;
      count[ty * THUMB + tx]++;
    }
  }
  for (let i = 0; i < out.length; i++) out[i] = count[i] ? out[i] / count[i] : 0;
  return out;
}

const COS: Float64Array = (() => {
  const t = new Float64Array(8 * THUMB);
  for (let u = 0; u < 8; u++)
    for (let x = 0; x < THUMB; x++)
      t[u * THUMB + x] = Math.cos(((2 * x + 1) * u * Math.PI) / (2 * THUMB));
  return t;
})();

export interface PerceptualHash {
  /** 16 hex digits. */
  hash: string;
  /** True when the thumbnail is nearly one flat grey (standard deviation under 2 grey levels). */
  blank: boolean;
  /** The 32×32 grey thumbnail, 0..255, for display. */
  thumb: Uint8Array;
}

/**
 * DCT hash: the 8×8 lowest frequencies of the 32×32 thumbnail's 2-D DCT-II; each bit says whether
 * a coefficient is above the median of the 63 non-DC ones (bit 0 = the DC position, always 0).
 * Small changes (noise, re-encoding, a few pixels of text) move few bits.
 */
export function perceptualHash(frame: Gray8): PerceptualHash {
  const t = thumbnail(frame);
  let m = 0;
  for (const v of t) m += v;
  m /= t.length;
  let varSum = 0;
  for (const v of t) varSum += (v - m) ** 2;
  const blank = Math.sqrt(varSum / t.length) < 2;
  // Rows first: 8 frequencies per thumbnail row, then 8 down each column.
  const rowsDct = new Float64Array(THUMB * 8);
  for (let y = 0; y < THUMB; y++)
    for (let u = 0; u < 8; u++) {
      let s = 0;
      for (let x = 0; x < THUMB; x++) s += t[y * THUMB + x] * COS[u * THUMB + x];
      rowsDct[y * 8 + u] = s;
    }
  const coeff = new Float64Array(64);
  for (let v = 0; v < 8; v++)
    for (let u = 0; u < 8; u++) {
      let s = 0;
      for (let y = 0; y < THUMB; y++) s += rowsDct[y * 8 + u] * COS[v * THUMB + y];
      coeff[v * 8 + u] = s;
    }
  const ac = [...coeff.subarray(1)].sort((a, b) => a - b);
  const median = (ac[31] + ac[32]) / 2;
  let hi = 0;
  let lo = 0;
  for (let i = 1; i < 64; i++) {
    if (coeff[i] > median) {
      if (i < 32) lo |= 1 << i;
      else hi |= 1 << (i - 32);
    }
  }
  const hex = (n: number) => (n >>> 0).toString(16).padStart(8, '0');
  const thumb = Uint8Array.from(t, (v) => Math.max(0, Math.min(255, Math.round(v))));
  return { hash: hex(hi) + hex(lo), blank, thumb };
}

/** Set bits of a 32-bit value. */
export function popcount(n: number): number {
  n = n - ((n >>> 1) & 0x55555555);
  n = (n & 0x33333333) + ((n >>> 2) & 0x33333333);
  return (((n + (n >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** Hamming distance of two 16-hex-digit hashes. */
export function hammingDistance(a: string, b: string): number {
  return (
    popcount(parseInt(a.slice(0, 8), 16) ^ parseInt(b.slice(0, 8), 16)) +
    popcount(parseInt(a.slice(8), 16) ^ parseInt(b.slice(8), 16))
  );
}
