// Turns a folder on disk into the source the scan pipeline reads: lazy Blobs, rejections passed on.
import { openAsBlob } from 'node:fs';
import { walkDirectory } from './walk';

/** A file as the scan pipeline takes it (pipeline/scan ScanSourceItem), or a rejection. */
export type NodeScanItem =
  | { path: string; file: Blob; lastModified: number }
  | { path: string; reason: string; code: string; size?: number };

/** Each file becomes a Blob backed by the file (fs.openAsBlob): slicing it reads only that part. */
export async function* scanSource(dir: string): AsyncGenerator<NodeScanItem> {
  for await (const entry of walkDirectory(dir)) {
    if ('reason' in entry) {
      yield { path: entry.path, reason: entry.reason, code: entry.code };
      continue;
    }
    try {
      const file = await openAsBlob(entry.absolutePath);
      yield { path: entry.path, file, lastModified: entry.lastModified };
    } catch {
      yield {
        path: entry.path,
        reason: 'could not be opened',
        code: 'unreadable',
        size: entry.size,
      };
    }
  }
}
