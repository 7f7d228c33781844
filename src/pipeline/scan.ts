// The scan step: walk a root, read each file's head, index it in the worker pool, record it in the store.
//
// No DOM: the same function runs in the page (Web Worker pool, File System Access source) and in the
// CLI (worker_threads pool, node:fs source). Only heads are read: 64 KiB first, more only when the
// header is longer, the whole file at most. The store is the progress record: a file already
// indexed (or found not DICOM) with the same size and modification time is not read again.
import { seriesKeyOf, studyKeyOf, type InstanceRow } from '../core/inventory';
import type { QaExpectations } from '../core/inventory/qa';
import { patientKey } from '../core/deid/pseudonyms';
import type { CleanroomDb } from '../store/db';
import { fileStatesOfRoot, markIndexed, markRejected, putFiles, removeFiles } from '../store/files';
import { yieldToEventLoop } from '../store/batch';
import { createRun, updateRun } from '../store/runs';
import { fileIdOf, type FileId, type FileRow, type InstanceRecord } from '../store/types';
import { isCancellation, type Pool } from '../../workers/pool';
import type { ScanFileInput, ScanFileResult, ScanWorkerApi } from '../../workers/scan-api';
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
/** The head grows by this factor when the header is longer than what was read. */
const HEAD_GROWTH = 4;
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

function fileRow(
  rootId: string,
  work: Pick<Work, 'fileId' | 'path' | 'size' | 'lastModified'>,
): FileRow {
  return {
    id: work.fileId,
    rootId,
    path: work.path,
    size: work.size,
    lastModified: work.lastModified,
    state: 'pending',
  };
}

function instanceRecord(rootId: string, fileId: FileId, row: InstanceRow): InstanceRecord {
  const keyed = { ...row, path: fileId };
  return {
    ...row,
    fileId,
    rootId,
    seriesKey: seriesKeyOf(keyed),
    studyKey: studyKeyOf(keyed),
    patientKey: patientKey(row.PatientID, row.IssuerOfPatientID),
    flags: [],
  };
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

    const record = async (
      indexed: Array<{ work: Work; row: InstanceRow }>,
      rejected: Array<{ work: Work; reason: string; code: string }>,
    ) => {
      if (indexed.length > 0) {
        await markIndexed(
          db,
          indexed.map(({ work }) => fileRow(rootId, work)),
          indexed.map(({ work, row }) => instanceRecord(rootId, work.fileId, row)),
        );
      }
      if (rejected.length > 0) {
        await markRejected(
          db,
          rejected.map(({ work, reason, code }) => ({ ...fileRow(rootId, work), reason, code })),
        );
      }
      // Dexie resolves the write inside the transaction's complete event: without a yield, progress,
      // the next batch and every live query woken by the write would run in that one event (a long
      // task on the page). One turn of the event loop per batch splits them.
      await yieldToEventLoop();
      counters.indexed += indexed.length;
      counters.rejected += rejected.length;
      // The run row is for the UI after a reload: once a second is enough.
      if (Date.now() - lastRunSave >= RUN_SAVE_INTERVAL_MS) {
        lastRunSave = Date.now();
        await saveRun();
      }
      counters.emit('reading');
    };

    const readHeads = async (works: Work[]) => {
      const inputs: ScanFileInput[] = [];
      const unreadable: Array<{ work: Work; reason: string; code: string }> = [];
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
              work,
              code: 'unreadable',
              reason: `the file could not be read (${name})`,
            });
          }
        }),
      );
      return { inputs, unreadable, readable };
    };

    /** Sends one batch; files whose header is longer than their head come back for another round. */
    const indexBatch = async (works: Work[]): Promise<void> => {
      if (signal.aborted) return;
      await putFiles(
        db,
        works.map((work) => fileRow(rootId, work)),
      );
      const { inputs, unreadable, readable } = await readHeads(works);
      let results: ScanFileResult[];
      if (signal.aborted) return;
      try {
        results = await pool.call(
          'indexFiles',
          [inputs, { extraPaths: options.extraPaths }],
          inputs.map((i) => i.bytes),
        );
      } catch (error) {
        if (isCancellation(error) || signal.aborted) return;
        // A worker died on this batch: retry its files one by one so only the culprit is rejected.
        if (readable.length > 1) {
          await record([], unreadable);
          for (const work of readable) await indexBatch([work]);
          return;
        }
        const failed = readable.map((work) => ({
          work,
          code: 'worker-failed',
          reason: 'the worker reading this file stopped (out of memory or a crash)',
        }));
        await record([], [...unreadable, ...failed]);
        return;
      }
      const byId = new Map(readable.map((work) => [work.fileId, work]));
      const indexed: Array<{ work: Work; row: InstanceRow }> = [];
      const rejected = [...unreadable];
      const again: Work[] = [];
      for (const result of results) {
        const work = byId.get(result.fileId as FileId)!;
        if (result.ok) indexed.push({ work, row: result.row });
        else if (result.code === 'need-more-bytes' && work.headLength < work.size) {
          const wanted = Math.max(work.headLength * HEAD_GROWTH, result.minBytes ?? 0);
          again.push({ ...work, headLength: Math.min(work.size, wanted) });
        } else
          rejected.push({
            work,
            reason: result.reason,
            code: result.code === 'need-more-bytes' ? 'truncated' : result.code,
          });
      }
      await record(indexed, rejected);
      for (const work of again) await enqueue(work);
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

    const walkRejections: Array<{ work: Work; reason: string; code: string }> = [];
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
        walkRejections.push({ work, reason: item.reason, code: item.code ?? 'unreadable' });
        if (walkRejections.length >= batchFiles) await record([], walkRejections.splice(0));
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
    if (walkRejections.length > 0 && !signal.aborted) await record([], walkRejections);
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
    if (signal.aborted) {
      await saveRun('cancelled');
      counters.emit('cancelled', true);
    } else {
      counters.emit('aggregating', true);
      await rebuildAggregates(db, options.expectations);
      await saveRun('done');
      counters.emit('done', true);
    }
    return {
      runId,
      state: signal.aborted ? 'cancelled' : 'done',
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
