// The report.json written beside the package: counts, reasons, volumes, the recipe's hash and the
// not-reviewed note, in the shape the CLI writes. No PHI: no path, name or value from any file.
import type { Recipe } from '../core/profile/recipe';
import type { ExportResult } from './export';

export const NOT_REVIEWED_NOTE =
  "No person reviewed the values in this run: every value got the recipe's automatic cleaning. Read values.csv inside the package (high-risk values first) before you send it.";

export interface ExportReportInput {
  appVersion: string;
  /** When the export started (the report may hold a clock; the package never does). */
  madeAt: Date;
  recipe: Recipe;
  recipeSha256: string;
  result: ExportResult;
  selected: number;
  rejectedAtScan: number;
  /** The key file's name, as it is offered (it never travels with the package). */
  keyFileName: string;
}

export interface RiskCounts {
  high: number;
  medium: number;
  low: number;
}

/** How many distinct values left in the package are high, medium and low risk. */
export function countRisks(result: Pick<ExportResult, 'dump'>): RiskCounts {
  const counts: RiskCounts = { high: 0, medium: 0, low: 0 };
  for (const row of result.dump) counts[row.risk]++;
  return counts;
}

/** Reason → count, reasons sorted (a reason names a class of problem, never a file or value). */
export function countBy(values: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of [...values].sort()) out[v] = (out[v] ?? 0) + 1;
  return out;
}

export function buildExportReport(input: ExportReportInput): Record<string, unknown> {
  const { result } = input;
  return {
    app: 'cleanroom',
    appVersion: input.appVersion,
    madeAt: input.madeAt.toISOString(),
    recipe: { name: input.recipe.name, sha256: input.recipeSha256 },
    volumes: result.volumes,
    files: {
      selected: input.selected,
      written: result.manifest.files.length,
      failed: result.failures.length,
      rejectedAtScan: input.rejectedAtScan,
    },
    failureReasons: countBy(result.failures.map((f) => f.reason)),
    bytes: result.manifest.totals.bytes,
    review: {
      reviewedByPerson: false,
      note: NOT_REVIEWED_NOTE,
      distinctValues: result.dump.length,
      ...countRisks(result),
    },
    warnings: result.warnings,
    keyFile: `${input.keyFileName} (kept apart from the package)`,
  };
}

/** report.json's text: two-space JSON and a final newline, as the CLI writes it. */
export function formatExportReport(report: Record<string, unknown>): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
