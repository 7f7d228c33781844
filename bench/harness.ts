// Shared parts of every benchmark: a result line the runner collects, peak-memory sampling,
// generated input folders, and the built app in headless Chromium.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';

export interface BenchResult {
  name: string;
  files: number;
  bytes: number;
  seconds: number;
  files_per_s: number;
  mb_per_s: number;
  peak_mb: number;
  floor_mb_per_s: number | null;
  notes?: string;
  /** Further named figures of a benchmark (e.g. long-task counts), kept in bench/results.json. */
  extra?: Record<string, number>;
}

/** Prints one result as a line the runner (scripts/run-bench.mjs) picks up. */
export function report(r: Omit<BenchResult, 'files_per_s' | 'mb_per_s'>): BenchResult {
  const full: BenchResult = {
    ...r,
    files_per_s: round(r.files / r.seconds),
    mb_per_s: round(r.bytes / 1e6 / r.seconds),
    seconds: round(r.seconds, 3),
    peak_mb: round(r.peak_mb),
  };
  console.log(`BENCH ${JSON.stringify(full)}`);
  return full;
}

export function round(x: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** Samples this process's resident set size; `stop()` returns the peak growth in MB over the start. */
export function sampleRss(intervalMs = 20): { stop(): number } {
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      peak = Math.max(peak, process.memoryUsage().rss);
      return (peak - base) / 1e6;
    },
  };
}

export const BENCH_DIR = join(process.cwd(), 'bench', 'out');

/** A fresh, empty scratch folder under bench/out. */
export function scratch(name: string): string {
  const dir = join(BENCH_DIR, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Writes files from an iterable into a folder tree; returns count and bytes. */
export function writeTree(
  dir: string,
  files: Iterable<{ path: string; bytes: Uint8Array }>,
): { files: number; bytes: number } {
  let count = 0;
  let bytes = 0;
  for (const f of files) {
    const target = join(dir, f.path);
    mkdirSync(join(target, '..'), { recursive: true });
    writeFileSync(target, f.bytes);
    count++;
    bytes += f.bytes.byteLength;
  }
  return { files: count, bytes };
}

/** Starts `vite preview` on a free port for the built app; the caller stops it. */
export async function previewApp(port = 4190): Promise<{ url: string; stop(): void }> {
  const child: ChildProcess = spawn(
    process.execPath,
    [
      'node_modules/vite/bin/vite.js',
      'preview',
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--strictPort',
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const url = `http://127.0.0.1:${port}/`;
  for (let i = 0; i < 100; i++) {
    try {
      const r = await fetch(url);
      if (r.ok) break;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, stop: () => child.kill() };
}

export const CHROMIUM_ARGS = ['--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'];
export const chromiumPath = (): string => process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
