// `cleanroom verify` of a package the real export pipeline made from generated ~0.5 MB CT slices
// (2,000 by default, ~1 GB): MB/s and peak RSS with 2 workers, checks alone (--no-ocr) and with
// OCR, beside the raw copy floor of the same package measured in the same run; OCR images/s apart.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { report, scratch, writeTree } from './harness';
import { benchSlices } from './inputs';

const FILES = Number(process.env.BENCH_FILES ?? 2000);
/** The built CLI (npm run build:cli); another build folder can be named for side-by-side runs. */
const CLI = process.env.CLEANROOM_CLI ?? 'dist-cli/cleanroom.mjs';
const WORKERS = 2;

async function copyFloor(input: string): Promise<{ bytes: number; mbPerS: number }> {
  const output = scratch('verify-floor-out');
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
  return { bytes, mbPerS: bytes / 1e6 / ((performance.now() - t0) / 1000) };
}

function rssOf(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

async function runCli(
  args: string[],
): Promise<{ seconds: number; peakMb: number; code: number; stdout: string }> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let stdout = '';
  child.stderr.on('data', (d) => (stderr += d));
  child.stdout.on('data', (d) => (stdout += d));
  let peak = 0;
  const timer = setInterval(() => (peak = Math.max(peak, rssOf(child.pid!))), 25);
  const code: number = await new Promise((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
  clearInterval(timer);
  if (code > 1) process.stderr.write(stderr.slice(-2000));
  return { seconds: (performance.now() - t0) / 1000, peakMb: peak, code, stdout };
}

interface VerifyJson {
  verdict: string;
  failedChecks: string[];
  bytes: number;
  checksSeconds: number;
  ocr: { state: string; images: number; seconds: number };
}

if (!existsSync(CLI)) throw new Error(`build the CLI first (npm run build:cli): ${CLI}`);
const input = scratch('verify-in');
const { files } = writeTree(input, benchSlices(FILES));
const pkg = scratch('verify-pkg');
const secret = join(scratch('verify-secret'), 'secret.hex');
await writeFile(secret, 'ab'.repeat(32));
const made = await runCli([
  'export',
  input,
  '--out',
  pkg,
  '--key-out',
  `${pkg}-key`,
  '--secret-file',
  secret,
  '--workers',
  String(WORKERS),
  '--quiet',
]);
if (made.code !== 0) throw new Error(`cleanroom export exited with ${made.code}`);
const zips = (await readdir(pkg)).filter((f) => f.endsWith('.zip')).map((f) => join(pkg, f));

const floor = await copyFloor(pkg);
report({
  name: 'copy floor (Node, the package zips)',
  files: zips.length,
  bytes: floor.bytes,
  seconds: floor.bytes / 1e6 / floor.mbPerS,
  peak_mb: 0,
  floor_mb_per_s: null,
});

const out = scratch('verify-report');
for (const ocr of [false, true]) {
  const r = await runCli([
    'verify',
    ...zips,
    '--report',
    join(out, `report-${ocr ? 'ocr' : 'no-ocr'}.json`),
    '--workers',
    String(WORKERS),
    '--json',
    '--quiet',
    ...(ocr ? [] : ['--no-ocr']),
  ]);
  if (r.code > 1) throw new Error(`cleanroom verify exited with ${r.code}`);
  const json = JSON.parse(r.stdout.trim().split('\n').pop()!) as VerifyJson;
  if (json.verdict !== 'pass')
    process.stderr.write(`verify: the package failed ${json.failedChecks.join(', ')}\n`);
  report({
    name: `CLI verify, ${WORKERS} workers, ${ocr ? `checks + OCR of ${json.ocr.images} images` : 'checks only (--no-ocr)'}`,
    files,
    bytes: json.bytes,
    seconds: r.seconds,
    peak_mb: r.peakMb,
    floor_mb_per_s: Math.round(floor.mbPerS),
    notes: `peak_mb is the whole process RSS (tesseract threads included); checks took ${json.checksSeconds.toFixed(1)} s`,
  });
  if (ocr)
    report({
      name: `OCR alone, ${WORKERS} workers (images, every frame)`,
      files: json.ocr.images,
      bytes: 0,
      seconds: json.ocr.seconds,
      peak_mb: r.peakMb,
      floor_mb_per_s: null,
      notes: 'files_per_s is OCR images/s, engine start included',
      extra: { ocr_images_per_s: json.ocr.images / json.ocr.seconds },
    });
}
