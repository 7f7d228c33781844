// The scan worker's API: file heads in, inventory rows or rejection reasons out. A thin face over core.
import { readDicomFile } from '../src/core/dicom/read';
import { getUid } from '../src/core/dicom/element';
import { DicomReadError } from '../src/core/dicom/types';
import { indexRow, MEDIA_STORAGE_DIRECTORY_STORAGE, type InstanceRow } from '../src/core/inventory';
import { throttleProgress } from './progress';

/** One file's head (or the whole file) to index. `bytes` is transferred, not copied. */
export interface ScanFileInput {
  fileId: string;
  path: string;
  bytes: ArrayBuffer;
  /** The whole file's size: tells a short head ('need-more-bytes') from a truncated file. */
  size: number;
}

export type ScanFileResult =
  | { fileId: string; ok: true; row: InstanceRow }
  | {
      fileId: string;
      ok: false;
      /** Plain words for the person (names tags and offsets, never values from the file). */
      reason: string;
      /** 'not-dicom', 'dicomdir', 'truncated', 'need-more-bytes', another DicomReadError code, or 'index-failed'. */
      code: string;
      /** For 'need-more-bytes': the head length that gets the read further, when the reader knows it. */
      minBytes?: number;
    };

export interface IndexOptions {
  /** Keyword paths to read into `row.extra` besides the columns (e.g. the paths the recipe's rules read). */
  extraPaths?: string[];
}

export const NOT_DICOM_REASON = 'not a DICOM file: no DICM marker and no recognisable data set';
export const DICOMDIR_REASON = 'DICOMDIR: the index of a DICOM medium, not an image';

const MEDIA_STORAGE_SOP_CLASS_UID = 0x00020002;

async function indexFile(input: ScanFileInput, options: IndexOptions): Promise<ScanFileResult> {
  const { fileId } = input;
  try {
    const file = await readDicomFile(new Uint8Array(input.bytes), {
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
        return { fileId, ok: false, code: 'not-dicom', reason: NOT_DICOM_REASON };
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
      results.push(await indexFile(input, options));
      bytes += input.bytes.byteLength;
      progress.report(results.length, bytes);
    }
    await progress.flush();
    return results;
  },
};

export type ScanWorkerApi = typeof scanWorkerApi;
