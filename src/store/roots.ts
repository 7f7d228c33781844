// Repository of roots: the folders (or file sets) the user picked, with their handles for a later reload.
import type { CleanroomDb } from './db';
import type { RootKind, RootRow } from './types';

export async function addRoot(
  db: CleanroomDb,
  root: { name: string; kind: RootKind; handle?: FileSystemDirectoryHandle; id?: string },
): Promise<RootRow> {
  const row: RootRow = {
    id: root.id ?? crypto.randomUUID(),
    name: root.name,
    kind: root.kind,
    addedAt: Date.now(),
  };
  if (row.id.includes('/'))
    throw new RangeError('a root id must not contain "/" (file ids are rootId + "/" + path)');
  if (root.handle) row.handle = root.handle;
  await db.roots.put(row);
  return row;
}

export function getRoot(db: CleanroomDb, id: string): Promise<RootRow | undefined> {
  return db.roots.get(id);
}

export function listRoots(db: CleanroomDb): Promise<RootRow[]> {
  return db.roots.orderBy('addedAt').toArray();
}

/** Forgets a root with its files and instances (aggregates are recomputed by the next scan). */
export async function removeRoot(db: CleanroomDb, id: string): Promise<void> {
  await db.transaction('rw', [db.roots, db.files, db.instances], async () => {
    await db.files.where('rootId').equals(id).delete();
    await db.instances.where('rootId').equals(id).delete();
    await db.roots.delete(id);
  });
}
