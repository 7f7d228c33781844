// The scan worker's API: file heads in, inventory rows or rejection reasons out. A thin face over core.
import { readDicomFile } from '../src/core/dicom/read';
import { getUid } from '../src/core/dicom/element';
import { DicomReadError } from '../src/core/dicom/types';
import { indexRow, MEDIA_STORAGE_DIRECTORY_STORAGE, type InstanceRow } from '../src/core/inventory';
import type { QaExpectations } from '../src/core/inventory/qa';
import { CleanroomDb } from '../src/store/db';
import { putFiles } from '../src/store/files';
import type { FileId } from '../src/store/types';
import { rebuildAggregates as rebuildStoredAggregates } from '../src/pipeline/scan-aggregates';
import { throttleProgress } from './progress';
import { fileRow, recordResults, type BatchOutcome } from './scan-record';

/**
 * One file to index: its head as `bytes` (read by the caller, transferred, not copied), or the file
 * as `blob` with the `headLength` to read from it (read here: in the page, a Blob crosses to a
 * worker as a reference, and the slice and read then cost the page's thread nothing).
 */
export interface ScanFileInput {
  fileId: string;
  path: string;
  bytes?: ArrayBuffer;
  blob?: Blob;
  /** With `blob`: how many bytes from the start to read. */
  headLength?: number;
  /** The whole file's size: tells a short head ('need-more-bytes') from a truncated file. */
  size: number;
}

/** `bytesRead`: what this worker read from `blob` (0 when the caller sent `bytes`). */
export type ScanFileResult =
  | { fileId: string; ok: true; row: InstanceRow; bytesRead?: number }
  | {
      fileId: string;
      ok: false;
      bytesRead?: number;
      /** Plain words for the person (names tags and offsets, never values from the file). */
      reason: string;
      /**
       * 'not-dicom', 'dicomdir', 'truncated', 'need-more-bytes', another DicomReadError code,
       * 'unreadable' (the blob could not be read) or 'index-failed'.
       */
      code: string;
      /** For 'need-more-bytes': the head length that gets the read further, when the reader knows it. */
      minBytes?: number;
    };

export interface IndexOptions {
  /** Keyword paths to read into `row.extra` besides the columns (e.g. the paths the recipe's rules read). */
  extraPaths?: string[];
}

/** Where `indexAndRecord` writes: a store this worker can open by name, and the root of the files. */
export interface RecordOptions extends IndexOptions {
  dbName: string;
  rootId: string;
}

/** A file for `indexAndRecord`: its Blob, the head to read, and what the file row records. */
export interface RecordFileInput extends ScanFileInput {
  fileId: FileId;
  blob: Blob;
  headLength: number;
  lastModified: number;
}

export const NOT_DICOM_REASON = 'not a DICOM file: no DICM marker and no recognisable data set';
export const EMPTY_FILE_REASON = 'not a DICOM file: the file is empty (0 bytes)';
export const DICOMDIR_REASON = 'DICOMDIR: the index of a DICOM medium, not an image';

const MEDIA_STORAGE_SOP_CLASS_UID = 0x00020002;

/** The head of an input: its `bytes`, or the first `headLength` bytes of its `blob`. */
async function headOf(input: ScanFileInput): Promise<ArrayBuffer> {
  if (input.bytes) return input.bytes;
  if (!input.blob) return new ArrayBuffer(0);
  const blob = input.blob;
  const length = Math.min(input.headLength ?? blob.size, blob.size);
  return (length >= blob.size ? blob : blob.slice(0, length)).arrayBuffer();
}

async function indexFile(input: ScanFileInput, options: IndexOptions): Promise<ScanFileResult> {
  const { fileId } = input;
  let bytes: ArrayBuffer;
  try {
    bytes = await headOf(input);
  } catch (error) {
    const name = error instanceof Error ? error.name : 'error';
    return {
      fileId,
      ok: false,
      code: 'unreadable',
      reason: `the file could not be read (${name})`,
    };
  }
  const result = await indexHead(input, bytes, options);
  if (!input.bytes) result.bytesRead = bytes.byteLength;
  return result;
}

async function indexHead(
  input: ScanFileInput,
  head: ArrayBuffer,
  options: IndexOptions,
): Promise<ScanFileResult> {
  const { fileId } = input;
  try {
    const file = await readDicomFile(new Uint8Array(head), {
      untilPixelData: true,
      fileSize: input.size,
    });
    if (getUid(file.meta, MEDIA_STORAGE_SOP_CLASS_UID) === MEDIA_STORAGE_DIRECTORY_STORAGE) {
      return { fileId, ok: false, code: 'dicomdir', reason: DICOMDIR_REASON };
    }
    const row = indexRow(file, input.path, {
      fileSize: input.size,
      extraPaths: options.extraPaths,
    });
    return { fileId, ok: true, row };
  } catch (error) {
    if (error instanceof DicomReadError) {
      if (error.code === 'not-dicom')
        return {
          fileId,
          ok: false,
          code: 'not-dicom',
          reason: input.size === 0 ? EMPTY_FILE_REASON : NOT_DICOM_REASON,
        };
      const result: ScanFileResult = { fileId, ok: false, code: error.code, reason: error.message };
      if (error.code === 'need-more-bytes' && error.minBytes !== undefined)
        result.minBytes = error.minBytes;
      return result;
    }
    // Only the error's class: an unexpected message could quote a value from the file.
    const name = error instanceof Error ? error.name : 'error';
    return {
      fileId,
      ok: false,
      code: 'index-failed',
      reason: `the header could not be indexed (${name})`,
    };
  }
}

/** The raw API object: exposed by scan.worker.ts / scan.node-worker.ts, called directly by unit tests. */
export const scanWorkerApi = {
  /**
   * Indexes a batch of file heads. Never throws: every file gets a result naming it, in input order.
   * `onProgress(filesDone, bytesDone)` (a Comlink.proxy across the boundary) is called at most 10 times a second.
   */
  async indexFiles(
    batch: ScanFileInput[],
    options: IndexOptions = {},
    onProgress?: (filesDone: number, bytesDone: number) => void,
  ): Promise<ScanFileResult[]> {
    const progress = throttleProgress(onProgress);
    const results: ScanFileResult[] = [];
    let bytes = 0;
    for (const input of batch) {
      const result = await indexFile(input, options);
      results.push(result);
      bytes += input.bytes?.byteLength ?? result.bytesRead ?? 0;
      progress.report(results.length, bytes);
    }
    await progress.flush();
    return results;
  },

  /**
   * The page's batch: marks the files pending, reads their heads from the Blobs, indexes them and
   * stores the rows and rejections (scan-record recordResults) in the store named `dbName`, all on
   * this worker's thread. Returns what became of each file and the bytes read; rows stay here.
   */
  async indexAndRecord(
    batch: RecordFileInput[],
    options: RecordOptions,
  ): Promise<{ outcomes: BatchOutcome[]; bytesRead: number }> {
    const { dbName, rootId, ...indexOptions } = options;
    const db = await storeNamed(dbName);
    await putFiles(
      db,
      batch.map((file) => fileRow(rootId, file)),
    );
    const results = await scanWorkerApi.indexFiles(batch, indexOptions);
    const outcomes = await recordResults(db, rootId, batch, results);
    return { outcomes, bytesRead: results.reduce((sum, r) => sum + (r.bytesRead ?? 0), 0) };
  },

  /**
   * Rebuilds series, studies, patients and the QA flags of the store named `dbName` from its stored
   * instances (pipeline/scan-aggregates rebuildAggregates), on this worker's thread. Only where the
   * store is shared with the caller (IndexedDB of the same origin: the page and its workers).
   * Returns the number of series.
   */
  async rebuildAggregates(dbName: string, expectations: QaExpectations = {}): Promise<number> {
    // No turns to give away on a worker: the page's thread is not this one.
    const aggregates = await rebuildStoredAggregates(
      await storeNamed(dbName),
      expectations,
      noPause,
    );
    return aggregates.series.length;
  },
};

const noPause = (): Promise<void> => Promise.resolve();

/** One connection per store for the worker's life (Dexie closes it when another tab upgrades or deletes the store). */
const stores = new Map<string, CleanroomDb>();

async function storeNamed(name: string): Promise<CleanroomDb> {
  let db = stores.get(name);
  if (!db) {
    db = new CleanroomDb(name);
    stores.set(name, db);
  }
  if (!db.isOpen()) await db.open();
  return db;
}

export type ScanWorkerApi = typeof scanWorkerApi;
