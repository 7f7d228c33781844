// Target leakage: how well each retained element alone predicts the label, against a seeded shuffle baseline.
import { binNumeric, extractFeatures, type Feature } from './features';
import {
  categoryAuc,
  createPrng,
  mean,
  meanAuc,
  midRanks,
  mutualInformation,
  rankAuc,
  sd,
  shuffleInPlace,
} from './stats';
import type { Leakage, LeakageScore, ReportRow } from './types';

export interface LeakageOptions {
  /** Shuffles per feature (default 200). */
  permutations?: number;
  seed?: number;
  /** Flag when p < alpha (default 0.01) and lift ≥ minLift (default 0.05). */
  alpha?: number;
  minLift?: number;
  /** Keys never scored (the label's key column, …). PatientID and PatientName are always left out. */
  exclude?: Iterable<string>;
  /** A categorical feature with at least this share of one value per shuffle unit is identifier-like (default 0.5). */
  identifierShare?: number;
  /** Quantile bins of numeric features for MI (default 10). */
  bins?: number;
  /**
   * Called after each feature with how many of them are done: the shuffles make every feature cost
   * about the same, so a caller can show the time left. Never part of the result.
   */
  onProgress?(done: number, total: number): void;
}

/** Always left out: the pseudonym is the patient itself (one value per patient). */
const ALWAYS_EXCLUDED = ['PatientID', 'PatientName'];

/**
 * Scores every feature of the labelled rows. `labelOf` gives a row's label or undefined (unlabelled
 * rows are left out). Shuffles move labels between patients when every patient has one label (so
 * patient-level values are judged against a patient-level chance), else between rows.
 */
export function scoreLeakage(
  rows: readonly ReportRow[],
  labelOf: (row: ReportRow) => string | undefined,
  options: LeakageOptions = {},
): Leakage {
  const permutations = options.permutations ?? 200;
  const seed = options.seed ?? 1;
  const alpha = options.alpha ?? 0.01;
  const minLift = options.minLift ?? 0.05;
  const idShare = options.identifierShare ?? 0.5;
  const bins = options.bins ?? 10;

  const labelled = rows.filter((r) => labelOf(r) !== undefined);
  const names = [...new Set(labelled.map((r) => labelOf(r)!))].sort();
  const classIndex = new Map(names.map((n, i) => [n, i]));
  const y = Int32Array.from(labelled, (r) => classIndex.get(labelOf(r)!)!);
  const classes = names.length;

  // Shuffle unit: patients when the label is constant within each patient.
  const patientLabel = new Map<string, number>();
  let perPatient = true;
  for (let i = 0; i < labelled.length; i++) {
    const p = labelled[i].patient;
    const before = patientLabel.get(p);
    if (before !== undefined && before !== y[i]) perPatient = false;
    patientLabel.set(p, y[i]);
  }
  const patients = [...patientLabel.keys()];
  const patientIndex = new Map(patients.map((p, i) => [p, i]));
  const rowPatient = Int32Array.from(labelled, (r) => patientIndex.get(r.patient)!);
  const units = perPatient ? patients.length : labelled.length;

  const prng = createPrng(seed);
  const shuffles: Int32Array[] = [];
  for (let s = 0; s < permutations; s++) {
    if (perPatient) {
      const perm = Int32Array.from(patients, (p) => patientLabel.get(p)!);
      shuffleInPlace(perm, prng);
      shuffles.push(Int32Array.from(rowPatient, (pi) => perm[pi]));
    } else {
      const perm = Int32Array.from(y);
      shuffleInPlace(perm, prng);
      shuffles.push(perm);
    }
  }

  const exclude = new Set([...ALWAYS_EXCLUDED, ...(options.exclude ?? [])]);
  const features = classes < 2 ? [] : extractFeatures(labelled, exclude);
  const scores: LeakageScore[] = [];
  const identifierLike: Leakage['identifierLike'] = [];
  const constant: string[] = [];
  for (const [index, f] of features.entries()) {
    if (index > 0) options.onProgress?.(index, features.length);
    const levels =
      f.kind === 'categorical' ? f.categories! : f.distinct + (f.present < labelled.length ? 1 : 0);
    if (levels <= 1) {
      constant.push(f.name);
      continue;
    }
    if (f.kind === 'categorical' && f.distinct >= Math.max(2, idShare * units)) {
      identifierLike.push({ feature: f.name, distinct: f.distinct, present: f.present });
      continue;
    }
    scores.push(scoreFeature(f, y, classes, shuffles, bins, alpha, minLift));
  }
  options.onProgress?.(features.length, features.length);
  scores.sort(
    (a, b) => b.lift - a.lift || a.p - b.p || b.miZ - a.miZ || (a.feature < b.feature ? -1 : 1),
  );
  return {
    rows: labelled.length,
    labels: names,
    permutations,
    seed,
    shuffledBy: perPatient ? 'patient' : 'row',
    alpha,
    scores,
    identifierLike: identifierLike.sort((a, b) => (a.feature < b.feature ? -1 : 1)),
    constant,
  };
}

function scoreFeature(
  f: Feature,
  y: Int32Array,
  classes: number,
  shuffles: Int32Array[],
  bins: number,
  alpha: number,
  minLift: number,
): LeakageScore {
  let auc: (labels: Int32Array) => number;
  let codes: Int32Array;
  let categories: number;
  if (f.kind === 'numeric') {
    const ranks = midRanks(f.numbers!);
    auc = (labels) => meanAuc(classes, (k) => rankAuc(ranks, labels, k));
    ({ codes, categories } = binNumeric(ranks, f.present, Math.min(bins, Math.max(1, f.distinct))));
  } else {
    codes = f.codes!;
    categories = f.categories!;
    auc = (labels) => meanAuc(classes, (k) => categoryAuc(codes, categories, labels, k));
  }
  const observedAuc = auc(y);
  const observedMi = mutualInformation(codes, categories, y, classes);
  const aucs = new Float64Array(shuffles.length);
  const mis = new Float64Array(shuffles.length);
  let atLeast = 0;
  shuffles.forEach((s, i) => {
    aucs[i] = auc(s);
    mis[i] = mutualInformation(codes, categories, s, classes);
    if (!(aucs[i] < observedAuc - 1e-12)) atLeast++;
  });
  const finite = aucs.filter((a) => !Number.isNaN(a));
  const aucBaseline = finite.length ? mean(finite) : 0.5;
  const miBaseline = mean(mis);
  const miSd = sd(mis);
  const p = Number.isNaN(observedAuc) ? 1 : (1 + atLeast) / (1 + shuffles.length);
  const lift = Number.isNaN(observedAuc) ? 0 : observedAuc - aucBaseline;
  return {
    feature: f.name,
    kind: f.kind,
    present: f.present,
    distinct: f.distinct,
    auc: round(Number.isNaN(observedAuc) ? 0.5 : observedAuc),
    aucBaseline: round(aucBaseline),
    mi: round(observedMi),
    miBaseline: round(miBaseline),
    miZ: round(
      miSd > 1e-12 ? (observedMi - miBaseline) / miSd : observedMi > miBaseline + 1e-12 ? 99 : 0,
    ),
    p: round(p),
    lift: round(lift),
    flagged: p < alpha && lift >= minLift,
  };
}

const round = (x: number): number => Math.round(x * 1e4) / 1e4;
