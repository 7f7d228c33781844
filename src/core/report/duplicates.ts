// Duplicates across patients or studies: the same pixel bytes (SHA-256), or nearly the same picture (perceptual hash).
import { popcount } from './perceptual-hash';
import type { DuplicatePair, Duplicates, ImageDigest } from './types';

export interface DuplicateOptions {
  /** Hashes at most this many bits apart are near-duplicates (default 6 of 64). */
  threshold?: number;
  /** Pairs listed at most (default 500); the rest are counted. */
  maxPairs?: number;
}

/** Which pairs matter: different patients, or the same patient in different studies. */
function scopeOf(a: ImageDigest, b: ImageDigest): DuplicatePair['scope'] | undefined {
  if (a.patient !== b.patient) return 'patients';
  if (a.study !== undefined && b.study !== undefined && a.study !== b.study) return 'studies';
  return undefined;
}

const byPath = (a: ImageDigest, b: ImageDigest): number =>
  a.path < b.path ? -1 : a.path > b.path ? 1 : 0;

/**
 * Exact pairs share a pixel SHA-256; near pairs have perceptual hashes within `threshold` bits and
 * are not exact. Blank frames are never near pairs (every empty image looks alike). Near pairs are
 * found through the pigeonhole rule: hashes within t bits agree exactly on one of t + 1 bands, so
 * only images sharing a band are compared.
 */
export function findDuplicates(
  images: readonly ImageDigest[],
  options: DuplicateOptions = {},
): Duplicates {
  const threshold = options.threshold ?? 6;
  const maxPairs = options.maxPairs ?? 500;
  const sorted = [...images].sort(byPath);
  const pairs: DuplicatePair[] = [];
  const exactKeys = new Set<string>();

  const bySha = new Map<string, ImageDigest[]>();
  for (const im of sorted) {
    if (!im.pixelSha256) continue;
    const list = bySha.get(im.pixelSha256);
    if (list) list.push(im);
    else bySha.set(im.pixelSha256, [im]);
  }
  for (const group of bySha.values()) {
    for (let i = 0; i < group.length; i++)
      for (let j = i + 1; j < group.length; j++) {
        const scope = scopeOf(group[i], group[j]);
        if (!scope) continue;
        exactKeys.add(`${group[i].path}\u0000${group[j].path}`);
        pairs.push({ kind: 'exact', distance: 0, a: group[i], b: group[j], scope });
      }
  }

  const hashed = sorted.filter((im) => im.phash && !im.blank);
  const n = hashed.length;
  const hi = Uint32Array.from(hashed, (im) => parseInt(im.phash!.slice(0, 8), 16));
  const lo = Uint32Array.from(hashed, (im) => parseInt(im.phash!.slice(8, 16), 16));
  const bands = threshold + 1;
  // Bands of near-equal width (9–10 bits for t = 6): a narrow band would fill its buckets.
  const edge = (k: number) => Math.floor((k * 64) / bands);
  const bandValue = new Float64Array(n * bands);
  for (let i = 0; i < n; i++) {
    const big = (BigInt(hi[i]) << 32n) | BigInt(lo[i]);
    for (let k = 0; k < bands; k++) {
      const width = BigInt(edge(k + 1) - edge(k));
      bandValue[i * bands + k] = Number((big >> BigInt(64 - edge(k + 1))) & ((1n << width) - 1n));
    }
  }
  for (let k = 0; k < bands; k++) {
    const buckets = new Map<number, number[]>();
    for (let i = 0; i < n; i++) {
      const key = bandValue[i * bands + k];
      const list = buckets.get(key);
      if (list) list.push(i);
      else buckets.set(key, [i]);
    }
    for (const list of buckets.values()) {
      for (let x = 0; x < list.length; x++)
        for (let y = x + 1; y < list.length; y++) {
          const i = list[x];
          const j = list[y];
          const distance = popcount(hi[i] ^ hi[j]) + popcount(lo[i] ^ lo[j]);
          if (distance > threshold) continue;
          // A pair sharing an earlier band was already seen there.
          let earlier = false;
          for (let e = 0; e < k && !earlier; e++)
            earlier = bandValue[i * bands + e] === bandValue[j * bands + e];
          if (earlier) continue;
          const a = hashed[i];
          const b = hashed[j];
          const scope = scopeOf(a, b);
          if (!scope || exactKeys.has(`${a.path}\u0000${b.path}`)) continue;
          pairs.push({ kind: 'near', distance, a, b, scope });
        }
    }
  }
  pairs.sort(
    (p, q) =>
      (p.kind === q.kind ? 0 : p.kind === 'exact' ? -1 : 1) ||
      p.distance - q.distance ||
      byPath(p.a, q.a) ||
      byPath(p.b, q.b),
  );
  return {
    images: images.length,
    hashed: images.filter((im) => im.phash).length,
    blank: images.filter((im) => im.blank).length,
    threshold,
    pairs: pairs.slice(0, maxPairs),
    omittedPairs: Math.max(0, pairs.length - maxPairs),
  };
}
