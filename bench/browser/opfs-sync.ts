// OPFS file access through FileSystemSyncAccessHandle, for dedicated workers (the fastest path Chromium has).

/** FileSystemSyncAccessHandle, which TypeScript declares for workers only (this file also type-checks with the DOM lib). */
interface SyncAccessHandle {
  read(buffer: Uint8Array, options?: { at?: number }): number;
  write(buffer: Uint8Array, options?: { at?: number }): number;
  truncate(size: number): void;
  getSize(): number;
  close(): void;
}

type SyncFileHandle = FileSystemFileHandle & {
  createSyncAccessHandle(): Promise<SyncAccessHandle>;
};

const folders = new Map<string, Promise<FileSystemDirectoryHandle>>();

/**
 * File handles whose createSyncAccessHandle() is pending. Holding them matters: in Chromium 156 a
 * FileSystemFileHandle garbage-collected while that call is pending left its promise unsettled
 * forever (a few files in 2,000 when generating data next to the writes; none once held).
 */
const opening = new Set<FileSystemFileHandle>();

/** The OPFS folder at a '/'-separated path, created on first use and kept. */
export function folder(path: string): Promise<FileSystemDirectoryHandle> {
  let found = folders.get(path);
  if (!found) {
    found = (async () => {
      let dir = await navigator.storage.getDirectory();
      for (const part of path.split('/').filter(Boolean))
        dir = await dir.getDirectoryHandle(part, { create: true });
      return dir;
    })();
    folders.set(path, found);
  }
  return found;
}

async function open(handle: FileSystemFileHandle): Promise<SyncAccessHandle> {
  opening.add(handle);
  try {
    return await (handle as SyncFileHandle).createSyncAccessHandle();
  } finally {
    opening.delete(handle);
  }
}

/** No flush(): like Node's writeFile, the bytes are handed to the OS, not synced to the disk. */
export async function writeFile(dir: string, name: string, bytes: Uint8Array): Promise<void> {
  const access = await open(await (await folder(dir)).getFileHandle(name, { create: true }));
  try {
    access.truncate(0);
    let at = 0;
    while (at < bytes.byteLength) {
      const n = access.write(bytes.subarray(at), { at });
      if (n === 0) throw new Error(`short write at offset ${at}`);
      at += n;
    }
  } finally {
    access.close();
  }
}

/** Reads as the app reads a picked file: a File from the handle, read whole in the worker. */
export async function readAsFile(dir: string, name: string): Promise<Uint8Array> {
  const file = await (await (await folder(dir)).getFileHandle(name)).getFile();
  const Reader = (
    globalThis as { FileReaderSync?: new () => { readAsArrayBuffer(b: Blob): ArrayBuffer } }
  ).FileReaderSync!;
  return new Uint8Array(new Reader().readAsArrayBuffer(file));
}

export async function readFile(dir: string, name: string): Promise<Uint8Array> {
  const access = await open(await (await folder(dir)).getFileHandle(name));
  try {
    const bytes = new Uint8Array(access.getSize());
    let at = 0;
    while (at < bytes.byteLength) {
      const n = access.read(bytes.subarray(at), { at });
      if (n === 0) throw new Error(`short read at offset ${at}`);
      at += n;
    }
    return bytes;
  } finally {
    access.close();
  }
}
