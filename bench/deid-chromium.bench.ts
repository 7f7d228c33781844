// De-identification of ~0.5 MB CT slices in Chromium Web Workers (the real pool and worker entry),
// 1 and 2 workers, OPFS to OPFS, beside plain-copy floors measured first in the same page.
// The slices (bench/inputs.ts) are generated inside the page's I/O worker and written into OPFS
// untimed. BENCH_FILES shrinks the input (default 2,000 files); BENCH_INCOGNITO=1 uses an
// off-the-record profile (OPFS in memory) instead of an on-disk one.
import { loadavg } from 'node:os';
import type { Page } from '@playwright/test';
import { report } from './harness';
import { openBenchPage, startHeapSampler } from './chromium-harness';
import type { DeidBenchPage, Timed } from './browser/deid-page';

const FILES = Number(process.env.BENCH_FILES ?? 2000);
/** createWritable() is slow in Chromium; its floor runs on at most this many files. */
const WRITABLE_FILES = Math.min(FILES, 300);
const HEAP_NOTE =
  `load average ${loadavg()[0].toFixed(1)} at start; ` +
  'peak_mb: CDP JS heap in use (page main thread + its workers, V8 objects only), peak during the run';

type Bench = { cleanroomBench: DeidBenchPage };

type Method = 'floorWritable' | 'floorSyncWriter' | 'floorWorkerCopy' | 'deid';

/** Calls one timed step of the page with the heap sampler around it. */
async function measure<M extends Method>(
  page: Page,
  method: M,
  args: Parameters<DeidBenchPage[M]>,
): Promise<Awaited<ReturnType<DeidBenchPage[M]>> & { heap: number }> {
  const heap = await startHeapSampler(page);
  const result = await page.evaluate(
    ({ method, args }) => {
      const bench = (window as unknown as Bench).cleanroomBench;
      return (bench[method] as (...a: unknown[]) => Promise<Timed>)(...args);
    },
    { method, args: args as unknown[] },
  );
  const { peakMb } = await heap.stop();
  return { ...(result as Awaited<ReturnType<DeidBenchPage[M]>>), heap: peakMb };
}

async function clear(page: Page, path: string): Promise<void> {
  await page.evaluate((path) => (window as unknown as Bench).cleanroomBench.clear(path), path);
}

const { page, close } = await openBenchPage('deid', {
  'deid.worker': 'workers/deid.worker.ts',
  'opfs-io.worker': 'bench/browser/opfs-io.worker.ts',
});
try {
  const t0 = performance.now();
  const { bytes, paths } = await page.evaluate(
    (count) => (window as unknown as Bench).cleanroomBench.generate(count, 7),
    FILES,
  );
  if (paths.length !== FILES)
    throw new Error(`OPFS holds ${paths.length} files, expected ${FILES}`);
  const seconds = (performance.now() - t0) / 1000;
  console.log(
    `wrote ${FILES} generated slices (${Math.round(bytes / 1e6)} MB) into OPFS in ${seconds.toFixed(1)} s (untimed)`,
  );

  const floors: Array<{ name: string; mbps: number }> = [];
  const floor = async (name: string, notes: string, r: Timed & { heap: number }) => {
    const full = report({
      name,
      files: r.files,
      bytes: r.bytes,
      seconds: r.seconds,
      peak_mb: r.heap,
      floor_mb_per_s: null,
      notes: `${notes}; ${HEAP_NOTE}`,
    });
    floors.push({ name, mbps: full.mb_per_s });
  };
  await floor(
    'copy floor, main-thread createWritable (Chromium OPFS)',
    `read File.arrayBuffer() and write createWritable() on the main thread, 4 in flight; first ${WRITABLE_FILES} files only (slow)`,
    await measure(page, 'floorWritable', [paths.slice(0, WRITABLE_FILES), 4]),
  );
  await clear(page, 'out-writable');
  await floor(
    'copy floor, main-thread read + sync-handle writer worker (Chromium OPFS)',
    'read File.arrayBuffer() on the main thread, transfer to one dedicated worker that writes through FileSystemSyncAccessHandle, 4 in flight (the write path the de-identification runs use)',
    await measure(page, 'floorSyncWriter', [paths, 4]),
  );
  await clear(page, 'out-sync');
  const sameIo = floors[floors.length - 1];
  for (const workers of [2]) {
    await floor(
      `copy floor, sync-handle read + write in ${workers} worker${workers > 1 ? 's' : ''} (Chromium OPFS)`,
      'read and write both through FileSystemSyncAccessHandle inside dedicated workers, 4 files in flight per worker',
      await measure(page, 'floorWorkerCopy', [paths, workers, 4]),
    );
    await clear(page, 'out-copy');
  }
  // The read the app itself can do on a picked folder: a File, read in the worker (no sync handle).
  await floor(
    'copy floor, File read + sync-handle write in 2 workers (Chromium OPFS)',
    'read each File (getFile + FileReaderSync, as the de-identification worker reads a picked file) and write through FileSystemSyncAccessHandle inside 2 dedicated workers, 4 files in flight per worker',
    await measure(page, 'floorWorkerCopy', [paths, 2, 4, 'file']),
  );
  await clear(page, 'out-copy');
  const fileRead = floors[floors.length - 1];
  const best = floors.reduce((a, b) => (b.mbps > a.mbps ? b : a));
  console.log(`fastest floor: ${best.name} at ${best.mbps} MB/s`);

  for (const { workers, checksums } of [
    { workers: 1, checksums: false },
    { workers: 2, checksums: false },
    { workers: 1, checksums: true },
    { workers: 2, checksums: true },
  ]) {
    const r = await measure(page, 'deid', [paths, workers, workers * 2, checksums]);
    // A folder per run: the writer worker keeps the handles of folders it made.
    await clear(page, `out-deid-${workers}${checksums ? '-checksums' : ''}`);
    if (r.failed > 0) throw new Error(`${r.failed} files failed to de-identify`);
    if (!r.checked)
      throw new Error(
        checksums
          ? 'the SHA-256 sent by the worker does not match its output bytes'
          : 'the worker sent checksums it was asked to leave out',
      );
    report({
      name: `de-identify CT slices${checksums ? ' + checksums' : ''}, ${workers} Web Worker${workers > 1 ? 's' : ''} (Chromium OPFS)`,
      files: r.files,
      bytes: r.bytes,
      seconds: r.seconds,
      peak_mb: r.heap,
      floor_mb_per_s: Math.round(best.mbps),
      notes: `File from OPFS posted to the real pool (workers/pool.ts) + workers/deid.worker.ts; output bytes${checksums ? ' + SHA-256 and CRC-32' : ' (no checksums: the header work alone)'} back, written by the sync-handle writer worker; ${workers * 2} in flight; floor = fastest copy above (${best.name}); the same read + write path without de-identification ran at ${sameIo.mbps} MB/s, and File reads + writes alone in 2 workers at ${fileRead.mbps} MB/s; ${HEAP_NOTE}`,
    });
  }
} finally {
  await close();
}
