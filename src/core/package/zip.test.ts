// Tests for the zip writer and volumes: other tools open what we write, ZIP64, determinism, volume rules.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { crc32 } from './crc32';
import { readZipEntries } from './read-zip';
import {
  planVolumes,
  volumeName,
  zipEntries,
  zipStream,
  zipVolumes,
  ZipWriteError,
  type ZipEntryInput,
} from './zip';

const dir = mkdtempSync(join(tmpdir(), 'cleanroom-zip-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array<ArrayBuffer>> {
  const parts: Uint8Array<ArrayBuffer>[] = [];
  for await (const c of chunks) parts.push(c as Uint8Array<ArrayBuffer>);
  return new Uint8Array(await new Blob(parts).arrayBuffer());
}

async function collectStream(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const reader = stream.getReader();
  async function* it() {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  }
  return collect(it());
}

let fileCounter = 0;
function writeTemp(bytes: Uint8Array): string {
  const path = join(dir, `t${fileCounter++}.zip`);
  writeFileSync(path, bytes);
  return path;
}

/** What Python's zipfile sees: testzip result, entries, dates and extra fields. */
function pythonZipReport(path: string): {
  bad: string | null;
  count: number;
  names: string[];
  sizes: number[];
  dates: number[][];
  extras: string[];
  crcs: number[];
} {
  const script = `
import sys, zipfile, json
z = zipfile.ZipFile(sys.argv[1])
infos = z.infolist()
many = len(infos) > 1000
print(json.dumps({
  'bad': z.testzip(),
  'count': len(infos),
  'names': [] if many else [i.filename for i in infos],
  'sizes': [] if many else [i.file_size for i in infos],
  'dates': sorted({tuple(i.date_time) for i in infos}),
  'extras': sorted({i.extra.hex() for i in infos}),
  'crcs': [] if many else [i.CRC for i in infos],
}))`;
  const r = spawnSync('python3', ['-c', script, path], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`python3 zipfile failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

const hasUnzip = spawnSync('unzip', ['-v'], { encoding: 'utf8' }).status === 0;

function bytesOf(text: string): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(text);
}

function sampleEntries(): ZipEntryInput[] {
  const big = new Uint8Array(300_000);
  for (let i = 0; i < big.length; i++) big[i] = (i * 31 + (i >> 8)) & 0xff;
  return [
    { name: 'P0001/01/0001_CT/00001.dcm', data: bytesOf('first entry') },
    { name: 'P0001/01/0001_CT/00002.dcm', data: new Blob([big]) },
    {
      name: 'P0001/01/0002_MR/00001.dcm',
      data: new Blob([bytesOf('streamed ')]).stream(),
      size: 9,
    },
    { name: 'P0002/01/0001_OT/00001.dcm', data: new Uint8Array(0) },
    { name: 'manifest.json', data: bytesOf('{"a":1}\n') },
  ];
}

describe('zip writer', () => {
  it('writes zips that python3 zipfile opens and tests clean, entries in the order given', async () => {
    const zip = await collect(zipEntries(sampleEntries()));
    const report = pythonZipReport(writeTemp(zip));
    expect(report.bad).toBeNull();
    expect(report.names).toEqual(sampleEntries().map((e) => e.name));
    expect(report.sizes).toEqual([11, 300_000, 9, 0, 8]);
  });

  it.skipIf(!hasUnzip)('writes zips that unzip -t accepts', async () => {
    const path = writeTemp(await collect(zipEntries(sampleEntries())));
    const r = spawnSync('unzip', ['-t', path], { encoding: 'utf8' });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('No errors detected');
  });

  it('fixed timestamp 1980-01-01 00:00 and no extra fields that could carry times or uid/gid', async () => {
    const report = pythonZipReport(writeTemp(await collect(zipEntries(sampleEntries()))));
    expect(report.dates).toEqual([[1980, 1, 1, 0, 0, 0]]);
    expect(report.extras).toEqual(['']);
  });

  it('is byte-identical when run twice with the same inputs', async () => {
    const a = await collect(zipEntries(sampleEntries()));
    const b = await collectStream(zipStream(sampleEntries()));
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });

  it('round-trips through our reader with matching CRC-32', async () => {
    const zip = await collect(zipEntries(sampleEntries()));
    const expected = await Promise.all(
      sampleEntries().map(async (e) =>
        e.data instanceof Uint8Array
          ? e.data
          : e.data instanceof Blob
            ? new Uint8Array(await e.data.arrayBuffer())
            : await collectStream(e.data),
      ),
    );
    let i = 0;
    for await (const entry of readZipEntries(new Blob([zip]))) {
      expect(entry.name).toBe(sampleEntries()[i].name);
      expect(entry.crc32).toBe(crc32(expected[i]));
      expect(Buffer.from(await entry.data()).equals(Buffer.from(expected[i]))).toBe(true);
      i++;
    }
    expect(i).toBe(5);
  });

  it('deflate entries are opened by python3 and by our reader', async () => {
    const zip = await collect(zipEntries(sampleEntries(), { compression: 'deflate' }));
    const report = pythonZipReport(writeTemp(zip));
    expect(report.bad).toBeNull();
    expect(report.sizes).toEqual([11, 300_000, 9, 0, 8]);
    expect(zip.length).toBeLessThan(300_000);
    for await (const entry of readZipEntries(new Blob([zip])))
      expect((await entry.data()).length).toBe(entry.size);
  });

  it('ZIP64 end records past 65,535 entries', async () => {
    const count = 70_000;
    function* many(): Generator<ZipEntryInput> {
      for (let i = 0; i < count; i++) yield { name: `e/${i}.txt`, data: bytesOf(String(i)) };
    }
    const zip = await collect(zipEntries(many()));
    const path = writeTemp(zip);
    const report = pythonZipReport(path);
    expect(report.bad).toBeNull();
    expect(report.count).toBe(count);
    // The classic end record is saturated and the ZIP64 end record (PK\x06\x06) precedes it.
    const tail = Buffer.from(zip.subarray(zip.length - 98));
    expect(tail.readUInt32LE(0)).toBe(0x06064b50);
    expect(tail.readUInt16LE(76 + 8)).toBe(0xffff);
    let n = 0;
    let last = '';
    for await (const e of readZipEntries(new Blob([zip]))) {
      last = e.name;
      n++;
    }
    expect(n).toBe(count);
    expect(last).toBe(`e/${count - 1}.txt`);
    if (hasUnzip) expect(spawnSync('unzip', ['-tq', path]).status).toBe(0);
  }, 60_000);

  it('rejects unsafe names and names that only differ in case, naming the entry index only', async () => {
    for (const name of [
      '',
      '/abs.dcm',
      'a/../b.dcm',
      'a//b.dcm',
      'a\\b.dcm',
      './a.dcm',
      'dir/',
      'a\u0000b',
    ]) {
      await expect(collect(zipEntries([{ name, data: new Uint8Array(1) }]))).rejects.toMatchObject({
        code: 'bad-name',
        entryIndex: 0,
      });
    }
    const dup = collect(
      zipEntries([
        { name: 'A.dcm', data: new Uint8Array(1) },
        { name: 'a.dcm', data: new Uint8Array(1) },
      ]),
    );
    await expect(dup).rejects.toMatchObject({ code: 'duplicate-name', entryIndex: 1 });
    await expect(dup).rejects.not.toThrow(/a\.dcm/);
  });

  it('rejects a stream whose bytes disagree with its declared size', async () => {
    const entries = [{ name: 'x.dcm', data: new Blob([new Uint8Array(10)]).stream(), size: 11 }];
    await expect(collect(zipEntries(entries))).rejects.toBeInstanceOf(ZipWriteError);
  });

  it('a stream entry without a size is written with ZIP64 local sizes and still reads back', async () => {
    const zip = await collect(
      zipEntries([{ name: 'u.bin', data: new Blob([new Uint8Array(1000).fill(7)]).stream() }]),
    );
    expect(pythonZipReport(writeTemp(zip)).bad).toBeNull();
    for await (const e of readZipEntries(new Blob([zip])))
      expect((await e.data()).every((b) => b === 7)).toBe(true);
  });
});

describe('zip volumes', () => {
  const sizes = [40_000, 25_000, 25_000, 90_000, 10_000, 10_000, 10_000, 150_000, 5_000];
  const makeEntries = (fill: number): ZipEntryInput[] =>
    sizes.map((size, i) => ({
      name: `P1/01/0001_CT/${String(i + 1).padStart(5, '0')}.dcm`,
      data: new Blob([new Uint8Array(size).fill(fill + i)]),
    }));
  const options = { maxBytes: 100_000, baseName: 'SITE-A' };

  async function writeVolumes(entries: ZipEntryInput[]) {
    const out: { name: string; bytes: Uint8Array; entryNames: string[] }[] = [];
    for await (const v of zipVolumes(entries, options)) {
      const bytes = await collect(v.chunks);
      out.push({ name: v.name, bytes, entryNames: v.entryNames });
    }
    return out;
  }

  it('names volumes NAME-001.zip, NAME-002.zip, …', () => {
    expect(volumeName('SITE-A', 1)).toBe('SITE-A-001.zip');
    expect(volumeName('SITE-A', 12)).toBe('SITE-A-012.zip');
    expect(volumeName('SITE-A', 1234)).toBe('SITE-A-1234.zip');
  });

  it('each volume is a valid zip within maxBytes, and together they hold every entry once, in order', async () => {
    const volumes = await writeVolumes(makeEntries(1));
    const plan = planVolumes(
      makeEntries(1).map((e) => ({ name: e.name, size: (e.data as Blob).size })),
      options,
    );
    expect(volumes.map((v) => v.name)).toEqual(plan.map((p) => p.name));
    const all: string[] = [];
    for (const [i, v] of volumes.entries()) {
      const report = pythonZipReport(writeTemp(v.bytes));
      expect(report.bad).toBeNull();
      expect(report.names).toEqual(v.entryNames);
      // For STORE the plan is exact, so a resumed export can check a written volume by its size.
      expect(v.bytes.length).toBe(plan[i].plannedBytes);
      if (!plan[i].oversized) expect(v.bytes.length).toBeLessThanOrEqual(options.maxBytes);
      all.push(...report.names);
    }
    expect(all).toEqual(makeEntries(1).map((e) => e.name));
  });

  it('an entry larger than the volume size gets a volume of its own', async () => {
    const plan = planVolumes(
      sizes.map((size, i) => ({ name: `n${i}`, size })),
      options,
    );
    const big = plan.find((p) => p.oversized);
    expect(big).toBeDefined();
    expect(big!.entryCount).toBe(1);
    expect(big!.firstEntry).toBe(7);
    expect(plan[plan.indexOf(big!) + 1].firstEntry).toBe(8);
  });

  it('volume boundaries depend on entry sizes alone: other bytes, same sizes, same split; same bytes, identical volumes', async () => {
    const a = await writeVolumes(makeEntries(1));
    const b = await writeVolumes(makeEntries(50));
    const c = await writeVolumes(makeEntries(1));
    expect(a.map((v) => v.entryNames)).toEqual(b.map((v) => v.entryNames));
    expect(a.map((v) => v.bytes.length)).toEqual(b.map((v) => v.bytes.length));
    for (const [i, v] of a.entries())
      expect(Buffer.from(v.bytes).equals(Buffer.from(c[i].bytes))).toBe(true);
  });

  it('a stream entry needs a size to be split into volumes', async () => {
    const gen = zipVolumes([{ name: 'a', data: new Blob([new Uint8Array(3)]).stream() }], options);
    await expect(gen.next()).rejects.toMatchObject({ code: 'missing-size' });
  });

  it('deflate volumes are planned from an upper bound and stay within maxBytes', async () => {
    const entries = makeEntries(3);
    let n = 0;
    for await (const v of zipVolumes(entries, { ...options, compression: 'deflate' })) {
      const bytes = await collect(v.chunks);
      expect(pythonZipReport(writeTemp(bytes)).bad).toBeNull();
      n += v.entryNames.length;
      if (v.entryNames.length > 1) expect(bytes.length).toBeLessThanOrEqual(options.maxBytes);
    }
    expect(n).toBe(entries.length);
  });
});

describe('crc32', () => {
  it('matches the standard check value and python zlib.crc32 on odd lengths', () => {
    expect(crc32(bytesOf('123456789'))).toBe(0xcbf43926);
    const data = new Uint8Array(1013).map((_, i) => (i * 7) & 0xff);
    const py = spawnSync(
      'python3',
      ['-c', 'import sys,zlib; print(zlib.crc32(sys.stdin.buffer.read()))'],
      { input: data, encoding: 'utf8' },
    );
    expect(crc32(data)).toBe(Number(py.stdout.trim()));
  });
});

describe('a CRC-32 given by the caller', () => {
  it('gives the same bytes as the CRC the writer computes itself', async () => {
    const { crc32 } = await import('./crc32');
    const data = new TextEncoder().encode('the same bytes either way');
    const collect = async (entries: { name: string; data: Uint8Array; crc32?: number }[]) => {
      const parts: Uint8Array[] = [];
      for await (const c of zipEntries(entries)) parts.push(c);
      return Buffer.concat(parts);
    };
    const computed = await collect([{ name: 'a.bin', data }]);
    const given = await collect([{ name: 'a.bin', data, crc32: crc32(data) }]);
    expect(given.equals(computed)).toBe(true);
  });
});
