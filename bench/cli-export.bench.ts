// The CLI export of generated ~0.5 MB CT slices with 1 and 2 worker threads: files/s, MB/s and peak
// RSS of the whole process, beside the raw copy floor of the same folder measured in the same run.
import { spawn } from 'node:child_process';
import { readFileSync, existsSync } from 'node:fs';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { report, scratch, writeTree } from './harness';
import { benchSlices } from './inputs';

const FILES = Number(process.env.BENCH_FILES ?? 2000);
const CLI = 'dist-cli/cleanroom.mjs';

async function copyFloor(input: string): Promise<number> {
  const output = scratch('cli-floor-out');
  const t0 = performance.now();
  let bytes = 0;
  for (const dir of await readdir(input, { recursive: true, withFileTypes: true })) {
    if (!dir.isFile()) continue;
    const from = join(dir.parentPath, dir.name);
    const to = join(output, from.slice(input.length));
    await mkdir(join(to, '..'), { recursive: true });
    const data = await readFile(from);
    bytes += data.byteLength;
    await writeFile(to, data);
  }
  return bytes / 1e6 / ((performance.now() - t0) / 1000);
}

function rssOf(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

async function runCli(args: string[]): Promise<{ seconds: number; peakMb: number; code: number }> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  let peak = 0;
  const timer = setInterval(() => (peak = Math.max(peak, rssOf(child.pid!))), 25);
  const code: number = await new Promise((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
  clearInterval(timer);
  if (code !== 0) process.stderr.write(stderr.slice(-2000));
  return { seconds: (performance.now() - t0) / 1000, peakMb: peak, code };
}

if (!existsSync(CLI)) throw new Error('build the CLI first: npm run build');
const input = scratch('cli-in');
const { files, bytes } = writeTree(input, benchSlices(FILES));
const floor = await copyFloor(input);
report({
  name: 'copy floor (Node, CLI input)',
  files,
  bytes,
  seconds: bytes / 1e6 / floor,
  peak_mb: 0,
  floor_mb_per_s: null,
});
const secret = join(scratch('cli-secret'), 'secret.hex');
await writeFile(secret, 'ab'.repeat(32));
for (const workers of [1, 2]) {
  const out = scratch(`cli-out-${workers}`);
  const r = await runCli([
    'export',
    input,
    '--out',
    out,
    '--key-out',
    `${out}-key`,
    '--secret-file',
    secret,
    '--workers',
    String(workers),
    '--quiet',
  ]);
  if (r.code !== 0) throw new Error(`cleanroom export exited with ${r.code}`);
  report({
    name: `CLI export, ${workers} worker${workers > 1 ? 's' : ''} (scan + de-id + zip)`,
    files,
    bytes,
    seconds: r.seconds,
    peak_mb: r.peakMb,
    floor_mb_per_s: Math.round(floor),
    notes: 'peak_mb is the whole process RSS',
  });
}
