// The File objects of roots that have no folder handle (the <input webkitdirectory> fallback and
// dropped files): kept in memory for this visit only, so the export can read them again.

const byRoot = new Map<string, Map<string, File>>();

/** Passes a walk through unchanged, remembering each file it yields under `rootId`. */
export async function* keepVisitFiles<T extends { path: string; file?: Blob }>(
  rootId: string,
  walk: AsyncIterable<T>,
): AsyncGenerator<T> {
  const files = new Map<string, File>();
  byRoot.set(rootId, files);
  for await (const entry of walk) {
    if (entry.file instanceof File) files.set(entry.path, entry.file);
    yield entry;
  }
}

/** The file at `path` of a handle-less root, if it was chosen during this visit. */
export function visitFile(rootId: string, path: string): File | undefined {
  return byRoot.get(rootId)?.get(path);
}

/** True when the files of `rootId` were chosen during this visit (false after a reload). */
export function hasVisitFiles(rootId: string): boolean {
  return byRoot.has(rootId);
}
