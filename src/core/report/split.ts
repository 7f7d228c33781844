// A patient-level train/validation/test split, stratified by label and site, seeded; never splits a patient.
import { toCsv } from '../csv/csv';
import { createPrng, shuffleInPlace } from './stats';
import type { SplitName, SplitSummary } from './types';

export const SPLITS: readonly SplitName[] = ['train', 'validation', 'test'];

export interface SplitInput {
  patient: string;
  label?: string;
  site?: string;
}

export interface SplitOptions {
  /** Shares of patients, e.g. { train: 0.7, validation: 0.15, test: 0.15 }; normalised to sum 1. */
  ratios?: Partial<Record<SplitName, number>>;
  seed?: number;
}

export interface PatientSplit {
  /** Pseudonymous patient → split. */
  assignment: Map<string, SplitName>;
  summary: SplitSummary;
}

/**
 * Splits patients. Rows may repeat a patient (one per instance, study …): a patient's stratum is
 * its site and its most frequent label (ties: the first in sort order). Within each stratum the
 * patients are shuffled with the seed and cut by largest remainders, so each stratum — and hence
 * each label and each site — is shared out in the ratios to within one patient per stratum.
 */
export function splitPatients(
  rows: readonly SplitInput[],
  options: SplitOptions = {},
): PatientSplit {
  const seed = options.seed ?? 1;
  const raw = { train: 0.7, validation: 0.15, test: 0.15, ...options.ratios };
  const total = SPLITS.reduce((s, k) => s + Math.max(0, raw[k]), 0);
  if (!(total > 0)) throw new RangeError('split ratios must add up to more than 0');
  const ratios = Object.fromEntries(SPLITS.map((k) => [k, Math.max(0, raw[k]) / total])) as Record<
    SplitName,
    number
  >;

  const labelCounts = new Map<string, Map<string, number>>();
  const siteOf = new Map<string, string>();
  for (const r of rows) {
    if (!labelCounts.has(r.patient)) labelCounts.set(r.patient, new Map());
    if (r.label !== undefined) {
      const m = labelCounts.get(r.patient)!;
      m.set(r.label, (m.get(r.label) ?? 0) + 1);
    }
    if (!siteOf.has(r.patient) && r.site !== undefined) siteOf.set(r.patient, r.site);
  }
  const labelOf = (p: string): string | undefined => {
    const m = [...labelCounts.get(p)!].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    return m[0]?.[0];
  };
  const strata = new Map<string, string[]>();
  for (const p of [...labelCounts.keys()].sort()) {
    const key = `${siteOf.get(p) ?? ''}\u0000${labelOf(p) ?? '\u0000none'}`;
    const list = strata.get(key);
    if (list) list.push(p);
    else strata.set(key, [p]);
  }

  const prng = createPrng(seed);
  const assignment = new Map<string, SplitName>();
  // The split that gets a stratum's leftover patient rotates, so small strata do not all favour train.
  let rotate = 0;
  for (const key of [...strata.keys()].sort()) {
    const patients = strata.get(key)!;
    shuffleInPlace(patients, prng);
    const exact = SPLITS.map((k) => ratios[k] * patients.length);
    const counts = exact.map(Math.floor);
    let left = patients.length - counts.reduce((s, c) => s + c, 0);
    const order = SPLITS.map((_, i) => i).sort(
      (a, b) =>
        exact[b] - counts[b] - (exact[a] - counts[a]) ||
        ((a - rotate + 3) % 3) - ((b - rotate + 3) % 3),
    );
    for (const i of order) {
      if (left === 0) break;
      if (ratios[SPLITS[i]] === 0) continue;
      counts[i]++;
      left--;
    }
    rotate = (rotate + 1) % 3;
    let at = 0;
    SPLITS.forEach((name, i) => {
      for (let c = 0; c < counts[i]; c++) assignment.set(patients[at++], name);
    });
  }

  const counts = Object.fromEntries(
    SPLITS.map((k) => [k, { patients: 0, byLabel: {} as Record<string, number> }]),
  ) as SplitSummary['counts'];
  for (const [p, s] of assignment) {
    counts[s].patients++;
    const l = labelOf(p);
    if (l !== undefined) counts[s].byLabel[l] = (counts[s].byLabel[l] ?? 0) + 1;
  }
  return { assignment, summary: { seed, ratios, counts } };
}

/** The package's split.csv: `PatientID,split`, one row per pseudonymous patient, sorted. */
export function formatSplitCsv(assignment: ReadonlyMap<string, SplitName>): string {
  return toCsv(
    ['PatientID', 'split'],
    [...assignment].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
}
