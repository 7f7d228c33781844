// A zip volume read through a file handle, for `cleanroom verify`: Node 20's fs.openAsBlob reports
// the size of a file past 4 GiB modulo 2^32, so a ZIP64 volume would look truncated.
import { open, type FileHandle } from 'node:fs/promises';
import type { ZipSource } from '../../core/package/read-zip';

const CHUNK = 1 << 20;

/** A ZipSource with a name (the volume's file name, for findings), and a way to let the file go. */
export interface FileHandleSource extends ZipSource {
  readonly name: string;
  close(): Promise<void>;
}

async function readRange(handle: FileHandle, start: number, end: number): Promise<Uint8Array> {
  const buf = new Uint8Array(Math.max(0, end - start));
  let at = 0;
  while (at < buf.length) {
    const { bytesRead } = await handle.read(buf, at, buf.length - at, start + at);
    if (bytesRead === 0) break;
    at += bytesRead;
  }
  return at === buf.length ? buf : buf.subarray(0, at);
}

/** Opens `path` read-only; `size` comes from fstat (64-bit safe). Close it when done. */
export async function openFileSource(path: string, name: string): Promise<FileHandleSource> {
  const handle = await open(path, 'r');
  const { size } = await handle.stat();
  return {
    name,
    size,
    close: () => handle.close(),
    slice(start, end) {
      const from = Math.max(0, Math.min(start, size));
      const to = Math.max(from, Math.min(end, size));
      return {
        arrayBuffer: async () => {
          const bytes = await readRange(handle, from, to);
          return bytes.buffer.slice(
            bytes.byteOffset,
            bytes.byteOffset + bytes.byteLength,
          ) as ArrayBuffer;
        },
        stream: () => {
          let pos = from;
          return new ReadableStream<Uint8Array>({
            async pull(controller) {
              if (pos >= to) return controller.close();
              const next = Math.min(to, pos + CHUNK);
              controller.enqueue(await readRange(handle, pos, next));
              pos = next;
            },
          });
        },
      };
    },
  };
}
