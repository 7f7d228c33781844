// The scan step: walk a root, read each file's head, index it in the worker pool, record it in the store.
//
// No DOM: the same function runs in the page (Web Worker pool, File System Access source) and in the
// CLI (worker_threads pool, node:fs source). Only heads are read: 64 KiB first, more only when the
// header is longer, the whole file at most. The store is the progress record: a file already
// indexed (or found not DICOM) with the same size and modification time is not read again.
//
// In a page (`workerIo`) the workers also read the heads (a Blob crosses to a worker as a reference),
// store the rows and rebuild the aggregates in the shared IndexedDB; the page only walks and counts.
// Slicing and reading 32 files per batch on the page's thread was its longest work during a scan
// (each slice waits on the browser process, and the 64 KiB buffers fed major GCs); the stores'
// structured clones and reading 10,000 rows back for the aggregates came next. The CLI's
// file-backed Blobs cannot cross to a worker_threads worker and its store lives on its own thread,
// so there the caller reads and stores, as before.
import type { QaExpectations } from '../core/inventory/qa';
import type { CleanroomDb } from '../store/db';
import { fileStatesOfRoot, putFiles, removeFiles } from '../store/files';
import { yieldToEventLoop } from '../store/batch';
import { createRun, updateRun } from '../store/runs';
import { fileIdOf, type FileId } from '../store/types';
import { isCancellation, WorkerFailedError, type Pool } from '../../workers/pool';
import type {
  RecordFileInput,
  ScanFileInput,
  ScanFileResult,
  ScanWorkerApi,
} from '../../workers/scan-api';
import { fileRow, recordResults, type BatchOutcome } from '../../workers/scan-record';
import { rebuildAggregates } from './scan-aggregates';
import { ScanCounters, type ScanProgress } from './scan-progress';

/** A file the walk found. `lastModified` defaults to `file.lastModified` when the Blob is a File. */
export interface ScanSourceFile {
  path: string;
  file: Blob;
  lastModified?: number;
}

/** An entry the walk could not open (no permission, vanished): recorded as a rejected file. */
export interface ScanSourceRejection {
  path: string;
  reason: string;
  code?: string;
  size?: number;
}

export type ScanSourceItem = ScanSourceFile | ScanSourceRejection;

export interface ScanOptions {
  db: CleanroomDb;
  rootId: string;
  /** Paths relative to the root, '/' separators; sorted order keeps runs comparable. */
  source: AsyncIterable<ScanSourceItem>;
  pool: Pool<ScanWorkerApi>;
  onProgress?: (progress: ScanProgress) => void;
  signal?: AbortSignal;
  /** Recipe expectations for the QA flags. */
  expectations?: QaExpectations;
  /** Keyword paths indexed into `row.extra` (the paths the recipe's rules read). */
  extraPaths?: string[];
  /** First read per file (default 64 KiB). */
  headBytes?: number;
  /** A batch goes to a worker at this many files or head bytes, whichever comes first. */
  batchFiles?: number;
  batchBytes?: number;
  /** Drop stored files of this root that a complete walk no longer finds (default true). */
  removeMissing?: boolean;
  /**
   * Workers read the heads from the Blobs and rebuild the aggregates in the store themselves (the
   * store must be an IndexedDB the workers can open by `db.name`). Default: true outside Node.
   */
  workerIo?: boolean;
}

export interface ScanSummary {
  runId: string;
  state: 'done' | 'cancelled';
  files: number;
  indexed: number;
  rejected: number;
  skipped: number;
  /** Stored files of the root that the walk no longer found, removed with their instances. */
  removed: number;
  bytesRead: number;
  seconds: number;
}

export interface ScanHandle {
  runId: string;
  /** Resolves when the scan ends or is cancelled; rejects (run marked 'failed') on a store failure. */
  done: Promise<ScanSummary>;
  /** Stops walking, terminates the pool's workers and leaves unread files 'pending'. */
  cancel(): void;
}

export const HEAD_BYTES = 64 * 1024;
export const BATCH_FILES = 32;
export const BATCH_BYTES = 8 * 1024 * 1024;
/** Rejections that are facts about unchanged bytes: such a file is not read again by a rerun. */
const FINAL_REJECTIONS = new Set(['not-dicom', 'dicomdir']);
const RUN_SAVE_INTERVAL_MS = 1000;
/** Files skipped (unchanged since the last scan) between two turns given to the page. */
const SKIP_YIELD_EVERY = 256;

interface Work {
  fileId: FileId;
  path: string;
  blob: Blob;
  size: number;
  lastModified: number;
  headLength: number;
}

/**
 * Outside Node the scan's workers share the caller's IndexedDB and can take its Blobs; in Node
 * (worker_threads) neither holds: fs.openAsBlob Blobs are not cloneable and the store is in memory.
 */
export function defaultWorkerIo(): boolean {
  const process = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return process?.versions?.node === undefined;
}

/** A batch the worker could not index (the caller's way): these readable files are retried. */
class BatchFailed extends Error {
  constructor(readonly works: Work[]) {
    super('a scan worker failed on a batch');
    this.name = 'BatchFailed';
  }
}

export function startScan(options: ScanOptions): ScanHandle {
  const runId = crypto.randomUUID();
  const controller = new AbortController();
  const cancel = (): void => {
    if (controller.signal.aborted) return;
    controller.abort();
    options.pool.cancel('scan cancelled');
  };
  options.signal?.addEventListener('abort', cancel, { once: true });
  if (options.signal?.aborted) cancel();
  const done = runScan(options, runId, controller.signal).finally(() =>
    options.signal?.removeEventListener('abort', cancel),
  );
  return { runId, done, cancel };
}

async function runScan(
  options: ScanOptions,
  runId: string,
  signal: AbortSignal,
): Promise<ScanSummary> {
  const { db, rootId, pool } = options;
  const headBytes = options.headBytes ?? HEAD_BYTES;
  const batchFiles = options.batchFiles ?? BATCH_FILES;
  const batchBytes = options.batchBytes ?? BATCH_BYTES;
  const workerIo = options.workerIo ?? defaultWorkerIo();
  const counters = new ScanCounters(runId, options.onProgress);
  const startedAt = Date.now();
  await createRun(db, 'scan', { id: runId, rootId });

  const saveRun = (state?: 'done' | 'cancelled' | 'failed', error?: string) =>
    updateRun(db, runId, {
      counts: {
        total: counters.filesTotal,
        done: counters.done,
        skipped: counters.skipped,
        rejected: counters.rejected,
      },
      bytes: counters.bytesRead,
      ...(state ? { state } : {}),
      ...(error ? { error } : {}),
    });

  try {
    const known = await fileStatesOfRoot(db, rootId);
    const seen = new Set<FileId>();
    const inFlight = new Set<Promise<void>>();
    const maxInFlight = Math.max(2, pool.size * 2);
    let batch: Work[] = [];
    let batchHeadBytes = 0;
    let failure: unknown;
    let lastRunSave = Date.now();

    /** Counts what a batch became and gives the page a turn; the run row is saved once a second. */
    const counted = async (outcomes: readonly BatchOutcome[]) => {
      // Dexie resolves the write inside the transaction's complete event: without a yield, progress,
      // the next batch and every live query woken by the write would run in that one event (a long
      // task on the page). One turn of the event loop per batch splits them.
      await yieldToEventLoop();
      for (const { outcome } of outcomes) {
        if (outcome === 'indexed') counters.indexed++;
        else if (outcome === 'rejected') counters.rejected++;
      }
      // The run row is for the UI after a reload: once a second is enough.
      if (Date.now() - lastRunSave >= RUN_SAVE_INTERVAL_MS) {
        lastRunSave = Date.now();
        await saveRun();
      }
      counters.emit('reading');
    };

    const reject = async (rejected: Array<{ file: Work; reason: string; code: string }>) => {
      if (rejected.length === 0) return;
      await counted(await recordResults(db, rootId, [], [], rejected));
    };

    const readHeads = async (works: Work[]) => {
      const inputs: ScanFileInput[] = [];
      const unreadable: Array<{ file: Work; reason: string; code: string }> = [];
      const readable: Work[] = [];
      await Promise.all(
        works.map(async (work) => {
          try {
            const bytes = await work.blob.slice(0, work.headLength).arrayBuffer();
            counters.bytesRead += bytes.byteLength;
            inputs.push({ fileId: work.fileId, path: work.path, bytes, size: work.size });
            readable.push(work);
          } catch (error) {
            const name = error instanceof Error ? error.name : 'error';
            unreadable.push({
              file: work,
              code: 'unreadable',
              reason: `the file could not be read (${name})`,
            });
          }
        }),
      );
      return { inputs, unreadable, readable };
    };

    /** The caller's way: mark pending, read the heads here, index in a worker, store here. */
    const indexHere = async (works: Work[]): Promise<BatchOutcome[]> => {
      await putFiles(
        db,
        works.map((work) => fileRow(rootId, work)),
      );
      const { inputs, unreadable, readable } = await readHeads(works);
      if (signal.aborted) return [];
      let results: ScanFileResult[];
      try {
        results = await pool.call(
          'indexFiles',
          [inputs, { extraPaths: options.extraPaths }],
          inputs.map((i) => i.bytes!),
        );
      } catch (error) {
        if (isCancellation(error) || signal.aborted) throw error;
        await reject(unreadable);
        throw new BatchFailed(readable);
      }
      return recordResults(db, rootId, readable, results, unreadable);
    };

    /** The page's way: the worker marks, reads, indexes and stores; only outcomes come back. */
    const indexInWorker = async (works: Work[]): Promise<BatchOutcome[]> => {
      const inputs = works.map((work): RecordFileInput => ({
        fileId: work.fileId,
        path: work.path,
        blob: work.blob,
        headLength: work.headLength,
        size: work.size,
        lastModified: work.lastModified,
      }));
      const { outcomes, bytesRead } = await pool.call('indexAndRecord', [
        inputs,
        { extraPaths: options.extraPaths, dbName: db.name, rootId },
      ]);
      counters.bytesRead += bytesRead;
      return outcomes;
    };

    /** Sends one batch; files whose header is longer than their head come back for another round. */
    const indexBatch = async (works: Work[]): Promise<void> => {
      if (signal.aborted) return;
      let outcomes: BatchOutcome[];
      try {
        outcomes = await (workerIo ? indexInWorker(works) : indexHere(works));
      } catch (error) {
        if (isCancellation(error) || signal.aborted) return;
        // In a worker that also writes, any other error is the store's: the scan stops on it.
        if (!(error instanceof BatchFailed || error instanceof WorkerFailedError)) throw error;
        const failed = error instanceof BatchFailed ? error.works : works;
        // A worker died on this batch: retry its files one by one so only the culprit is rejected.
        if (failed.length > 1) {
          for (const work of failed) await indexBatch([work]);
          return;
        }
        await reject(
          failed.map((work) => ({
            file: work,
            code: 'worker-failed',
            reason: 'the worker reading this file stopped (out of memory or a crash)',
          })),
        );
        return;
      }
      // Counted even after a cancel: what the worker stored is in the store.
      await counted(outcomes);
      const byId = new Map(works.map((work) => [work.fileId, work]));
      for (const result of outcomes) {
        if (result.outcome === 'again')
          await enqueue({ ...byId.get(result.fileId)!, headLength: result.headLength });
      }
    };

    const dispatch = async (): Promise<void> => {
      if (batch.length === 0) return;
      const works = batch;
      batch = [];
      batchHeadBytes = 0;
      while (inFlight.size >= maxInFlight) await Promise.race(inFlight);
      const task: Promise<void> = indexBatch(works)
        .catch((error: unknown) => {
          failure ??= error;
        })
        .finally(() => inFlight.delete(task));
      inFlight.add(task);
    };

    const enqueue = async (work: Work): Promise<void> => {
      if (signal.aborted || failure) return;
      batch.push(work);
      batchHeadBytes += work.headLength;
      if (batch.length >= batchFiles || batchHeadBytes >= batchBytes) await dispatch();
    };

    const walkRejections: Array<{ file: Work; reason: string; code: string }> = [];
    for await (const item of options.source) {
      if (signal.aborted || failure) break;
      const fileId = fileIdOf(rootId, item.path);
      seen.add(fileId);
      counters.filesTotal++;
      if (!('file' in item)) {
        const work = {
          fileId,
          path: item.path,
          blob: new Blob([]),
          size: item.size ?? 0,
          lastModified: 0,
          headLength: 0,
        };
        walkRejections.push({ file: work, reason: item.reason, code: item.code ?? 'unreadable' });
        if (walkRejections.length >= batchFiles) await reject(walkRejections.splice(0));
        continue;
      }
      const size = item.file.size;
      const lastModified =
        item.lastModified ?? (item.file as Blob & { lastModified?: number }).lastModified ?? 0;
      const previous = known.get(fileId);
      const unchanged =
        previous !== undefined && previous.size === size && previous.lastModified === lastModified;
      if (
        unchanged &&
        (previous.state === 'indexed' || FINAL_REJECTIONS.has(previous.code ?? ''))
      ) {
        counters.skipped++;
        counters.emit('reading');
        // A resumed scan skips thousands of files without any other await: give the page a turn.
        if (counters.skipped % SKIP_YIELD_EVERY === 0) await yieldToEventLoop();
        continue;
      }
      await enqueue({
        fileId,
        path: item.path,
        blob: item.file,
        size,
        lastModified,
        headLength: Math.min(size, headBytes),
      });
    }
    if (walkRejections.length > 0 && !signal.aborted) await reject(walkRejections);
    counters.walkComplete = !signal.aborted && !failure;
    // Drain: finished batches may queue files again with a longer head.
    while (!signal.aborted && !failure && (batch.length > 0 || inFlight.size > 0)) {
      await dispatch();
      if (inFlight.size > 0) await Promise.race(inFlight);
    }
    // After a cancel or a failure, let running batches settle so nothing writes after we return.
    await Promise.allSettled([...inFlight]);
    if (failure) throw failure;

    let removed = 0;
    if (counters.walkComplete && options.removeMissing !== false) {
      const missing = [...known.keys()].filter((id) => !seen.has(id));
      if (missing.length > 0) await removeFiles(db, missing);
      removed = missing.length;
    }
    let state: ScanSummary['state'] = signal.aborted ? 'cancelled' : 'done';
    if (state === 'done') {
      counters.emit('aggregating', true);
      if (workerIo) {
        try {
          await pool.call('rebuildAggregates', [db.name, options.expectations ?? {}]);
        } catch (error) {
          // A cancel now terminates the worker mid-rebuild: flags are derived data and the
          // aggregate tables are replaced in one transaction, so the next scan rebuilds them.
          if (!isCancellation(error) || !signal.aborted) throw error;
          state = 'cancelled';
        }
      } else {
        await rebuildAggregates(db, options.expectations);
      }
    }
    await saveRun(state);
    counters.emit(state, true);
    return {
      runId,
      state,
      files: counters.filesTotal,
      indexed: counters.indexed,
      rejected: counters.rejected,
      skipped: counters.skipped,
      removed,
      bytesRead: counters.bytesRead,
      seconds: (Date.now() - startedAt) / 1000,
    };
  } catch (error) {
    // Only the error's class: a store error can quote a key, and keys hold paths.
    const name = error instanceof Error ? error.name : 'error';
    await saveRun('failed', `the scan stopped: ${name}`).catch(() => undefined);
    counters.emit('failed', true);
    throw error;
  }
}
