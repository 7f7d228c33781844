// The Review step's dry run over 10,000 generated ~0.5 MB CT slices in 2 worker threads (the CLI's
// workers; the page's Web Workers run the same worker code): files/s, MB/s and peak memory, beside
// the read floor and the copy floor of the same files in the same run; then the time to open the
// stored dump as the Review screen does (parse, group by element, count what needs a person), for
// this run's dump and for 50,000 distinct values.
import { existsSync } from 'node:fs';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { report, round, sampleRss, scratch, writeTree } from './harness';
import { benchSlices } from './inputs';
import { createNodePool } from '../workers/node-pool';
import type { DeidSetup, DeidWorkerApi } from '../workers/deid-api';
import { defaultRecipe } from '../src/core/profile/recipe';
import { nameTokens } from '../src/core/deid/tokens';
import type { InstanceRow } from '../src/core/inventory';
import type { DumpRow } from '../src/core/review/dump';
import { runDryRun } from '../src/pipeline/dump';
import type { PatientPlan, PlannedFile } from '../src/pipeline/plan';
import { DecisionBook, orderByElement } from '../src/ui/state/review-list';

const FILES = Number(process.env.BENCH_FILES ?? 10_000);
const WORKERS = 2;
const WORKER = 'dist-cli/deid.node-worker.mjs';
if (!existsSync(WORKER)) throw new Error('build the CLI first: npm run build');

const input = scratch('dryrun-in');
const { files, bytes } = writeTree(input, benchSlices(FILES));
const paths = (await readdir(input, { recursive: true, withFileTypes: true }))
  .filter((d) => d.isFile())
  .map((d) => join(d.parentPath, d.name))
  .sort();

// Floors: a plain read of every file (all a dry run needs), and a read + write copy.
let t0 = performance.now();
for (const p of paths) await readFile(p);
const readSeconds = (performance.now() - t0) / 1000;
report({
  name: 'read floor (Node)',
  files,
  bytes,
  seconds: readSeconds,
  peak_mb: 0,
  floor_mb_per_s: null,
});
const copyOut = scratch('dryrun-copy');
t0 = performance.now();
for (const [i, p] of paths.entries()) await writeFile(join(copyOut, `${i}.dcm`), await readFile(p));
const copySeconds = (performance.now() - t0) / 1000;
const copyFloor = bytes / 1e6 / copySeconds;
report({
  name: 'copy floor (Node)',
  files,
  bytes,
  seconds: copySeconds,
  peak_mb: 0,
  floor_mb_per_s: null,
});
scratch('dryrun-copy');

const recipe = defaultRecipe();
const setup: DeidSetup = {
  id: 'bench-dryrun',
  options: recipe.deid.options,
  allowList: recipe.deid.allowList,
  secret: new Uint8Array(32).fill(7).buffer,
};
const patient: PatientPlan = {
  key: 'bench',
  pseudonym: 'SITE-000001',
  n: 1,
  dateShiftDays: -100,
  tokens: nameTokens('BENCHMARK^PHANTOM').map((token) => ({
    token,
    kind: 'name',
    source: 'PatientName',
  })),
};
const planned: PlannedFile[] = paths.map((p, i) => ({
  file: {
    fileId: String(i),
    row: { fileSize: 0 } as unknown as InstanceRow,
    read: async () => (await readFile(p)).buffer as ArrayBuffer,
  },
  patient,
  entryPath: `SITE-000001/1/1/${String(i + 1).padStart(5, '0')}.dcm`,
  studyIndex: 1,
}));

const pool = createNodePool<DeidWorkerApi>(pathToFileURL(WORKER), {
  size: WORKERS,
  idleTimeoutMs: 0,
});
// Warm-up outside the timed part: start the threads, compile the profile.
await runDryRun({
  planned: planned.slice(0, WORKERS * 2),
  setup,
  deid: (job) => pool.call('deidentifyFile', [job]),
  window: WORKERS * 2,
});
const mem = sampleRss();
t0 = performance.now();
const dry = await runDryRun({
  planned,
  setup,
  deid: (job) =>
    pool.call('deidentifyFile', [job], job.source instanceof ArrayBuffer ? [job.source] : []),
  window: WORKERS * 2,
});
const seconds = (performance.now() - t0) / 1000;
const peak = mem.stop();
pool.terminate();
if (dry.failures.length > 0) throw new Error(`${dry.failures.length} files failed`);
report({
  name: `dry run, ${WORKERS} worker threads (Node)`,
  files,
  bytes,
  seconds,
  peak_mb: peak,
  floor_mb_per_s: Math.round(copyFloor),
  notes: `read, de-identify, gather values; ${dry.rows.length} distinct values; nothing written`,
  extra: { distinct_values: dry.rows.length },
});

/** What the Review screen does with the stored dump: parse, group by element, count. */
function openDump(text: string): { ms: number; rows: number } {
  const t = performance.now();
  const dump = JSON.parse(text) as { rows: DumpRow[] };
  const ordered = orderByElement(dump.rows);
  new DecisionBook(new Map()).counts(ordered);
  return { ms: performance.now() - t, rows: ordered.length };
}

function synthetic(n: number): DumpRow[] {
  return Array.from({ length: n }, (_, i) => ({
    path: `(0009,10${String(i % 97).padStart(2, '0')}) "BENCH"`,
    vr: i % 3 === 0 ? 'LO' : 'DS',
    value: `value ${i} of a benchmark`,
    count: 1 + (i % 7),
    risk: i % 10 === 0 ? 'high' : 'medium',
    reason: 'private element: content unknown to the standard',
    score: 30,
    examples: [`SITE-000001/1/1/${i}.dcm`],
  })) as DumpRow[];
}

for (const [label, rows] of [
  ['this dry run', dry.rows],
  ['50,000 values', synthetic(50_000)],
] as const) {
  const text = JSON.stringify({ version: 1, rows });
  const open = openDump(text);
  report({
    name: `open the dump (${label}: ${open.rows} values)`,
    files: open.rows,
    bytes: text.length,
    seconds: open.ms / 1000,
    peak_mb: 0,
    floor_mb_per_s: null,
    notes: 'JSON.parse + group by element + count values that need a person',
    extra: { open_ms: round(open.ms) },
  });
}
scratch('dryrun-in');
