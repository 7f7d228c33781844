// The dry run: de-identify every selected file in workers without writing anything, and gather
// every distinct value left, ranked by risk, for a person to read (and for the CLI's values.csv);
// and the before/after listing of one file for the Review screen.
import type { CsvCell } from '../core/csv/csv';
import { deidentify } from '../core/deid/apply';
import type { ExplainRow } from '../core/deid/explain';
import { importSecret } from '../core/deid/keyed-hash';
import { readDicomFile } from '../core/dicom/read';
import { DicomReadError } from '../core/dicom/types';
import { compileProfile } from '../core/profile/compile-profile';
import { ValueDump, type DumpRow } from '../core/review/dump';
import { deidentifyInOrder, type DeidCall } from './deid-run';
import type { DeidSetup } from '../../workers/deid-api';
import type { FileSource } from '../../workers/file-source';
import { jobIdentifiers } from './identifiers';
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

/** The first bytes read for a before/after listing: headers are almost always far smaller. */
const HEADER_PREFIX = 4 << 20;

async function readHeader(source: FileSource) {
  if (source instanceof ArrayBuffer) return readDicomFile(new Uint8Array(source));
  if (source instanceof Uint8Array) return readDicomFile(source);
  const fileSize = source.size;
  if (fileSize > HEADER_PREFIX) {
    try {
      const prefix = new Uint8Array(await source.slice(0, HEADER_PREFIX).arrayBuffer());
      return await readDicomFile(prefix, { untilPixelData: true, fileSize });
    } catch (e) {
      // A header longer than the prefix (or a deflated data set): read it all.
      if (!(e instanceof DicomReadError) || e.code !== 'need-more-bytes') throw e;
    }
  }
  return readDicomFile(new Uint8Array(await source.arrayBuffer()), { untilPixelData: true });
}

/**
 * The before/after listing of one planned file with the dry run's settings: one row per element
 * (value before, value after, action, the rule behind it). Header only, one file, on demand: the
 * same core call the workers make, so the rows are the dry run's. The rows hold original values:
 * they are for the screen of this machine only, never logged, stored or written.
 */
export async function explainPlannedFile(
  planned: PlannedFile,
  setup: DeidSetup,
): Promise<ExplainRow[]> {
  const file = await readHeader(await planned.file.read());
  const tokens = jobIdentifiers(planned.patient.tokens);
  const result = await deidentify(file, {
    profile: compileProfile(setup.options, setup.allowList),
    secret: await importSecret(new Uint8Array(setup.secret)),
    pseudonym: planned.patient.pseudonym,
    dateShiftDays: planned.patient.dateShiftDays,
    overrides: setup.overrides,
    identifiers: new Set(tokens.identifiers),
    siteIdentifiers: new Set(tokens.siteIdentifiers),
  });
  return result.explain;
}
