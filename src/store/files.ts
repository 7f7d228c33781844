// Repository of files: what a walk found, and each file's state so a later scan resumes where it stopped.
import type { CleanroomDb } from './db';
import { bulkPutInBatches } from './batch';
import type { FileId, FileRow, InstanceRecord } from './types';

export function putFiles(db: CleanroomDb, rows: readonly FileRow[]): Promise<void> {
  return bulkPutInBatches(db.files, rows);
}

/**
 * Records indexed files with their instance rows in one transaction, so a file is never 'indexed'
 * without its row. A manual include/exclude decision already stored for the file is kept.
 */
export async function markIndexed(
  db: CleanroomDb,
  files: readonly FileRow[],
  instances: readonly InstanceRecord[],
): Promise<void> {
  await db.transaction('rw', [db.files, db.instances], async () => {
    const previous = await db.instances.bulkGet(instances.map((row) => row.fileId));
    const merged = instances.map((row, i) => {
      const decision = previous[i]?.decision;
      return decision && !row.decision ? { ...row, decision } : row;
    });
    await bulkPutInBatches(db.instances, merged);
    await bulkPutInBatches(
      db.files,
      files.map((file) => ({
        ...file,
        state: 'indexed' as const,
        reason: undefined,
        code: undefined,
      })),
    );
  });
}

/** Records rejected files (each with its reason) and drops any instance row an earlier scan left for them. */
export async function markRejected(
  db: CleanroomDb,
  files: ReadonlyArray<FileRow & { reason: string; code: string }>,
): Promise<void> {
  await db.transaction('rw', [db.files, db.instances], async () => {
    await bulkPutInBatches(
      db.files,
      files.map((file) => ({ ...file, state: 'rejected' as const })),
    );
    await db.instances.bulkDelete(files.map((file) => file.id));
  });
}

export function rejectedFiles(db: CleanroomDb, rootId?: string): Promise<FileRow[]> {
  return rootId === undefined
    ? db.files.where('state').equals('rejected').sortBy('id')
    : db.files.where('[rootId+state]').equals([rootId, 'rejected']).sortBy('id');
}

export function filesOfRoot(db: CleanroomDb, rootId: string): Promise<FileRow[]> {
  return db.files.where('rootId').equals(rootId).toArray();
}

export function getFile(db: CleanroomDb, id: FileId): Promise<FileRow | undefined> {
  return db.files.get(id);
}

export type StoredFileState = Pick<FileRow, 'size' | 'lastModified' | 'state' | 'code'>;

/** What a scan needs to decide whether a file can be skipped: id → size, lastModified, state, code. */
export async function fileStatesOfRoot(
  db: CleanroomDb,
  rootId: string,
): Promise<Map<FileId, StoredFileState>> {
  const states = new Map<FileId, StoredFileState>();
  // toArray (one getAll) rather than each (one cursor step per row): many times faster for big roots.
  for (const file of await db.files.where('rootId').equals(rootId).toArray()) {
    states.set(file.id, {
      size: file.size,
      lastModified: file.lastModified,
      state: file.state,
      code: file.code,
    });
  }
  return states;
}

/** Deletes files (and their instances) that a complete walk of the root no longer found. */
export async function removeFiles(db: CleanroomDb, ids: readonly FileId[]): Promise<void> {
  await db.transaction('rw', [db.files, db.instances], async () => {
    await db.files.bulkDelete([...ids]);
    await db.instances.bulkDelete([...ids]);
  });
}
