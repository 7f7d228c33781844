// Which images a person looks at (a seeded, stratified sample) and which the OCR step will read.
import {
  highRiskReasons,
  isDerivedOrSecondary,
  isDoseReport,
  isHighRisk,
  isScreenSave,
  isSecondaryCapture,
} from '../inventory/high-risk';
import type { InstanceRow } from '../inventory/index';
import type { OcrCandidate, RedactedBox } from './types';

/** Strata of the visual sample, in the order they are served. */
export const STRATA = [
  'secondary capture',
  'dose sheet',
  'ultrasound',
  'other high-risk',
  'other',
] as const;
export type Stratum = (typeof STRATA)[number];

/** What sampling needs to remember of one image (a few strings, not the header). */
export interface ImageRecord {
  path: string;
  series: string;
  stratum: Stratum;
  /** Why OCR must read it; empty when it is not high risk. */
  ocrReasons: string[];
  /**
   * Every word but safe tokens is a finding (the export's high-risk classes); false for an image
   * read only because it is DERIVED, which the export treats as ordinary: its findings are the
   * date, ID and name shapes, so OCR noise on a reconstructed slice is not a failure.
   */
  allText?: boolean;
  modality?: string;
}

export function stratumOf(row: InstanceRow): Stratum {
  if (isSecondaryCapture(row) || isScreenSave(row)) return 'secondary capture';
  if (isDoseReport(row)) return 'dose sheet';
  if (row.Modality?.toUpperCase() === 'US') return 'ultrasound';
  if (isHighRisk(row) || isDerivedOrSecondary(row)) return 'other high-risk';
  return 'other';
}

/** A record for an entry with pixel data; undefined for the rest (SR, dose SR: nothing to look at). */
export function imageRecord(row: InstanceRow, path: string): ImageRecord | undefined {
  if (!row.hasPixelData) return undefined;
  const reasons = highRiskReasons(row);
  const allText = reasons.length > 0;
  if (isDerivedOrSecondary(row) && !reasons.some((r) => r.includes('SECONDARY'))) {
    reasons.push('ImageType says DERIVED or SECONDARY: made from other images, often with text.');
  }
  return {
    path,
    series: row.SeriesInstanceUID ?? path,
    stratum: stratumOf(row),
    ocrReasons: reasons,
    allText,
    ...(row.Modality ? { modality: row.Modality } : {}),
  };
}

/** mulberry32: a small seeded generator, so the same seed draws the same sample everywhere. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

const byPath = (a: { path: string }, b: { path: string }): number =>
  a.path < b.path ? -1 : a.path > b.path ? 1 : 0;

/** One stratum's images in draw order: series in random order, one image of each in turn. */
function drawOrder(records: ImageRecord[], random: () => number): string[] {
  const bySeries = new Map<string, ImageRecord[]>();
  for (const r of records) {
    const list = bySeries.get(r.series) ?? [];
    list.push(r);
    bySeries.set(r.series, list);
  }
  const series = shuffle([...bySeries.keys()].sort(), random).map((key) =>
    shuffle(bySeries.get(key)!, random),
  );
  const out: string[] = [];
  for (let round = 0; out.length < records.length; round++) {
    for (const list of series) if (round < list.length) out.push(list[round].path);
  }
  return out;
}

/**
 * The visual sample: strata served in turn (secondary captures, dose sheets, ultrasound, other
 * high-risk, the rest), one image each per round, until `size` images are drawn. Inputs are sorted
 * by path first, so a zip and a folder of the same package give the same sample for a seed.
 */
export function drawVisualSample(
  records: readonly ImageRecord[],
  seed: number,
  size: number,
): string[] {
  const random = seededRandom(seed);
  const sorted = [...records].sort(byPath);
  const queues = STRATA.map((s) =>
    drawOrder(
      sorted.filter((r) => r.stratum === s),
      random,
    ),
  );
  const sample: string[] = [];
  for (let round = 0; sample.length < size; round++) {
    let drew = false;
    for (const queue of queues) {
      if (round < queue.length && sample.length < size) {
        sample.push(queue[round]);
        drew = true;
      }
    }
    if (!drew) break;
  }
  return sample;
}

/** How many of `rest` images the random part of the OCR queue reads: a share, but at least `minimum`. */
export function ocrSampleSize(rest: number, fraction: number, minimum: number): number {
  return Math.min(rest, Math.max(Math.ceil(rest * fraction), minimum));
}

/**
 * The OCR queue: every high-risk image (by path), then a seeded random sample of `size` of the
 * other images; each with its Modality and the boxes the redaction log lists for it.
 */
export function planOcr(
  records: readonly ImageRecord[],
  seed: number,
  size: number,
  redactions: ReadonlyMap<string, RedactedBox[]> = new Map(),
): OcrCandidate[] {
  const sorted = [...records].sort(byPath);
  const extra = (r: ImageRecord) => ({
    ...(r.modality !== undefined ? { modality: r.modality } : {}),
    ...(redactions.has(r.path) ? { redacted: redactions.get(r.path) } : {}),
  });
  const queue: OcrCandidate[] = sorted
    .filter((r) => r.ocrReasons.length > 0)
    .map((r) => ({
      path: r.path,
      reasons: r.ocrReasons,
      state: 'not run yet',
      kind: r.allText === false ? 'sample' : 'high-risk',
      ...extra(r),
    }));
  // A different stream from the visual sample's, so the two samples are not the same images.
  const random = seededRandom((seed ^ 0x5bd1e995) >>> 0);
  const rest = shuffle(
    sorted.filter((r) => r.ocrReasons.length === 0),
    random,
  ).slice(0, size);
  for (const r of rest.sort(byPath)) {
    queue.push({
      path: r.path,
      reasons: [`random sample (seed ${seed})`],
      state: 'not run yet',
      kind: 'sample',
      ...extra(r),
    });
  }
  return queue;
}
