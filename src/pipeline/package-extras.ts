// The package's dataset files beside the DICOM: the dataset report (JSON and printable HTML), the
// licence, the readme, labels.csv, split.csv and the review record. Built from the de-identified
// files as they are written, so the report describes exactly what leaves the site.
import { parseLabelsCsv, formatLabelsCsv, type LabelKeyColumn } from '../core/labels/labels-csv';
import { relabel } from '../core/labels/relabel';
import type { Recipe } from '../core/profile/recipe';
import {
  buildDatasetReport,
  datasetLicence,
  formatReportJson,
  formatSplitCsv,
  readmeValues,
  renderLicence,
  renderReadme,
  reportHtml,
  splitPatients,
  type ImageDigest,
  type ReportRow,
} from '../core/report';
import type { ExportRunFacts, PackageFile } from './export';
import type { FileDigest } from '../../workers/deid-api';

export const REPORT_JSON = 'dataset-report.json';
export const REPORT_HTML = 'dataset-report.html';
export const LICENCE_TXT = 'LICENSE.txt';
export const README_MD = 'README.md';
export const LABELS_CSV = 'labels.csv';
export const SPLIT_CSV = 'split.csv';
export const REVIEW_JSON = 'review.json';
export const REVIEW_CSV = 'review-decisions.csv';

export interface PackageExtrasInput {
  recipe: Recipe;
  /** The site's labels CSV, keyed by ORIGINAL identifiers; relabelled here, never written as is. */
  labelsCsv?: string;
  /** The site's name for the report and readme (no patient data). */
  site?: string;
  /** The date the readme shows, given by the caller (the package itself carries no clock). */
  date?: string;
  /** The review record (from the Review step), when a person reviewed. */
  review?: { json: string; csv: string };
}

/** What the extras keep between volumes, so a resumed export writes the same report. */
export interface PackageExtrasState {
  rows: ReportRow[];
  images: ImageDigest[];
}

export interface PackageExtras {
  onFileDigest(path: string, digest: FileDigest): void;
  extraFiles(facts: ExportRunFacts): Promise<PackageFile[]>;
  state(): PackageExtrasState;
  /** Plain words for the export report (counts only, never a key or a value). */
  notes: string[];
}

const encoder = new TextEncoder();
const file = (name: string, text: string): PackageFile => ({ name, bytes: encoder.encode(text) });

export function createPackageExtras(
  input: PackageExtrasInput,
  restored?: PackageExtrasState,
): PackageExtras {
  const rows: ReportRow[] = [...(restored?.rows ?? [])];
  const images: ImageDigest[] = [...(restored?.images ?? [])];
  const notes: string[] = [];
  const parsed = input.labelsCsv === undefined ? undefined : parseLabelsCsv(input.labelsCsv);
  if (parsed && parsed.problems.length > 0)
    notes.push(`The labels file has ${parsed.problems.length} problem lines; they were skipped.`);

  return {
    notes,
    state: () => ({ rows: [...rows], images: [...images] }),
    onFileDigest(path, digest) {
      rows.push(input.site ? { ...digest.row, site: input.site } : digest.row);
      if (digest.image) images.push({ ...digest.image, path });
    },
    async extraFiles(facts) {
      const { recipe } = input;
      const out: PackageFile[] = [];
      let labels:
        { labels: Map<string, string>; keyColumn: LabelKeyColumn; labelColumn: string } | undefined;
      if (parsed) {
        const relabelled = relabel(parsed, {
          patients: facts.keyFile.patients,
          uids: facts.keyFile.uids,
        });
        if (relabelled.unmatched.length > 0)
          notes.push(
            `${relabelled.unmatched.length} labels match no exported file and are not in labels.csv.`,
          );
        labels = {
          labels: new Map(relabelled.labels),
          keyColumn: relabelled.keyColumn,
          labelColumn: parsed.labelColumn,
        };
        out.push(file(LABELS_CSV, formatLabelsCsv(labels.labels, labels.keyColumn, 'label')));
      }
      const split = recipe.dataset?.split;
      const report = buildDatasetReport({
        title: recipe.name,
        rows,
        images,
        ...(labels ? { labels } : {}),
        recipe,
        ...(input.date ? { createdAt: input.date } : {}),
        ...(split ? { split: { ratios: split, seed: split.seed ?? 1 } } : {}),
      });
      out.push(file(REPORT_JSON, formatReportJson(report)), file(REPORT_HTML, reportHtml(report)));
      if (split) {
        const labelOfPatient = new Map<string, string>();
        if (labels?.keyColumn === 'PatientID')
          for (const [k, v] of labels.labels) labelOfPatient.set(k, v);
        const patients = new Map<string, { patient: string; label?: string; site?: string }>();
        for (const r of rows)
          if (!patients.has(r.patient))
            patients.set(r.patient, {
              patient: r.patient,
              ...(labelOfPatient.has(r.patient) ? { label: labelOfPatient.get(r.patient) } : {}),
              ...(r.site ? { site: r.site } : {}),
            });
        const { assignment } = splitPatients([...patients.values()], {
          ratios: split,
          seed: split.seed ?? 1,
        });
        out.push(file(SPLIT_CSV, formatSplitCsv(assignment)));
      }
      const licence = renderLicence(datasetLicence(recipe), recipe.name);
      if (licence) out.push(file(LICENCE_TXT, licence));
      out.push(
        file(
          README_MD,
          renderReadme(
            recipe.dataset?.readme,
            readmeValues(report, recipe, {
              ...(input.site ? { site: input.site } : {}),
              ...(input.date ? { date: input.date } : {}),
            }),
          ),
        ),
      );
      if (input.review)
        out.push(file(REVIEW_JSON, input.review.json), file(REVIEW_CSV, input.review.csv));
      return out;
    },
  };
}
