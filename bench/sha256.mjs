// Benchmark: SHA-256 of a large file-backed Blob, crypto.subtle (reads it whole) vs our incremental
// Sha256 (streams it), with node:crypto streaming as the floor.
//
//   node bench/sha256.mjs [--mb 1024]
//
// Each variant runs in its own process so peak RSS is its own; the input is a temp file.

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, openAsBlob, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const bundle = join(here, 'out', 'sha256.mjs');
const argv = process.argv.slice(2);
const mb = Number(argv[argv.indexOf('--mb') + 1] || 1024);
const child = argv.includes('--child') ? argv[argv.indexOf('--child') + 1] : undefined;
const file = argv.includes('--file')
  ? argv[argv.indexOf('--file') + 1]
  : join(tmpdir(), `cleanroom-sha-bench-${process.pid}.bin`);

async function run(name) {
  const { sha256HexStream } = await import(pathToFileURL(bundle).href);
  const blob = await openAsBlob(file);
  const rssBefore = process.memoryUsage().rss;
  const t0 = performance.now();
  let hex;
  if (name === 'subtle') {
    const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
    hex = Buffer.from(digest).toString('hex');
  } else if (name === 'incremental') {
    hex = await sha256HexStream(blob.stream());
  } else {
    const h = createHash('sha256');
    for await (const c of blob.stream()) h.update(c);
    hex = h.digest('hex');
  }
  const seconds = (performance.now() - t0) / 1000;
  console.log(
    JSON.stringify({
      name,
      seconds,
      hex,
      peakRssMB: process.resourceUsage().maxRSS / 1024,
      rssBeforeMB: rssBefore / 2 ** 20,
    }),
  );
}

if (child) await run(child);
else {
  mkdirSync(join(here, 'out'), { recursive: true });
  const esbuild = await import('esbuild');
  await esbuild.build({
    entryPoints: [join(here, '..', 'src/core/package/sha256.ts')],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    outfile: bundle,
    logLevel: 'warning',
  });
  console.log(`SHA-256 of a ${mb} MiB Blob, Node ${process.version}`);
  const part = new Uint8Array(1 << 20);
  const parts = [];
  for (let i = 0; i < mb; i++) {
    for (let j = 0; j < part.length; j += 65536)
      crypto.getRandomValues(part.subarray(j, j + 65536));
    parts.push(Buffer.from(part));
  }
  writeFileSync(file, Buffer.concat(parts));
  parts.length = 0;
  const hashes = new Set();
  for (const name of ['node-crypto', 'subtle', 'incremental']) {
    const r = spawnSync(
      process.execPath,
      [fileURLToPath(import.meta.url), '--child', name, '--mb', String(mb), '--file', file],
      { encoding: 'utf8' },
    );
    if (r.status !== 0) {
      console.log(`${name}: failed\n${r.stderr}`);
      continue;
    }
    const row = JSON.parse(r.stdout.trim());
    hashes.add(row.hex);
    console.log(
      `${name.padEnd(12)} ${row.seconds.toFixed(2).padStart(6)} s  ${(mb / row.seconds).toFixed(0).padStart(5)} MiB/s  peak RSS ${row.peakRssMB.toFixed(0).padStart(5)} MB`,
    );
  }
  rmSync(file, { force: true });
  console.log(hashes.size === 1 ? 'digests agree' : 'DIGESTS DIFFER');
}
