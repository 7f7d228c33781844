// End-to-end export of generated CT slices in headless Chromium with 2 de-identification workers:
// the app's export path (planExport → runExport: worker pool + workers/deid.worker.ts, package
// extras, the streaming zip writer, writeFileAtomically into an OPFS folder, as the directory-picker
// seam hands out), beside the raw read+write floor of the same files in the same page. Prints
// files/s, MB/s, peak JS heap (page + workers) and peak RSS of the browser's processes.
// The export's figure is also given as a share of the floor. BENCH_FILES shrinks the input (default
// 2,000 slices, ~1 GB); BENCH_INCOGNITO=1 keeps OPFS in memory; BENCH_WRITE_MIB compares write sizes.
import { loadavg } from 'node:os';
import type { Page } from '@playwright/test';
import { report, round } from './harness';
import { openBenchPage, startHeapSampler, startProcessRssSampler } from './chromium-harness';
import type { ExportBenchPage } from './browser/export-page';
import { WRITE_BYTES } from '../src/platform/browser/write-output';

const FILES = Number(process.env.BENCH_FILES ?? 2000);
const WORKERS = 2;
const LOAD = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ');

/**
 * BENCH_WRITE_MIB=0,1,4,8 runs the floor and the export once per write size (0: every chunk
 * written as it comes); unset, the writer's default (WRITE_BYTES).
 */
const WRITE_SIZES: (number | undefined)[] = process.env.BENCH_WRITE_MIB
  ? process.env.BENCH_WRITE_MIB.split(',').map((m) => Math.max(1, Number(m) * 1024 * 1024))
  : [undefined];
const sizeLabel = (bytes: number): string =>
  bytes === 1 ? 'each chunk as it comes' : `${bytes / 1024 / 1024} MiB`;
const writesNote = (bytes: number | undefined): string =>
  bytes === undefined
    ? `chunks gathered into writes of ${WRITE_BYTES / 1024 / 1024} MiB`
    : bytes === 1
      ? 'each chunk written as it comes'
      : `chunks gathered into writes of ${sizeLabel(bytes)}`;

type Bench = { cleanroomBench: ExportBenchPage };

type Memory = { heapMb: number; heapGrowthMb: number; rssMb: number; rssGrowthMb: number };

type Method = 'floor' | 'exportPackage';

/** Calls one timed step of the page with both memory samplers around it. */
async function measure<M extends Method>(
  page: Page,
  method: M,
  args: Parameters<ExportBenchPage[M]>,
): Promise<Awaited<ReturnType<ExportBenchPage[M]>> & Memory> {
  const heap = await startHeapSampler(page);
  const rss = startProcessRssSampler();
  const result = await page.evaluate(
    ({ method, args }) => {
      const bench = (window as unknown as Bench).cleanroomBench;
      return (bench[method] as (...a: unknown[]) => Promise<unknown>)(...args);
    },
    { method, args: args as unknown[] },
  );
  const r = rss.stop();
  const h = await heap.stop();
  return {
    ...(result as Awaited<ReturnType<ExportBenchPage[M]>>),
    heapMb: h.peakMb,
    heapGrowthMb: h.peakGrowthMb,
    rssMb: r.peakMb,
    rssGrowthMb: r.peakGrowthMb,
  };
}

const memoryNote = (m: Memory): string =>
  `peak JS heap ${round(m.heapMb)} MB (growth ${round(m.heapGrowthMb)} MB; page + workers, V8 objects only); ` +
  `peak RSS of all browser processes ${round(m.rssMb)} MB (growth ${round(m.rssGrowthMb)} MB)`;

const { page, close } = await openBenchPage('export', {
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
  const indexed = await page.evaluate(
    (paths) => (window as unknown as Bench).cleanroomBench.index(paths),
    paths,
  );
  console.log(
    `wrote and indexed ${indexed} generated slices (${Math.round(bytes / 1e6)} MB) in OPFS in ${((performance.now() - t0) / 1000).toFixed(1)} s (untimed); load average ${LOAD()}`,
  );

  for (const writeBytes of WRITE_SIZES) {
    const size = writeBytes === undefined ? '' : `, writes of ${sizeLabel(writeBytes)}`;
    const floor = await measure(page, 'floor', [writeBytes]);
    await page.evaluate(() => (window as unknown as Bench).cleanroomBench.clear('out-floor'));
    const floorResult = report({
      name: `export floor: read every File + write one file via createWritable (Chromium OPFS${size})`,
      files: floor.files,
      bytes: floor.bytes,
      seconds: floor.seconds,
      peak_mb: floor.heapMb,
      floor_mb_per_s: null,
      notes: `the floor: File.arrayBuffer() on the main thread, 4 reads ahead, streamed through writeFileAtomically (${writesNote(writeBytes)}) into one file, as the export writes its zip, with no de-identification and no zip; ${memoryNote(floor)}; load average ${LOAD()}`,
      extra: { rss_peak_mb: round(floor.rssMb), rss_growth_mb: round(floor.rssGrowthMb) },
    });

    const loadBefore = LOAD();
    const run = await measure(page, 'exportPackage', [WORKERS, writeBytes]);
    await page.evaluate(() => (window as unknown as Bench).cleanroomBench.clear('out-export'));
    if (run.failed > 0) throw new Error(`${run.failed} files failed in the export`);
    if (run.files !== FILES) throw new Error(`the package holds ${run.files} of ${FILES} files`);
    const mbPerS = run.bytes / 1e6 / run.seconds;
    const ratio = Math.round((100 * mbPerS) / floorResult.mb_per_s);
    report({
      name: `export to a zip, ${WORKERS} de-identification workers (Chromium OPFS${size})`,
      files: run.files,
      bytes: run.bytes,
      seconds: run.seconds,
      peak_mb: run.heapMb,
      floor_mb_per_s: Math.round(floorResult.mb_per_s),
      notes: `${round(mbPerS)} MB/s = ${ratio}% of the floor of this run (${floorResult.mb_per_s} MB/s: read every input File and write the same bytes into one OPFS file through the same writeFileAtomically, no de-identification, no zip); planExport + runExport with the real pool and deid worker, package extras (dataset report), manifest, the default recipe (readable paths, no DICOMDIR, 2 GiB volumes), STORE zip (${run.volumes} volume, ${run.entries} entries, ${Math.round(run.bytesOut / 1e6)} MB written) via writeFileAtomically (${writesNote(writeBytes)}) into OPFS; MB/s counts input bytes; ${memoryNote(run)}; load average ${loadBefore} before, ${LOAD()} after`,
      extra: {
        floor_ratio_pct: ratio,
        rss_peak_mb: round(run.rssMb),
        rss_growth_mb: round(run.rssGrowthMb),
        heap_growth_mb: round(run.heapGrowthMb),
        bytes_out: run.bytesOut,
      },
    });
  }
} finally {
  await close();
}
