// Tests for the zip reader: zips written by python3 (deflate, forced ZIP64) and damaged zips.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readZipEntries, ZipReadError } from './read-zip';
import { zipEntries } from './zip';

const dir = mkdtempSync(join(tmpdir(), 'cleanroom-readzip-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes a zip with python3's zipfile: one stored, one deflated entry, optionally forced ZIP64. */
function pythonZip(name: string, zip64: boolean): Uint8Array<ArrayBuffer> {
  const path = join(dir, name);
  const script = `
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], 'w') as z:
    z.writestr(zipfile.ZipInfo('stored.txt'), b'hello stored')
    with z.open(zipfile.ZipInfo('deflated.bin'), 'w', force_zip64=${zip64 ? 'True' : 'False'}) as f:
        f.write(bytes(range(256)) * 400)
    i = zipfile.ZipInfo('d/deflated2.txt'); i.compress_type = zipfile.ZIP_DEFLATED
    z.writestr(i, b'abc' * 1000)`;
  const r = spawnSync('python3', ['-c', script, path], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return new Uint8Array(readFileSync(path));
}

async function listAll(blob: Blob) {
  const out: { name: string; data: Uint8Array }[] = [];
  for await (const e of readZipEntries(blob)) out.push({ name: e.name, data: await e.data() });
  return out;
}

describe('readZipEntries', () => {
  it('reads zips written by python3 zipfile, stored and deflated, with and without ZIP64 extra fields', async () => {
    for (const zip64 of [false, true]) {
      const entries = await listAll(new Blob([pythonZip(`py-${zip64}.zip`, zip64)]));
      expect(entries.map((e) => e.name)).toEqual(['stored.txt', 'deflated.bin', 'd/deflated2.txt']);
      expect(new TextDecoder().decode(entries[0].data)).toBe('hello stored');
      expect(entries[1].data.length).toBe(256 * 400);
      expect(entries[1].data[300]).toBe(300 - 256);
      expect(new TextDecoder().decode(entries[2].data)).toBe('abc'.repeat(1000));
    }
  });

  it('reports a CRC-32 mismatch when entry data was damaged', async () => {
    const parts: Uint8Array[] = [];
    for await (const c of zipEntries([
      { name: 'a.txt', data: new TextEncoder().encode('some content here') },
    ]))
      parts.push(c);
    const zip = new Uint8Array(await new Blob(parts as Uint8Array<ArrayBuffer>[]).arrayBuffer());
    zip[30 + 'a.txt'.length + 2] ^= 0xff;
    const it = readZipEntries(new Blob([zip]));
    const first = await it.next();
    expect(first.done).toBe(false);
    await expect(first.value!.data()).rejects.toMatchObject({ code: 'crc-mismatch' });
  });

  it('reads a stored entry, local header and data, in one read', async () => {
    const parts: Uint8Array[] = [];
    const content = new TextEncoder().encode('stored content, one read');
    for await (const c of zipEntries([{ name: 'dir/a.txt', data: content }])) parts.push(c);
    const blob = new Blob(parts as Uint8Array<ArrayBuffer>[]);
    const entries = [];
    for await (const e of readZipEntries(blob)) entries.push(e);
    const reads: [number, number][] = [];
    const counted = {
      size: blob.size,
      slice(start: number, end: number) {
        reads.push([start, end]);
        return blob.slice(start, end);
      },
    };
    const listed = [];
    for await (const e of readZipEntries(counted)) listed.push(e);
    reads.length = 0;
    expect(await listed[0].data()).toEqual(content);
    expect(reads).toHaveLength(1);
    expect(reads[0][0]).toBe(entries[0].offset);
  });

  it('says when the bytes are not a zip', async () => {
    await expect(listAll(new Blob([new Uint8Array(100)]))).rejects.toBeInstanceOf(ZipReadError);
    await expect(listAll(new Blob([new Uint8Array(100)]))).rejects.toMatchObject({
      code: 'not-zip',
    });
  });

  it('streams a large entry chunk by chunk, CRC-checked at its end', async () => {
    const big = new Uint8Array(3 << 20).map((_, i) => i & 0xff);
    const parts: Uint8Array[] = [];
    for await (const c of zipEntries([{ name: 'big.bin', data: new Blob([big]) }])) parts.push(c);
    for await (const e of readZipEntries(new Blob(parts as Uint8Array<ArrayBuffer>[]))) {
      const reader = e.stream().getReader();
      let total = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        total += value.length;
      }
      expect(total).toBe(big.length);
    }
  });
});
