// Reads a whole file into a buffer of its own with free room before the bytes: the worker it is
// transferred to can then write a de-identified header that grew in front of the original pixel
// bytes instead of copying the image into a new buffer (core/dicom writeDicomFileOverSource).
import { open } from 'node:fs/promises';

/**
 * Room for a header that grew: new UIDs, the de-identification marks and their code sequence add
 * a few hundred bytes to a typical header; 16 KiB covers far more and costs nothing measurable.
 */
export const HEADER_ROOM = 16 * 1024;

/**
 * The file's bytes as a view at offset `room` of a fresh buffer the caller owns whole (transfer it
 * to a worker with workers/file-source transferListOf). The room is zeroed, so no stale memory
 * travels with it.
 */
export async function readFileWithRoom(path: string, room = HEADER_ROOM): Promise<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    // Not zero-filled: every byte of the file is read over it, the room is zeroed below.
    const buffer = Buffer.allocUnsafeSlow(room + size);
    buffer.fill(0, 0, room);
    let filled = 0;
    while (filled < size) {
      const { bytesRead } = await handle.read(buffer, room + filled, size - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return new Uint8Array(buffer.buffer, buffer.byteOffset + room, filled);
  } finally {
    await handle.close();
  }
}
