// Runs the de-identification of planned files through a worker pool with a bounded window,
// handing results back in plan order (so the package order never depends on worker timing).
import type { DeidJob, DeidJobResult, DeidSetup } from '../../workers/deid-api';
import { jobIdentifiers } from './identifiers';
import type { PlannedFile } from './plan';

export type DeidCall = (job: DeidJob) => Promise<DeidJobResult>;

export interface DeidRunOptions {
  setup: DeidSetup;
  deid: DeidCall;
  /** Files in flight at once; a little above the pool size keeps every worker busy. */
  window: number;
  output: boolean;
  signal?: AbortSignal;
  /** Ask the workers for each written file's dataset-report digest (export only). */
  digest?: boolean;
  /** The approved burned-in text boxes of a file, if any (export only). */
  redactionFor?: (planned: PlannedFile) => DeidJob['redaction'];
}

export interface DeidOutcome {
  planned: PlannedFile;
  result: DeidJobResult;
}

/**
 * Each file is read whole into memory to be de-identified (and transferred to a worker as one
 * buffer); 2 GiB is what a browser reliably reads into one ArrayBuffer. A bigger file (a large
 * multi-frame object) is left out with a reason rather than failing the run or the machine.
 */
export const MAX_WHOLE_FILE_BYTES = 2 ** 31 - 1;

/** Why a file over MAX_WHOLE_FILE_BYTES is left out, with its size (never a value from it). */
export function tooLargeReason(size: number): string {
  return `the file is ${(size / 1e9).toFixed(1)} GB; Cleanroom reads a file whole and takes files of up to 2 GiB, so it was left out`;
}

/** Yields one outcome per planned file, in plan order, with at most `window` files read at once. */
export async function* deidentifyInOrder(
  files: readonly PlannedFile[],
  options: DeidRunOptions,
): AsyncGenerator<DeidOutcome, void, undefined> {
  const inFlight: Promise<DeidOutcome>[] = [];
  let next = 0;
  const start = (planned: PlannedFile): Promise<DeidOutcome> =>
    (async () => {
      const size = planned.file.row.fileSize;
      if (size > MAX_WHOLE_FILE_BYTES)
        return {
          planned,
          result: {
            fileId: planned.file.fileId,
            ok: false as const,
            code: 'too-large',
            reason: tooLargeReason(size),
          },
        };
      try {
        const source = await planned.file.read();
        const result = await options.deid({
          setup: options.setup,
          fileId: planned.file.fileId,
          source,
          pseudonym: planned.patient.pseudonym,
          dateShiftDays: planned.patient.dateShiftDays,
          ...jobIdentifiers(planned.patient.tokens),
          output: options.output,
          redaction: options.output ? options.redactionFor?.(planned) : undefined,
          ...(options.output && options.digest ? { digest: true } : {}),
        });
        return { planned, result };
      } catch (error) {
        const reason =
          error instanceof Error && error.name === 'NotFoundError'
            ? 'the file is gone or was moved since the scan'
            : error instanceof Error && error.name === 'NotAllowedError'
              ? 'permission to read the file was withdrawn'
              : `the file could not be read (${error instanceof Error ? error.name : 'error'})`;
        return {
          planned,
          result: { fileId: planned.file.fileId, ok: false as const, code: 'read-failed', reason },
        };
      }
    })();
  while (next < files.length || inFlight.length > 0) {
    while (next < files.length && inFlight.length < options.window) {
      if (options.signal?.aborted) break;
      inFlight.push(start(files[next++]));
    }
    if (inFlight.length === 0) break;
    yield await inFlight.shift()!;
    if (options.signal?.aborted && inFlight.length === 0) return;
  }
}
