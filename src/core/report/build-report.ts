// The dataset report: composition, target leakage, duplicates and (optionally) the split, as one JSON-ready object.
import type { LabelKeyColumn } from '../labels/labels-csv';
import type { Recipe } from '../profile/recipe';
import { buildComposition } from './composition';
import { findDuplicates, type DuplicateOptions } from './duplicates';
import { scoreLeakage, type LeakageOptions } from './leakage';
import { splitPatients, type SplitOptions } from './split';
import type { DatasetReport, ImageDigest, ReportRow } from './types';

export interface DatasetReportInput {
  title?: string;
  rows: readonly ReportRow[];
  images?: readonly ImageDigest[];
  /** Labels keyed by the package's own (pseudonymous) identifiers, e.g. from its labels.csv. */
  labels?: { labels: ReadonlyMap<string, string>; keyColumn: LabelKeyColumn; labelColumn?: string };
  recipe?: Recipe;
  /** Caller-given text for the report (never the clock). */
  createdAt?: string;
  leakage?: LeakageOptions;
  duplicates?: DuplicateOptions;
  /** Adds the split summary (the assignment itself comes from `splitPatients`). */
  split?: SplitOptions;
}

/** The row's value of the label key: the pseudonym, a UID, or the keyed AccessionNumber. */
export function labelKeyOf(row: ReportRow, keyColumn: LabelKeyColumn): string | undefined {
  switch (keyColumn) {
    case 'PatientID':
      return row.patient;
    case 'StudyInstanceUID':
      return row.study;
    case 'SeriesInstanceUID':
      return row.series;
    case 'SOPInstanceUID':
      return row.instance;
    case 'AccessionNumber':
      return row.values.AccessionNumber;
  }
}

/** Which keys of `values` carry the label key itself (never scored). */
const KEY_KEYWORDS: Record<LabelKeyColumn, string[]> = {
  PatientID: ['PatientID', 'PatientName'],
  StudyInstanceUID: ['StudyInstanceUID'],
  SeriesInstanceUID: ['SeriesInstanceUID'],
  SOPInstanceUID: ['SOPInstanceUID', 'MediaStorageSOPInstanceUID'],
  AccessionNumber: ['AccessionNumber'],
};

/**
 * Builds the report. Carries only what the rows carry (pseudonymous keys and retained values) and
 * the label names: no PHI goes in that was not already in the package.
 */
export function buildDatasetReport(input: DatasetReportInput): DatasetReport {
  const { rows, labels } = input;
  const labelOf = labels
    ? (r: ReportRow) => {
        const key = labelKeyOf(r, labels.keyColumn);
        return key === undefined ? undefined : labels.labels.get(key);
      }
    : undefined;
  const notes: string[] = [];
  let leakage: DatasetReport['leakage'];
  if (labelOf) {
    const labelled = rows.filter((r) => labelOf(r) !== undefined).length;
    if (labelled < rows.length)
      notes.push(
        `${rows.length - labelled} of ${rows.length} images have no label and are left out of the leakage check.`,
      );
    leakage = scoreLeakage(rows, labelOf, {
      ...input.leakage,
      exclude: [...KEY_KEYWORDS[labels!.keyColumn], ...(input.leakage?.exclude ?? [])],
    });
    if (leakage.labels.length < 2)
      notes.push('The labels have fewer than two values: leakage cannot be measured.');
  } else notes.push('No labels: the leakage check needs a labels CSV.');
  const images = input.images ?? [];
  if (images.length > 0 && images.every((im) => !im.phash))
    notes.push(
      'No image could be decoded for the perceptual hash: only exact duplicates were looked for.',
    );
  const split = input.split
    ? splitPatients(
        rows.map((r) => ({ patient: r.patient, label: labelOf?.(r), site: r.site })),
        input.split,
      ).summary
    : undefined;
  return {
    format: 'cleanroom-dataset-report',
    formatVersion: 1,
    ...(input.createdAt !== undefined ? { createdAt: input.createdAt } : {}),
    title: input.title ?? input.recipe?.name ?? 'Dataset report',
    ...(labels ? { labelColumn: labels.labelColumn ?? 'label', labelKey: labels.keyColumn } : {}),
    composition: buildComposition(rows, labelOf, input.recipe),
    ...(leakage ? { leakage } : {}),
    duplicates: findDuplicates(images, input.duplicates),
    ...(split ? { split } : {}),
    notes,
  };
}

/** report.json: 2-space JSON with a trailing newline. */
export function formatReportJson(report: DatasetReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
