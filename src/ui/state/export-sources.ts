// Opens the selected files again for the export: by root id and path, from the root's kept folder
// handle (picked folders, after asking for read permission), the OPFS sample folder, or the files
// chosen during this visit. Says in plain words which folder must be chosen again.
import { ensurePermission, writeSampleToOpfs } from '../../platform/browser';
import { fileAt, openSampleFolder } from '../../platform/browser/read-root-file';
import type { InstanceRecord, RootRow } from '../../store';
import { listRoots } from '../../store';
import { db } from './db';
import { hasVisitFiles, visitFile } from './visit-files';

export interface ExportSources {
  /** Opens one selected file (rejects with NotFoundError when it is gone). */
  read(row: InstanceRecord): Promise<File>;
  /** Folders that cannot be read now, each with what to do; empty when all can be read. */
  problems: string[];
  /** The picked folders the files come from (the output must not be one of them). */
  inputFolders: FileSystemDirectoryHandle[];
}

async function sampleFolder(): Promise<FileSystemDirectoryHandle> {
  try {
    return await openSampleFolder();
  } catch {
    // The browser cleared its storage: the sample is generated again, byte for byte the same.
    const { generateSampleSet } = await import('../../core/sample/sample-set');
    return writeSampleToOpfs(generateSampleSet(1).files);
  }
}

function gone(): DOMException {
  return new DOMException('the file is no longer available', 'NotFoundError');
}

/** Call from the click that starts the export: asking for permission needs it. */
export async function openExportSources(rows: readonly InstanceRecord[]): Promise<ExportSources> {
  const needed = new Set(rows.map((r) => r.rootId));
  const roots = (await listRoots(db)).filter((r) => needed.has(r.id));
  const folders = new Map<string, FileSystemDirectoryHandle>();
  const problems: string[] = [];
  const inputFolders: FileSystemDirectoryHandle[] = [];
  for (const root of roots) problems.push(...(await openRoot(root, folders, inputFolders)));
  for (const id of needed)
    if (!roots.some((r) => r.id === id))
      problems.push('Some selected files belong to a folder that was removed. Scan it again.');
  return {
    problems: [...new Set(problems)],
    inputFolders,
    async read(row) {
      const folder = folders.get(row.rootId);
      if (folder) return fileAt(folder, row.path);
      const file = visitFile(row.rootId, row.path);
      if (!file) throw gone();
      return file;
    },
  };
}

async function openRoot(
  root: RootRow,
  folders: Map<string, FileSystemDirectoryHandle>,
  inputFolders: FileSystemDirectoryHandle[],
): Promise<string[]> {
  if (root.kind === 'sample') {
    folders.set(root.id, await sampleFolder());
    return [];
  }
  if (root.handle) {
    if (!(await ensurePermission(root.handle, 'read')))
      return [
        `Cleanroom may not read the folder “${root.name}” any more. Export again and allow reading it when the browser asks.`,
      ];
    folders.set(root.id, root.handle);
    inputFolders.push(root.handle);
    return [];
  }
  if (hasVisitFiles(root.id)) return [];
  return [
    `The files of “${root.name}” were chosen before the page was reloaded, and the browser does not keep them. Choose that folder again on the Intake screen, then export.`,
  ];
}
