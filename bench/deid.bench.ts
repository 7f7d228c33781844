// De-identification of ~0.5 MB CT slices in worker_threads (the CLI's workers), 1 and 2 workers:
// read the file as the CLI does (a buffer of its own with room before the bytes), rebuild the
// header, write it in front of the original pixel bytes in that buffer; then the same with the
// SHA-256 and CRC-32 an export adds for the manifest and the zip. Beside the raw read+write floor
// of the same files in the same run.
import { existsSync } from 'node:fs';
import { readFile, readdir, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { report, sampleRss, scratch, writeTree } from './harness';
import { benchSlices } from './inputs';
import { createNodePool } from '../workers/node-pool';
import { transferListOf } from '../workers/file-source';
import { readFileWithRoom } from '../src/platform/node/read-file-with-room';
import type { DeidSetup, DeidWorkerApi } from '../workers/deid-api';
import { defaultRecipe } from '../src/core/profile/recipe';

const FILES = Number(process.env.BENCH_FILES ?? 2000);
const WORKER = 'dist-cli/deid.node-worker.mjs';
if (!existsSync(WORKER)) throw new Error('build the CLI first: npm run build');

const input = scratch('deid-in');
const { files, bytes } = writeTree(input, benchSlices(FILES));
const paths = (await readdir(input, { recursive: true, withFileTypes: true }))
  .filter((d) => d.isFile())
  .map((d) => join(d.parentPath, d.name))
  .sort();

const floorOut = scratch('deid-floor');
let t0 = performance.now();
for (const [i, p] of paths.entries())
  await writeFile(join(floorOut, `${i}.dcm`), await readFile(p));
const floorSeconds = (performance.now() - t0) / 1000;
const floor = bytes / 1e6 / floorSeconds;
report({
  name: 'read+write floor (Node)',
  files,
  bytes,
  seconds: floorSeconds,
  peak_mb: 0,
  floor_mb_per_s: null,
});

const recipe = defaultRecipe();
const setup: DeidSetup = {
  id: 'bench',
  options: recipe.deid.options,
  secret: new Uint8Array(32).fill(7).buffer,
};
const RUNS = [
  { workers: 1, checksums: false },
  { workers: 2, checksums: false },
  { workers: 1, checksums: true },
  { workers: 2, checksums: true },
];
for (const { workers, checksums } of RUNS) {
  const pool = createNodePool<DeidWorkerApi>(pathToFileURL(WORKER), {
    size: workers,
    idleTimeoutMs: 0,
  });
  // Warm-up: start the threads and compile the profile once, outside the timed part.
  await Promise.all(
    Array.from({ length: workers }, async () => {
      const source = (await readFile(paths[0])).buffer as ArrayBuffer;
      await pool.call(
        'deidentifyFile',
        [
          {
            setup,
            fileId: 'warm',
            source,
            pseudonym: 'P',
            dateShiftDays: -1,
            identifiers: [],
            output: true,
          },
        ],
        [source],
      );
    }),
  );
  const out = scratch(`deid-out-${workers}`);
  await mkdir(out, { recursive: true });
  const mem = sampleRss();
  t0 = performance.now();
  let next = 0;
  let failed = 0;
  await Promise.all(
    Array.from({ length: workers * 2 }, async () => {
      while (next < paths.length) {
        const i = next++;
        const source = await readFileWithRoom(paths[i]);
        const r = await pool.call(
          'deidentifyFile',
          [
            {
              setup,
              fileId: String(i),
              source,
              pseudonym: 'SITE-000001',
              dateShiftDays: -100,
              identifiers: [],
              output: true,
              checksums,
            },
          ],
          transferListOf(source),
        );
        if (r.ok && r.output) await writeFile(join(out, `${i}.dcm`), r.output.bytes);
        else failed++;
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  pool.terminate();
  if (failed > 0) throw new Error(`${failed} files failed`);
  report({
    name: `de-identify CT slices${checksums ? ' + checksums' : ''}, ${workers} worker thread${workers > 1 ? 's' : ''} (Node)`,
    files,
    bytes,
    seconds,
    peak_mb: mem.stop(),
    floor_mb_per_s: Math.round(floor),
    notes: checksums
      ? 'as above, plus the SHA-256 and CRC-32 of each written file (what an export needs)'
      : 'read with room, rebuild header, write it in front of the original pixel bytes, write file',
  });
}
