// Walks a picked folder lazily: sorted relative paths with their File, unreadable entries as rejections.

export interface BrowserFileEntry {
  /** Relative to the walked folder, '/' separators. */
  path: string;
  file: File;
}

export interface BrowserRejectedEntry {
  path: string;
  /** Plain words: 'no permission', 'vanished during the walk', ... */
  reason: string;
  code: string;
}

/** Structurally a pipeline/scan ScanSourceItem, so a walk is a scan source as it is. */
export type BrowserWalkEntry = BrowserFileEntry | BrowserRejectedEntry;

/** Code-unit order, the same as the CLI's walk (localeCompare differs between runtimes). */
export function comparePaths(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function rejectionFor(error: unknown): { reason: string; code: string } {
  const name = error instanceof DOMException || error instanceof Error ? error.name : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return { reason: 'no permission', code: 'no-permission' };
    case 'NotFoundError':
      return { reason: 'vanished during the walk', code: 'vanished' };
    case 'NotReadableError':
      return { reason: 'could not be read', code: 'unreadable' };
    default:
      return { reason: `could not be opened${name ? ` (${name})` : ''}`, code: 'unreadable' };
  }
}

/**
 * Yields every file under `dir`, depth first with each folder's entries sorted by name, so paths
 * come out in sorted order. Lazy: a folder is listed only when the walk reaches it.
 */
export async function* walkDirectory(
  dir: FileSystemDirectoryHandle,
  prefix = '',
): AsyncGenerator<BrowserWalkEntry> {
  const entries: Array<[string, FileSystemDirectoryHandle | FileSystemFileHandle]> = [];
  try {
    for await (const entry of dir.entries()) entries.push(entry);
  } catch (error) {
    if (prefix === '') throw error;
    yield { path: prefix.slice(0, -1), ...rejectionFor(error) };
    return;
  }
  entries.sort((a, b) => comparePaths(a[0], b[0]));
  for (const [name, handle] of entries) {
    const path = prefix + name;
    if (handle.kind === 'directory') {
      yield* walkDirectory(handle as FileSystemDirectoryHandle, `${path}/`);
      continue;
    }
    try {
      yield { path, file: await (handle as FileSystemFileHandle).getFile() };
    } catch (error) {
      yield { path, ...rejectionFor(error) };
    }
  }
}

/** The same walk delivered in batches (for callers that store or show files a batch at a time). */
export async function walkDirectoryInBatches(
  dir: FileSystemDirectoryHandle,
  onBatch: (batch: BrowserWalkEntry[]) => void | Promise<void>,
  batchSize = 256,
): Promise<{ files: number; rejected: number }> {
  let batch: BrowserWalkEntry[] = [];
  let files = 0;
  let rejected = 0;
  for await (const entry of walkDirectory(dir)) {
    if ('file' in entry) files++;
    else rejected++;
    batch.push(entry);
    if (batch.length >= batchSize) {
      await onBatch(batch);
      batch = [];
    }
  }
  if (batch.length > 0) await onBatch(batch);
  return { files, rejected };
}
