// The statistics behind the leakage check: rank AUC, category-ordering AUC, mutual information, seeded shuffles.
import { createPrng, type Prng } from '../sample/prng';

/** Mid-ranks (1-based, ties share the mean rank) of the finite values; NaN stays NaN. */
export function midRanks(values: ArrayLike<number>): Float64Array {
  const idx: number[] = [];
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) idx.push(i);
  idx.sort((a, b) => values[a] - values[b]);
  const ranks = new Float64Array(values.length).fill(NaN);
  for (let s = 0; s < idx.length;) {
    let e = s + 1;
    while (e < idx.length && values[idx[e]] === values[idx[s]]) e++;
    const rank = (s + 1 + e) / 2;
    for (let k = s; k < e; k++) ranks[idx[k]] = rank;
    s = e;
  }
  return ranks;
}

/**
 * AUC of a numeric score for class `k` against the rest (Mann–Whitney U / n1·n0), from mid-ranks
 * of the rows that have a value (NaN rows are left out). Direction-free: max(auc, 1 − auc), so a
 * feature that is lower for positives counts as much as one that is higher. NaN when a side is empty.
 */
export function rankAuc(ranks: Float64Array, y: Int32Array, k: number): number {
  let n1 = 0;
  let n = 0;
  let sum = 0;
  for (let i = 0; i < ranks.length; i++) {
    const r = ranks[i];
    if (Number.isNaN(r)) continue;
    n++;
    if (y[i] === k) {
      n1++;
      sum += r;
    }
  }
  const n0 = n - n1;
  if (n1 === 0 || n0 === 0) return NaN;
  const auc = (sum - (n1 * (n1 + 1)) / 2) / (n1 * n0);
  return Math.max(auc, 1 - auc);
}

/**
 * AUC of a categorical feature for class `k`: categories ordered by their rate of class k (the best
 * a single lookup table can do), rows within a category tied. `codes` are 0..categories-1.
 */
export function categoryAuc(
  codes: Int32Array,
  categories: number,
  y: Int32Array,
  k: number,
): number {
  const pos = new Float64Array(categories);
  const neg = new Float64Array(categories);
  for (let i = 0; i < codes.length; i++) {
    if (y[i] === k) pos[codes[i]]++;
    else neg[codes[i]]++;
  }
  let n1 = 0;
  let n0 = 0;
  const order: number[] = [];
  for (let c = 0; c < categories; c++) {
    n1 += pos[c];
    n0 += neg[c];
    if (pos[c] + neg[c] > 0) order.push(c);
  }
  if (n1 === 0 || n0 === 0) return NaN;
  order.sort((a, b) => pos[a] / (pos[a] + neg[a]) - pos[b] / (pos[b] + neg[b]));
  let below = 0;
  let u = 0;
  for (const c of order) {
    u += pos[c] * (below + neg[c] / 2);
    below += neg[c];
  }
  return u / (n1 * n0);
}

/** Mean over classes of a one-vs-rest AUC (for two classes, just class 1 against class 0). */
export function meanAuc(classes: number, one: (k: number) => number): number {
  if (classes === 2) return one(1);
  let sum = 0;
  let n = 0;
  for (let k = 0; k < classes; k++) {
    const a = one(k);
    if (!Number.isNaN(a)) {
      sum += a;
      n++;
    }
  }
  return n === 0 ? NaN : sum / n;
}

/** Plug-in mutual information in bits between codes (0..categories-1) and classes (0..classes-1). */
export function mutualInformation(
  codes: Int32Array,
  categories: number,
  y: Int32Array,
  classes: number,
): number {
  const n = codes.length;
  if (n === 0) return 0;
  const joint = new Float64Array(categories * classes);
  const px = new Float64Array(categories);
  const py = new Float64Array(classes);
  for (let i = 0; i < n; i++) {
    joint[codes[i] * classes + y[i]]++;
    px[codes[i]]++;
    py[y[i]]++;
  }
  let mi = 0;
  for (let c = 0; c < categories; c++) {
    if (px[c] === 0) continue;
    for (let k = 0; k < classes; k++) {
      const j = joint[c * classes + k];
      if (j > 0) mi += (j / n) * Math.log2((j * n) / (px[c] * py[k]));
    }
  }
  return Math.max(0, mi);
}

/** Fisher–Yates shuffle in place with a seeded generator. */
export function shuffleInPlace<T>(items: T[] | Int32Array, prng: Prng): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = prng.int(i + 1);
    const t = items[i];
    items[i] = items[j];
    items[j] = t;
  }
}

export { createPrng, type Prng };

export function mean(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return xs.length === 0 ? NaN : s / xs.length;
}

export function sd(xs: ArrayLike<number>): number {
  const m = mean(xs);
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += (xs[i] - m) ** 2;
  return xs.length < 2 ? 0 : Math.sqrt(s / (xs.length - 1));
}
