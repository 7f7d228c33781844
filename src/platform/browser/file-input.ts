// Fallbacks where the folder picker is missing: <input webkitdirectory> file lists and drag and drop.
import { comparePaths, rejectionFor, type BrowserWalkEntry } from './walk-directory';

/** The path inside the chosen folder: webkitRelativePath without its first (folder) component. */
function relativePath(file: File): string {
  const parts = file.webkitRelativePath.split('/');
  return parts.length > 1 ? parts.slice(1).join('/') : file.name;
}

/** Files of `<input type="file" webkitdirectory>`, as walk entries in sorted path order. */
export async function* filesFromInput(
  files: FileList | readonly File[],
): AsyncGenerator<BrowserWalkEntry> {
  const entries = [...files].map((file) => ({ path: relativePath(file), file }));
  entries.sort((a, b) => comparePaths(a.path, b.path));
  yield* entries;
}

function readEntries(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  return new Promise((resolve, reject) => reader.readEntries(resolve, reject));
}

function fileOf(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

/** Walks a dropped entry (the older FileSystemEntry API, in every browser) in sorted order. */
async function* walkEntry(entry: FileSystemEntry, path: string): AsyncGenerator<BrowserWalkEntry> {
  if (entry.isFile) {
    try {
      yield { path, file: await fileOf(entry as FileSystemFileEntry) };
    } catch (error) {
      yield { path, ...rejectionFor(error) };
    }
    return;
  }
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  const children: FileSystemEntry[] = [];
  try {
    // readEntries returns the listing in chunks (about 100 in Chromium) until it returns none.
    for (let chunk = await readEntries(reader); chunk.length > 0; chunk = await readEntries(reader))
      children.push(...chunk);
  } catch (error) {
    yield { path, ...rejectionFor(error) };
    return;
  }
  children.sort((a, b) => comparePaths(a.name, b.name));
  for (const child of children)
    yield* walkEntry(child, path ? `${path}/${child.name}` : child.name);
}

/**
 * What was dropped, as walk entries. One dropped folder gives paths inside it (like the picker);
 * several items keep their names as the first path component. The items are captured now, because
 * a DataTransfer is emptied once the drop event returns; the walk itself is lazy.
 */
export function filesFromDrop(data: DataTransfer): AsyncGenerator<BrowserWalkEntry> {
  const entries = [...data.items]
    .filter((item) => item.kind === 'file')
    .map((item) => item.webkitGetAsEntry())
    .filter((entry): entry is FileSystemEntry => entry !== null)
    .sort((a, b) => comparePaths(a.name, b.name));
  const files = [...data.files];
  return (async function* () {
    if (entries.length === 0) {
      yield* filesFromInput(files);
      return;
    }
    if (entries.length === 1 && entries[0].isDirectory) {
      yield* walkEntry(entries[0], '');
      return;
    }
    for (const entry of entries) yield* walkEntry(entry, entry.name);
  })();
}

/** A dropped folder's handle where the browser offers one (Chromium), to keep for a later visit. */
export async function directoryHandleFromDrop(
  data: DataTransfer,
): Promise<FileSystemDirectoryHandle | undefined> {
  const pending = [...data.items]
    .filter((item) => item.kind === 'file')
    .map((item) => item.getAsFileSystemHandle?.());
  for (const promise of pending) {
    const handle = await promise;
    if (handle?.kind === 'directory') return handle as FileSystemDirectoryHandle;
  }
  return undefined;
}
