// The dry run: de-identify every selected file in workers without writing anything, and gather
// every distinct value left, ranked by risk, for a person to read (and for the CLI's values.csv).
import type { CsvCell } from '../core/csv/csv';
import { ValueDump, type DumpRow } from '../core/review/dump';
import { deidentifyInOrder, type DeidCall } from './deid-run';
import type { DeidSetup } from '../../workers/deid-api';
import type { PlannedFile } from './plan';
import type { ExportFailure } from './export';

/** The CLI's and the app's CSV columns for the dump (it holds de-identified values only). */
export const DUMP_CSV_COLUMNS = ['path', 'vr', 'value', 'count', 'risk', 'reason'] as const;

export function dumpCsvRows(rows: readonly DumpRow[]): CsvCell[][] {
  return rows.map((r) => [r.path, r.vr, r.value, r.count, r.risk, r.reason]);
}

export interface DryRunOptions {
  planned: readonly PlannedFile[];
  setup: DeidSetup;
  deid: DeidCall;
  window: number;
  onProgress?(done: number, total: number, bytes: number): void;
  signal?: AbortSignal;
}

export async function runDryRun(
  options: DryRunOptions,
): Promise<{ rows: DumpRow[]; failures: ExportFailure[] }> {
  const dump = new ValueDump();
  const failures: ExportFailure[] = [];
  let done = 0;
  let bytes = 0;
  for await (const { planned: p, result } of deidentifyInOrder(options.planned, {
    ...options,
    output: false,
  })) {
    done++;
    bytes += p.file.row.fileSize;
    if (result.ok)
      dump.add(result.values, {
        tokens: p.patient.tokens,
        pseudonym: p.patient.pseudonym,
        example: p.entryPath,
      });
    else failures.push({ fileId: p.file.fileId, code: result.code, reason: result.reason });
    options.onProgress?.(done, options.planned.length, bytes);
  }
  return { rows: dump.rows(), failures };
}
