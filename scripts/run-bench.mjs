// Runs every bench/*.bench.ts (bundled with esbuild) in its own Node process, prints a table and
// writes bench/results.json. `npm run bench -- copy-floor` runs only the benchmarks whose name matches.
import { build } from 'esbuild';
import { readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const filter = process.argv[2];
const benches = readdirSync('bench')
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => !filter || f.includes(filter))
  .sort();
mkdirSync('bench/out', { recursive: true });
const results = [];
for (const file of benches) {
  const outfile = `bench/out/${file.replace(/\.ts$/, '.mjs')}`;
  await build({
    entryPoints: [`bench/${file}`],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    define: { __APP_VERSION__: '"bench"' },
    logLevel: 'warning',
  });
  process.stderr.write(`running ${file}\n`);
  const run = spawnSync(process.execPath, ['--expose-gc', outfile], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  for (const line of run.stdout.split('\n')) {
    if (line.startsWith('BENCH ')) results.push(JSON.parse(line.slice(6)));
    else if (line.trim()) process.stderr.write(`  ${line}\n`);
  }
  if (run.status !== 0) {
    process.stderr.write(`${file} failed with exit code ${run.status}\n`);
    process.exitCode = 1;
  }
}
const cols = [
  'name',
  'files',
  'bytes',
  'seconds',
  'files_per_s',
  'mb_per_s',
  'peak_mb',
  'floor_mb_per_s',
];
const rows = results.map((r) =>
  cols.map((c) => (r[c] === null || r[c] === undefined ? '-' : String(r[c]))),
);
const widths = cols.map((c, i) => Math.max(c.length, ...rows.map((r) => r[i].length)));
const fmt = (cells) =>
  cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
console.log(fmt(cols));
for (const r of rows) console.log(fmt(r));
writeFileSync('bench/results.json', JSON.stringify(results, null, 2) + '\n');
console.log(`\nwrote bench/results.json (${results.length} results)`);
