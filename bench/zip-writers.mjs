// Benchmark: zip writers (ours, client-zip, zip.js) writing ~1 GB of ~0.5 MB STORE entries to a
// file in Node, each in its own process so peak RSS is per writer; a raw copy floor runs alongside.
//
//   node bench/zip-writers.mjs [--mb 1024] [--entry-kb 512] [--runs 1] [--sink file|null]
//
// --sink null discards the bytes instead of writing them, to see the writers' own cost.
//
// Our writer is bundled from src/core/package with esbuild into bench/out/ (git-ignored) first.

import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const outDir = join(here, 'out');
const bundle = join(outDir, 'package.mjs');
const args = Object.fromEntries(
  process.argv
    .slice(2)
    .map((a, i, all) => (a.startsWith('--') ? [a.slice(2), all[i + 1]] : undefined))
    .filter(Boolean),
);
const totalBytes = Number(args.mb ?? 1024) * 1024 * 1024;
const entryBytes = Number(args['entry-kb'] ?? 512) * 1024;
const runs = Number(args.runs ?? 1);
const sinkNull = args.sink === 'null';
const FIXED_DATE = new Date(1980, 0, 1, 0, 0, 0);

/** Entries as in-memory Blobs made lazily, each with different bytes, from one 8 MiB random pool. */
async function* makeEntries() {
  const pool = new Uint8Array(8 << 20);
  for (let i = 0; i < pool.length; i += 65536) crypto.getRandomValues(pool.subarray(i, i + 65536));
  const count = Math.ceil(totalBytes / entryBytes);
  for (let i = 0; i < count; i++) {
    const start = (i * 4099) % (pool.length - entryBytes);
    const blob = new Blob([pool.subarray(start, start + entryBytes)]);
    yield {
      name: `P${String(i % 50).padStart(4, '0')}/1/1_CT/${String(i).padStart(5, '0')}.dcm`,
      blob,
    };
  }
}

async function drain(stream, handle) {
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    await handle.write(value);
  }
}

const writers = {
  async 'copy-floor'(handle) {
    for await (const e of makeEntries()) await drain(e.blob.stream(), handle);
  },
  async ours(handle) {
    const { zipStream } = await import(pathToFileURL(bundle).href);
    const entries = (async function* () {
      for await (const e of makeEntries()) yield { name: e.name, data: e.blob };
    })();
    await drain(zipStream(entries, { compression: 'store' }), handle);
  },
  async 'client-zip'(handle) {
    const { makeZip } = await import('client-zip');
    const entries = (async function* () {
      for await (const e of makeEntries())
        yield { name: e.name, input: e.blob, size: e.blob.size, lastModified: FIXED_DATE };
    })();
    await drain(makeZip(entries), handle);
  },
  async 'zip.js'(handle) {
    const { ZipWriter, BlobReader, configure } = await import('@zip.js/zip.js');
    configure({ useWebWorkers: false });
    const writable = new WritableStream({
      write: (chunk) => handle.write(chunk).then(() => undefined),
    });
    const writer = new ZipWriter(writable, {
      level: 0,
      extendedTimestamp: false,
      lastModDate: FIXED_DATE,
      keepOrder: true,
    });
    for await (const e of makeEntries()) await writer.add(e.name, new BlobReader(e.blob));
    await writer.close();
  },
};

async function child(name) {
  const file = join(tmpdir(), `cleanroom-bench-${name}-${process.pid}.zip`);
  const handle = sinkNull
    ? { write: async (b) => ({ bytesWritten: b.length }), close: async () => {} }
    : await open(file, 'w');
  let written = 0;
  const counting = {
    write: (b) => ((written += b.length), handle.write(b)),
    close: () => handle.close(),
  };
  const t0 = performance.now();
  await writers[name](counting);
  await counting.close();
  const seconds = (performance.now() - t0) / 1000;
  const bytes = sinkNull ? written : statSync(file).size;
  let entries = null;
  if (name !== 'copy-floor' && !sinkNull) {
    const py = spawnSync(
      'python3',
      ['-c', 'import sys,zipfile; print(len(zipfile.ZipFile(sys.argv[1]).infolist()))', file],
      {
        encoding: 'utf8',
      },
    );
    entries =
      py.status === 0
        ? Number(py.stdout.trim())
        : `python3 failed: ${py.stderr.trim().split('\n').pop()}`;
  }
  rmSync(file, { force: true });
  const peakRssMB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify({ name, seconds, bytes, entries, peakRssMB }) + '\n');
}

async function main() {
  mkdirSync(outDir, { recursive: true });
  const esbuild = await import('esbuild');
  await esbuild.build({
    entryPoints: [join(here, '..', 'src/core/package/zip.ts')],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    outfile: bundle,
    logLevel: 'warning',
  });
  console.log(
    `zip writers, STORE, ${(totalBytes / 2 ** 30).toFixed(2)} GiB in ${Math.ceil(totalBytes / entryBytes)} entries of ${entryBytes / 1024} KiB, sink ${sinkNull ? 'null' : 'file'}, Node ${process.version}`,
  );
  const results = [];
  for (let r = 0; r < runs; r++) {
    for (const name of Object.keys(writers)) {
      const res = spawnSync(
        process.execPath,
        [fileURLToPath(import.meta.url), '--child', name, ...process.argv.slice(2)],
        {
          encoding: 'utf8',
          maxBuffer: 1 << 20,
        },
      );
      if (res.status !== 0) {
        console.log(`${name}: failed\n${res.stderr}`);
        continue;
      }
      const row = JSON.parse(res.stdout.trim().split('\n').pop());
      results.push(row);
      console.log(
        `${name.padEnd(11)} ${row.seconds.toFixed(2).padStart(6)} s  ${(row.bytes / row.seconds / 2 ** 20).toFixed(0).padStart(5)} MiB/s  peak RSS ${row.peakRssMB.toFixed(0).padStart(5)} MB  entries ${row.entries ?? '-'}`,
      );
    }
  }
}

if (args.child) await child(args.child);
else await main();
