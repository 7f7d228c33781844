// The split: never separates a patient, keeps label and site proportions within the stated tolerance, is seeded.
import { describe, expect, it } from 'vitest';
import { createPrng } from '../sample/prng';
import { formatSplitCsv, splitPatients, SPLITS, type SplitInput } from './split';

/** 600 patients over 3 sites, 1–4 rows each, labels 'pos' (≈25%), 'neg', 'unsure' (≈10%). */
function cohort(): SplitInput[] {
  const prng = createPrng(3);
  const rows: SplitInput[] = [];
  for (let p = 0; p < 600; p++) {
    const u = prng.next();
    const label = u < 0.25 ? 'pos' : u < 0.35 ? 'unsure' : 'neg';
    const site = ['A', 'B', 'C'][prng.int(3)];
    for (let i = 0, n = 1 + prng.int(4); i < n; i++) rows.push({ patient: `P${p}`, label, site });
  }
  return rows;
}

/** Stated tolerance: each label's share in each split is within 2 percentage points of its share overall. */
const TOLERANCE = 0.02;

describe('splitPatients', () => {
  const rows = cohort();
  const { assignment, summary } = splitPatients(rows, { seed: 11 });

  it('never splits a patient: every patient is in exactly one split', () => {
    const patients = new Set(rows.map((r) => r.patient));
    expect(assignment.size).toBe(patients.size);
    for (const p of patients) expect(SPLITS).toContain(assignment.get(p));
  });

  it('keeps split sizes at the ratios and label proportions within the stated tolerance', () => {
    const overall = new Map<string, number>();
    const labelOf = new Map(rows.map((r) => [r.patient, r.label!]));
    for (const l of labelOf.values()) overall.set(l, (overall.get(l) ?? 0) + 1 / labelOf.size);
    for (const s of SPLITS) {
      const c = summary.counts[s];
      expect(c.patients / 600).toBeCloseTo(summary.ratios[s], 1);
      for (const [label, share] of overall) {
        expect(
          Math.abs((c.byLabel[label] ?? 0) / c.patients - share),
          `${s} ${label}`,
        ).toBeLessThanOrEqual(TOLERANCE);
      }
    }
  });

  it('keeps each site in the ratios too (stratified by site)', () => {
    const siteOf = new Map(rows.map((r) => [r.patient, r.site!]));
    for (const site of ['A', 'B', 'C']) {
      const ps = [...siteOf].filter(([, s]) => s === site).map(([p]) => p);
      const test = ps.filter((p) => assignment.get(p) === 'test').length;
      expect(Math.abs(test / ps.length - 0.15)).toBeLessThanOrEqual(TOLERANCE);
    }
  });

  it('the same seed gives the same split, another seed another one; ratios are normalised', () => {
    expect(splitPatients(rows, { seed: 11 }).assignment).toEqual(assignment);
    expect(splitPatients(rows, { seed: 12 }).assignment).not.toEqual(assignment);
    const half = splitPatients(rows, { ratios: { train: 1, validation: 0, test: 1 } });
    expect(half.summary.counts.validation.patients).toBe(0);
    expect(half.summary.counts.test.patients).toBe(300);
  });

  it('writes split.csv as PatientID,split sorted by patient', () => {
    const csv = formatSplitCsv(
      new Map([
        ['S-2', 'test'],
        ['S-1', 'train'],
      ]),
    );
    expect(csv).toBe('PatientID,split\nS-1,train\nS-2,test\n');
  });
});
