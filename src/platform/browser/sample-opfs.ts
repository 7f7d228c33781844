// Writes the generated sample set into the origin private file system, for "Try with sample data".

export const SAMPLE_FOLDER = 'sample-data';

async function sizeOf(dir: FileSystemDirectoryHandle, name: string): Promise<number | undefined> {
  try {
    return (await (await dir.getFileHandle(name)).getFile()).size;
  } catch {
    return undefined;
  }
}

/**
 * Writes `files` under navigator.storage.getDirectory()/sample-data/ and returns that folder.
 * A file already there with the same size is left alone, so its modification time stays and a
 * second try resumes the earlier scan instead of reading everything again (the set is deterministic).
 */
export async function writeSampleToOpfs(
  files: ReadonlyArray<{ path: string; bytes: Uint8Array }>,
): Promise<FileSystemDirectoryHandle> {
  const root = await navigator.storage.getDirectory();
  const top = await root.getDirectoryHandle(SAMPLE_FOLDER, { create: true });
  for (const { path, bytes } of files) {
    const parts = path.split('/');
    const name = parts.pop()!;
    let dir = top;
    for (const part of parts) dir = await dir.getDirectoryHandle(part, { create: true });
    if ((await sizeOf(dir, name)) === bytes.byteLength) continue;
    const writable = await (await dir.getFileHandle(name, { create: true })).createWritable();
    await writable.write(bytes as Uint8Array<ArrayBuffer>);
    await writable.close();
  }
  return top;
}
