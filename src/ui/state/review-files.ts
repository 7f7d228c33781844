// The selected files of a run as the pipeline wants them (RunFile): the current selection of the
// inventory, each file read lazily through its root's folder handle (OPFS for the sample).
import type { Recipe } from '../../core/profile/recipe';
import { compileSelection } from '../../pipeline/selection';
import type { RunFile } from '../../pipeline/plan';
import { ensurePermission, SAMPLE_FOLDER } from '../../platform/browser';
import type { InstanceRecord, RootRow } from '../../store';
import { db } from './db';

export class SelectionProblem extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SelectionProblem';
  }
}

/** The instances the recipe's selection takes, as the Inventory and the export decide. */
export async function selectedInstances(recipe: Recipe): Promise<InstanceRecord[]> {
  const instances = await db.instances.toArray();
  const selection = compileSelection(instances, recipe.selection);
  if (!selection.ok)
    throw new SelectionProblem(
      'The selection rule in the Inventory has an error. Fix it there, then run the dry run.',
    );
  return instances.filter(selection.selected);
}

async function folderOf(root: RootRow): Promise<FileSystemDirectoryHandle | undefined> {
  if (root.kind === 'sample')
    return (await navigator.storage.getDirectory()).getDirectoryHandle(SAMPLE_FOLDER);
  if (!root.handle) return undefined;
  // Asking needs the click that started the run: this runs before any slow step.
  return (await ensurePermission(root.handle, 'read')) ? root.handle : undefined;
}

function notReadable(name: string): Promise<never> {
  return Promise.reject(new DOMException('no folder to read from', name));
}

/**
 * RunFiles for the rows. Folder handles are asked for first (permission needs the user's click);
 * a root without a handle (loose files, dropped) or without permission gives files that fail
 * with a plain reason instead of stopping the run.
 */
export async function runFilesOf(rows: readonly InstanceRecord[]): Promise<RunFile[]> {
  const folders = new Map<string, FileSystemDirectoryHandle | undefined>();
  for (const rootId of new Set(rows.map((r) => r.rootId))) {
    const root = await db.roots.get(rootId);
    folders.set(rootId, root ? await folderOf(root) : undefined);
  }
  const dirs = new Map<string, Promise<FileSystemDirectoryHandle>>();
  const dirOf = (
    rootId: string,
    top: FileSystemDirectoryHandle,
    parts: string[],
  ): Promise<FileSystemDirectoryHandle> => {
    const key = `${rootId}/${parts.join('/')}`;
    let dir = dirs.get(key);
    if (!dir) {
      dir =
        parts.length === 0
          ? Promise.resolve(top)
          : dirOf(rootId, top, parts.slice(0, -1)).then((d) => d.getDirectoryHandle(parts.at(-1)!));
      dirs.set(key, dir);
    }
    return dir;
  };
  return rows.map((row) => ({
    fileId: row.fileId,
    row,
    read: async () => {
      const top = folders.get(row.rootId);
      if (!top) return notReadable('NotAllowedError');
      const parts = row.fileId.slice(row.rootId.length + 1).split('/');
      const name = parts.pop()!;
      // A File is a handle: the worker reads the bytes, the page never copies them.
      return (await (await dirOf(row.rootId, top, parts)).getFileHandle(name)).getFile();
    },
  }));
}
