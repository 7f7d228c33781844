// Reads part of a file from disk: [start, end) bytes, or fewer at the end of the file.
import { open } from 'node:fs/promises';

export async function readSlice(absPath: string, start: number, end: number): Promise<Uint8Array> {
  const handle = await open(absPath, 'r');
  try {
    const length = Math.max(0, end - start);
    const buffer = new Uint8Array(length);
    let filled = 0;
    while (filled < length) {
      const { bytesRead } = await handle.read(buffer, filled, length - filled, start + filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return filled === length ? buffer : buffer.slice(0, filled);
  } finally {
    await handle.close();
  }
}
