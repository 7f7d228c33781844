// Walks a folder on disk for the CLI: relative '/' paths in sorted order, unreadable entries as rejections.
import { lstat, opendir, stat } from 'node:fs/promises';
import { join } from 'node:path';

export interface NodeFileEntry {
  /** Relative to the walked folder, '/' separators. */
  path: string;
  absolutePath: string;
  size: number;
  lastModified: number;
}

export interface NodeRejectedEntry {
  path: string;
  absolutePath: string;
  /** Plain words: 'no permission', 'vanished during the walk', ... */
  reason: string;
  code: string;
}

export type NodeWalkEntry = NodeFileEntry | NodeRejectedEntry;

/** Code-unit order, the same in browser and CLI walks (localeCompare differs between runtimes). */
export function comparePaths(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const REASONS: Record<string, string> = {
  EACCES: 'no permission',
  EPERM: 'no permission',
  ENOENT: 'vanished during the walk',
  ELOOP: 'too many symbolic links',
  EIO: 'input/output error',
};

export function reasonForError(error: unknown): { reason: string; code: string } {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string')
    return { reason: REASONS[code] ?? `could not be opened (${code})`, code: code.toLowerCase() };
  return { reason: 'could not be opened', code: 'unreadable' };
}

/**
 * Yields every regular file under `dir` (depth first, entries sorted by name, so paths come out in
 * sorted order). Symbolic links to files are followed; links to folders are not (no cycles).
 */
export async function* walkDirectory(dir: string, prefix = ''): AsyncGenerator<NodeWalkEntry> {
  let names: string[];
  try {
    const handle = await opendir(dir);
    names = [];
    for await (const entry of handle) names.push(entry.name);
  } catch (error) {
    if (prefix === '') throw error;
    yield { path: prefix.slice(0, -1), absolutePath: dir, ...reasonForError(error) };
    return;
  }
  names.sort(comparePaths);
  for (const name of names) {
    const absolutePath = join(dir, name);
    const path = prefix + name;
    let info;
    try {
      info = await lstat(absolutePath);
      if (info.isSymbolicLink()) {
        const target = await stat(absolutePath);
        if (target.isDirectory()) {
          yield {
            path,
            absolutePath,
            reason: 'a symbolic link to a folder (not followed)',
            code: 'symlink-dir',
          };
          continue;
        }
        info = target;
      }
    } catch (error) {
      yield { path, absolutePath, ...reasonForError(error) };
      continue;
    }
    if (info.isDirectory()) yield* walkDirectory(absolutePath, `${path}/`);
    else if (info.isFile())
      yield { path, absolutePath, size: info.size, lastModified: Math.floor(info.mtimeMs) };
  }
}
