// What a scan writes to the store for one batch: file rows, instance rows, rejections. Shared by the
// caller (the CLI, whose store is on its own thread) and the page's scan workers (which write to the
// page's IndexedDB themselves, so none of the cloning and transaction work lands on the page).
import { seriesKeyOf, studyKeyOf, type InstanceRow } from '../src/core/inventory';
import { patientKey } from '../src/core/deid/pseudonyms';
import type { CleanroomDb } from '../src/store/db';
import { markIndexed, markRejected } from '../src/store/files';
import type { FileId, FileRow, InstanceRecord } from '../src/store/types';
import type { ScanFileResult } from './scan-api';

/** A file of a batch as the walk found it; `headLength` is the part read for this round. */
export interface BatchFile {
  fileId: FileId;
  path: string;
  size: number;
  lastModified: number;
  headLength: number;
}

/** What became of a file: stored as indexed or rejected, or to be read again with a longer head. */
export type BatchOutcome =
  | { fileId: FileId; outcome: 'indexed' }
  | { fileId: FileId; outcome: 'rejected' }
  | { fileId: FileId; outcome: 'again'; headLength: number };

/** The head grows by this factor when the header is longer than what was read. */
export const HEAD_GROWTH = 4;

export function fileRow(rootId: string, file: Omit<BatchFile, 'headLength'>): FileRow {
  return {
    id: file.fileId,
    rootId,
    path: file.path,
    size: file.size,
    lastModified: file.lastModified,
    state: 'pending',
  };
}

export function instanceRecord(rootId: string, fileId: FileId, row: InstanceRow): InstanceRecord {
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

/**
 * Stores a batch's index results (indexed files with their rows in one transaction, rejections with
 * their reasons in another) and says what became of each file. A header longer than its head is not
 * stored: the file comes back as 'again' with a longer head, unless the head was the whole file
 * (then it is 'truncated'). `rejected` adds rejections found before indexing (an unreadable file).
 */
export async function recordResults(
  db: CleanroomDb,
  rootId: string,
  files: readonly BatchFile[],
  results: readonly ScanFileResult[],
  rejected: ReadonlyArray<{ file: BatchFile; reason: string; code: string }> = [],
): Promise<BatchOutcome[]> {
  const byId = new Map(files.map((file) => [file.fileId, file]));
  const indexed: Array<{ file: BatchFile; row: InstanceRow }> = [];
  const refused = [...rejected];
  const outcomes: BatchOutcome[] = [];
  for (const result of results) {
    const file = byId.get(result.fileId as FileId)!;
    if (result.ok) indexed.push({ file, row: result.row });
    else if (result.code === 'need-more-bytes' && file.headLength < file.size) {
      const wanted = Math.max(file.headLength * HEAD_GROWTH, result.minBytes ?? 0);
      outcomes.push({
        fileId: file.fileId,
        outcome: 'again',
        headLength: Math.min(file.size, wanted),
      });
    } else
      refused.push({
        file,
        reason: result.reason,
        code: result.code === 'need-more-bytes' ? 'truncated' : result.code,
      });
  }
  if (indexed.length > 0) {
    await markIndexed(
      db,
      indexed.map(({ file }) => fileRow(rootId, file)),
      indexed.map(({ file, row }) => instanceRecord(rootId, file.fileId, row)),
    );
  }
  if (refused.length > 0) {
    await markRejected(
      db,
      refused.map(({ file, reason, code }) => ({ ...fileRow(rootId, file), reason, code })),
    );
  }
  for (const { file } of indexed) outcomes.push({ fileId: file.fileId, outcome: 'indexed' });
  for (const { file } of refused) outcomes.push({ fileId: file.fileId, outcome: 'rejected' });
  return outcomes;
}
