// The Node reader that leaves room before a file's bytes for a longer header.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HEADER_ROOM, readFileWithRoom } from './read-file-with-room';

const dir = mkdtempSync(join(tmpdir(), 'cleanroom-room-'));
const sample = new URL('../../../test-data/dicom-samples/CT_small.dcm', import.meta.url);

describe('readFileWithRoom', () => {
  it('returns the whole file at offset HEADER_ROOM of a buffer of its own, the room zeroed', async () => {
    const bytes = await readFileWithRoom(sample.pathname);
    expect(bytes.byteOffset).toBe(HEADER_ROOM);
    expect(bytes.buffer.byteLength).toBe(HEADER_ROOM + bytes.length);
    expect(Buffer.from(bytes).equals(readFileSync(sample))).toBe(true);
    expect(new Uint8Array(bytes.buffer, 0, HEADER_ROOM).every((b) => b === 0)).toBe(true);
  });

  it('reads an empty file as no bytes, and any room asked for', async () => {
    const empty = join(dir, 'empty');
    writeFileSync(empty, new Uint8Array(0));
    expect((await readFileWithRoom(empty)).length).toBe(0);
    const some = join(dir, 'some');
    writeFileSync(some, Uint8Array.of(1, 2, 3));
    const bytes = await readFileWithRoom(some, 5);
    expect([...bytes]).toEqual([1, 2, 3]);
    expect(bytes.byteOffset).toBe(5);
  });

  it('a missing file rejects with the system error code, for the caller to explain', async () => {
    await expect(readFileWithRoom(join(dir, 'gone'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
