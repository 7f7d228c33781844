// ZIP64 past 4 GiB, in sizes and in offsets, written to a temp file without holding it in memory.
import { spawnSync } from 'node:child_process';
import { mkdtemp, open, rm, stat, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readZipEntries, type ZipSource } from './read-zip';
import { zipEntries, type ZipEntryInput } from './zip';

const GiB = 2 ** 30;
const CHUNK = 1 << 20;
const BIG = 4 * GiB + 3 * CHUNK + 17;

/** A stream of `size` bytes made from one reused 1 MiB buffer: nothing large is ever in memory. */
function patternStream(size: number): ReadableStream<Uint8Array> {
  const chunk = new Uint8Array(CHUNK).map((_, i) => (i * 131) & 0xff);
  let left = size;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (left === 0) return controller.close();
      const n = Math.min(left, CHUNK);
      left -= n;
      controller.enqueue(n === CHUNK ? chunk : chunk.slice(0, n));
    },
  });
}

/** A ZipSource over a file handle: Node 20's fs.openAsBlob truncates sizes past 4 GiB to 32 bits. */
function fileSource(handle: FileHandle, size: number): ZipSource {
  const read = async (start: number, end: number) => {
    const buf = new Uint8Array(end - start);
    let at = 0;
    while (at < buf.length) {
      const { bytesRead } = await handle.read(buf, at, buf.length - at, start + at);
      if (bytesRead === 0) break;
      at += bytesRead;
    }
    return buf;
  };
  return {
    size,
    slice: (start, end) => ({
      arrayBuffer: async () => (await read(start, end)).buffer,
      stream: () => {
        let pos = start;
        return new ReadableStream<Uint8Array>({
          async pull(controller) {
            if (pos >= end) return controller.close();
            const next = Math.min(end, pos + CHUNK);
            controller.enqueue(await read(pos, next));
            pos = next;
          },
        });
      },
    }),
  };
}

describe('zip64 past 4 GiB', () => {
  it('ZIP64 sizes and offsets past 4 GiB: python3 zipfile and our reader agree, RSS stays flat', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cleanroom-zip64-'));
    const path = join(dir, 'big.zip');
    try {
      const entries: ZipEntryInput[] = [
        { name: 'a/small-before.txt', data: new TextEncoder().encode('before') },
        { name: 'a/big.bin', data: patternStream(BIG), size: BIG },
        { name: 'a/small-after.txt', data: new TextEncoder().encode('after the 4 GiB mark') },
      ];
      const handle = await open(path, 'w');
      const rssBefore = process.memoryUsage().rss;
      let rssPeak = rssBefore;
      let written = 0;
      for await (const chunk of zipEntries(entries)) {
        await handle.write(chunk);
        written += chunk.length;
        if ((written & 0xfffffff) < chunk.length)
          rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
      }
      await handle.close();
      expect(written).toBeGreaterThan(4 * GiB);
      // Memory does not grow with the package: far less than the 4 GiB written.
      expect(rssPeak - rssBefore).toBeLessThan(256 * 2 ** 20);

      // Python reads the central directory (ZIP64 extra fields, ZIP64 end record) and the entry
      // that lies past 4 GiB; CRC of the big entry is checked by reading it through.
      const script = `
import sys, zipfile, json
z = zipfile.ZipFile(sys.argv[1])
infos = z.infolist()
after = z.read('a/small-after.txt').decode()
with z.open('a/big.bin') as f:
    n = 0
    while True:
        b = f.read(1 << 24)
        if not b: break
        n += len(b)
print(json.dumps({'names': [i.filename for i in infos], 'sizes': [i.file_size for i in infos], 'offsets': [i.header_offset for i in infos], 'after': after, 'bigRead': n}))`;
      const r = spawnSync('python3', ['-c', script, path], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      const py = JSON.parse(r.stdout);
      expect(py.sizes).toEqual([6, BIG, 20]);
      expect(py.offsets[2]).toBeGreaterThan(4 * GiB);
      expect(py.after).toBe('after the 4 GiB mark');
      expect(py.bigRead).toBe(BIG);

      const reading = await open(path, 'r');
      const blob = fileSource(reading, (await stat(path)).size);
      const seen: { name: string; size: number; offset: number }[] = [];
      for await (const e of readZipEntries(blob)) {
        seen.push({ name: e.name, size: e.size, offset: e.offset });
        if (e.name === 'a/small-after.txt')
          expect(new TextDecoder().decode(await e.data())).toBe('after the 4 GiB mark');
      }
      expect(seen.map((e) => e.size)).toEqual([6, BIG, 20]);
      expect(seen[2].offset).toBe(py.offsets[2]);
      await reading.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
