// Leakage: a planted leaky element ranks first above its shuffle baseline; random elements and identifiers do not.
import { describe, expect, it } from 'vitest';
import { createPrng } from '../sample/prng';
import { scoreLeakage } from './leakage';
import { categoryAuc, midRanks, mutualInformation, rankAuc } from './stats';
import type { ReportRow } from './types';

/** 200 patients, 3 instances each; label by patient; StationName equals the label 90% of the time. */
function plantedRows(): { rows: ReportRow[]; label: Map<string, string> } {
  const prng = createPrng(42);
  const rows: ReportRow[] = [];
  const label = new Map<string, string>();
  for (let p = 0; p < 200; p++) {
    const patient = `SITE-${String(p).padStart(6, '0')}`;
    const positive = prng.next() < 0.4;
    label.set(patient, positive ? 'pos' : 'neg');
    const agrees = prng.next() < 0.9;
    const station = positive === agrees ? 'STATION-POS' : 'STATION-NEG';
    const day = 20200101 + prng.int(28);
    const hour = positive ? 10 + prng.int(8) : 8 + prng.int(8);
    const noise = ['A', 'B', 'C'][prng.int(3)];
    const kvp = String(100 + prng.int(40));
    for (let i = 0; i < 3; i++) {
      rows.push({
        patient,
        study: `2.25.${p}`,
        series: `2.25.${p}.1`,
        instance: `2.25.${p}.1.${i}`,
        values: {
          PatientID: patient,
          StationName: station,
          ConvolutionKernel: noise,
          KVP: kvp,
          StudyDate: String(day),
          StudyTime: `${String(hour).padStart(2, '0')}3000`,
          SOPInstanceUID: `2.25.${p}.1.${i}`,
          StudyInstanceUID: `2.25.${p}`,
          Modality: 'CT',
        },
      });
    }
  }
  return { rows, label };
}

describe('statistics with a known answer', () => {
  it('rank AUC: perfect separation is 1, reversed is 1 (direction-free), ties are 0.5', () => {
    const y = Int32Array.from([0, 0, 1, 1]);
    expect(rankAuc(midRanks([1, 2, 3, 4]), y, 1)).toBe(1);
    expect(rankAuc(midRanks([4, 3, 2, 1]), y, 1)).toBe(1);
    expect(rankAuc(midRanks([1, 1, 1, 1]), y, 1)).toBe(0.5);
    // One of four pairs out of order: U = 3 → 0.75.
    expect(rankAuc(midRanks([1, 3, 2, 4]), y, 1)).toBe(0.75);
  });

  it('category AUC orders categories by their rate; MI of a copy of a balanced label is 1 bit', () => {
    const y = Int32Array.from([0, 0, 1, 1]);
    expect(categoryAuc(Int32Array.from([1, 1, 0, 0]), 2, y, 1)).toBe(1);
    expect(categoryAuc(Int32Array.from([0, 1, 0, 1]), 2, y, 1)).toBe(0.5);
    expect(mutualInformation(Int32Array.from([0, 0, 1, 1]), 2, y, 2)).toBeCloseTo(1, 10);
    expect(mutualInformation(Int32Array.from([0, 1, 0, 1]), 2, y, 2)).toBeCloseTo(0, 10);
  });
});

describe('scoreLeakage', () => {
  const { rows, label } = plantedRows();
  const report = scoreLeakage(rows, (r) => label.get(r.patient), { permutations: 200, seed: 7 });

  it('a planted leaky element (StationName = label 90% of the time) ranks first, far above its baseline', () => {
    const top = report.scores[0];
    expect(top.feature).toBe('StationName');
    expect(top.auc).toBeGreaterThan(0.85);
    expect(top.aucBaseline).toBeLessThan(0.6);
    expect(top.p).toBeLessThan(0.01);
    expect(top.miZ).toBeGreaterThan(5);
    expect(top.flagged).toBe(true);
  });

  it('time of day, made from StudyTime, is checked the same way and flagged', () => {
    const tod = report.scores.find((s) => s.feature === 'StudyTime (time of day)')!;
    expect(tod.kind).toBe('numeric');
    expect(tod.flagged).toBe(true);
    // One study per patient: its day relative to the first study is always 0.
    expect(report.constant).toContain('StudyDate (days from first study)');
    expect(report.scores[1].feature).toBe('StudyTime (time of day)');
  });

  it('a random element is not above its permutation baseline', () => {
    for (const name of ['ConvolutionKernel', 'KVP']) {
      const s = report.scores.find((x) => x.feature === name)!;
      expect(s.p, name).toBeGreaterThan(0.01);
      expect(s.flagged, name).toBe(false);
      expect(Math.abs(s.lift), name).toBeLessThan(0.06);
    }
  });

  it('identifiers unique per patient or row are reported apart, never scored; constants are listed', () => {
    const ids = report.identifierLike.map((x) => x.feature);
    expect(ids).toEqual(['SOPInstanceUID', 'StudyInstanceUID']);
    expect(report.scores.some((s) => ids.includes(s.feature))).toBe(false);
    expect(report.scores.some((s) => s.feature === 'PatientID')).toBe(false);
    expect(report.constant).toContain('Modality');
    expect(report.shuffledBy).toBe('patient');
  });

  it('the label key column is left out when asked, and the same seed gives the same scores', () => {
    const again = scoreLeakage(rows, (r) => label.get(r.patient), {
      permutations: 200,
      seed: 7,
      exclude: ['StationName'],
    });
    expect(again.scores.some((s) => s.feature === 'StationName')).toBe(false);
    const same = scoreLeakage(rows, (r) => label.get(r.patient), { permutations: 200, seed: 7 });
    expect(same).toEqual(report);
  });

  it('progress: one report per element after the first, ending at the total, result unchanged', () => {
    const seen: [number, number][] = [];
    const again = scoreLeakage(rows, (r) => label.get(r.patient), {
      permutations: 200,
      seed: 7,
      onProgress: (done, total) => seen.push([done, total]),
    });
    expect(again).toEqual(report);
    const total = report.scores.length + report.identifierLike.length + report.constant.length;
    expect(seen.at(-1)).toEqual([total, total]);
    expect(seen.map(([d]) => d)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
  });

  it('three labels: one-vs-rest AUC still finds the leaky element', () => {
    const three = new Map(
      [...label].map(([p, l], i) => [p, l === 'pos' ? 'pos' : i % 2 ? 'neg-a' : 'neg-b']),
    );
    const r = scoreLeakage(rows, (row) => three.get(row.patient), { permutations: 100 });
    expect(r.labels).toEqual(['neg-a', 'neg-b', 'pos']);
    expect(r.scores[0].feature).toMatch(/StationName|StudyTime/);
    expect(r.scores.find((s) => s.feature === 'StationName')!.flagged).toBe(true);
  });
});
