// Scanning 10,000 small generated files in the real built app (dist/ or CLEANROOM_OUT, `vite preview`) in Chromium
// with 2 scan workers: files/s, MB/s, peak JS heap and main-thread long tasks, beside the raw OPFS
// read floor of the same files in the same page. BENCH_SCAN_FILES (or BENCH_FILES) changes the count.
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { chromium, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumPath, previewApp, report, round, scratch } from './harness';
import { bundleBrowserScript, freePort, startHeapSampler } from './chromium-harness';
import { SCAN_SERIES } from './scan-inputs';

const FILES = Number(process.env.BENCH_SCAN_FILES ?? process.env.BENCH_FILES ?? 10_000);
/** The OPFS folder the picker seam hands out, as in e2e/fixtures.ts. */
const PICKED_INPUT = 'picked-input';
const WORKERS = 2;
/** BENCH_SCAN_TIMEOUT_S for a loaded machine. */
const SCAN_TIMEOUT_MS = Number(process.env.BENCH_SCAN_TIMEOUT_S ?? 170) * 1000;
const HEAP_NOTE =
  `load average ${loadavg()[0].toFixed(1)} at start; ` +
  'peak_mb: CDP JS heap in use (page main thread + its workers, V8 objects only), peak during the run';

/** A long animation frame's longest scripts, for finding what blocked the main thread. */
interface FrameScript {
  invoker: string;
  source: string;
  position: number;
  duration: number;
}

interface Probe {
  longTasks: Array<{ start: number; duration: number }>;
  frames: Array<{ start: number; duration: number; scripts: FrameScript[] }>;
  start?: number;
  end?: number;
}

/**
 * Runs in every page before its scripts: the picker seam (showDirectoryPicker answers with an OPFS
 * folder), a fixed hardwareConcurrency so the app's pool (max(2, hardwareConcurrency)) has `workers`
 * workers, a long-task observer, and the scan's start (the click) and end (the Inventory heading).
 */
function installScanProbe({ input, workers }: { input: string; workers: number }): void {
  const w = window as unknown as Record<string, unknown>;
  Object.defineProperty(Navigator.prototype, 'hardwareConcurrency', {
    configurable: true,
    get: () => workers,
  });
  w.showDirectoryPicker = async () =>
    (await navigator.storage.getDirectory()).getDirectoryHandle(input, { create: true });
  const probe: Probe = { longTasks: [], frames: [] };
  w.__scanProbe = probe;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries())
      probe.longTasks.push({ start: entry.startTime, duration: entry.duration });
  }).observe({ type: 'longtask', buffered: true });
  // Long animation frames name the scripts that ran in them (not in TypeScript's DOM lib yet).
  type Script = {
    invoker: string;
    sourceURL: string;
    sourceCharPosition: number;
    duration: number;
  };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries() as unknown as Array<
      PerformanceEntry & { scripts: Script[] }
    >) {
      if (entry.duration <= 200) continue;
      const scripts = [...entry.scripts]
        .sort((a, b) => b.duration - a.duration)
        .slice(0, 3)
        .map((x) => ({
          invoker: x.invoker,
          source: x.sourceURL,
          position: x.sourceCharPosition,
          duration: x.duration,
        }));
      probe.frames.push({ start: entry.startTime, duration: entry.duration, scripts });
    }
  }).observe({ type: 'long-animation-frame', buffered: true });
  document.addEventListener(
    'click',
    (event) => {
      const button = (event.target as Element | null)?.closest?.('button');
      if (button?.textContent?.trim() === 'Choose a folder' && probe.start === undefined)
        probe.start = performance.now();
    },
    true,
  );
  new MutationObserver(() => {
    if (probe.start === undefined || probe.end !== undefined) return;
    for (const h1 of document.querySelectorAll('h1'))
      if (h1.textContent?.trim() === 'Inventory') probe.end = performance.now();
  }).observe(document, { childList: true, subtree: true });
}

/** The floor: walk the folder as the app does and read every file's bytes once, 32 reads in flight. */
async function readFloor(page: Page): Promise<{ files: number; bytes: number; seconds: number }> {
  return page.evaluate(async (input) => {
    const root = await (await navigator.storage.getDirectory()).getDirectoryHandle(input);
    const inFlight = new Set<Promise<void>>();
    let files = 0;
    let bytes = 0;
    const walk = async (dir: FileSystemDirectoryHandle): Promise<void> => {
      const entries: Array<[string, FileSystemDirectoryHandle | FileSystemFileHandle]> = [];
      for await (const entry of dir.entries()) entries.push(entry);
      entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      for (const [, handle] of entries) {
        if (handle.kind === 'directory') {
          await walk(handle as FileSystemDirectoryHandle);
          continue;
        }
        const file = await (handle as FileSystemFileHandle).getFile();
        const read: Promise<void> = file
          .arrayBuffer()
          .then((b) => {
            files++;
            bytes += b.byteLength;
          })
          .finally(() => inFlight.delete(read));
        inFlight.add(read);
        if (inFlight.size >= 32) await Promise.race(inFlight);
      }
    };
    const t0 = performance.now();
    await walk(root);
    await Promise.all(inFlight);
    return { files, bytes, seconds: (performance.now() - t0) / 1000 };
  }, PICKED_INPUT);
}

/** The built app: dist/, or CLEANROOM_OUT's folder (as the build and `vite preview` read it). */
const OUT = process.env.CLEANROOM_OUT || 'dist';
if (!existsSync(`${OUT}/index.html`)) {
  throw new Error(
    `${OUT}/ is missing: build the app first with \`npm run build\` (or \`CLEANROOM_OUT=${OUT} npx vite build\`)`,
  );
}
const fillWorker = await bundleBrowserScript('bench/browser/scan-fill.worker.ts');
const app = await previewApp(await freePort());
const context = await chromium.launchPersistentContext(scratch('chromium-profile-scan'), {
  executablePath: chromiumPath(),
  args: CHROMIUM_ARGS,
});
try {
  if (
    !(await fetch(app.url)
      .then((r) => r.ok)
      .catch(() => false))
  )
    throw new Error(`vite preview did not answer at ${app.url}`);
  await context.addInitScript(installScanProbe, { input: PICKED_INPUT, workers: WORKERS });
  // A same-origin page without the app's CSP, so the fill worker can start from a Blob URL. It is
  // loaded before the app, so the app's service worker is not installed yet and cannot answer it.
  await context.route(`${app.url}__bench/fill`, (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: '<!doctype html><title>fill</title><link rel="icon" href="data:,">',
    }),
  );
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
  page.on('console', (m) => void (m.type() === 'error' && console.error(`console: ${m.text()}`)));

  await page.goto(`${app.url}__bench/fill`);
  let t0 = performance.now();
  const filled = await page.evaluate(
    ({ code, folder, count, of }) =>
      Promise.all(
        Array.from(
          { length: of },
          (_, share) =>
            new Promise<{ files: number; bytes: number }>((resolve, reject) => {
              const worker = new Worker(
                URL.createObjectURL(new Blob([code], { type: 'text/javascript' })),
              );
              worker.onmessage = (e) =>
                e.data.ok ? resolve(e.data) : reject(new Error(e.data.error));
              worker.onerror = (e) => reject(new Error(e.message));
              worker.postMessage({ folder, count, share, of });
            }),
        ),
      ).then((parts) =>
        parts.reduce((a, b) => ({ files: a.files + b.files, bytes: a.bytes + b.bytes })),
      ),
    { code: fillWorker, folder: PICKED_INPUT, count: FILES, of: 2 },
  );
  console.log(
    `wrote ${filled.files} generated files (${round(filled.bytes / 1e6)} MB) into OPFS in ${((performance.now() - t0) / 1000).toFixed(1)} s (untimed)`,
  );

  await page.goto(app.url);
  const choose = page.getByRole('button', { name: 'Choose a folder' });
  await choose.waitFor({ timeout: 30_000 });

  let heap = await startHeapSampler(page);
  const floor = await readFloor(page);
  const floorHeap = await heap.stop();
  if (floor.files !== FILES)
    throw new Error(`the read floor found ${floor.files} files in OPFS, expected ${FILES}`);
  const floorResult = report({
    name: `read floor, ${FILES} small files, main thread (Chromium OPFS)`,
    files: floor.files,
    bytes: floor.bytes,
    seconds: floor.seconds,
    peak_mb: floorHeap.peakMb,
    floor_mb_per_s: null,
    notes: `walk the folder (sorted, as the app does) + File.arrayBuffer() of every file, 32 reads in flight, in the app's page; ${HEAP_NOTE}`,
  });

  heap = await startHeapSampler(page);
  t0 = performance.now();
  await choose.click();
  const inventory = page.getByRole('heading', { name: 'Inventory', level: 1 });
  const failure = page.getByRole('alert');
  const outcome = await Promise.race([
    inventory.waitFor({ timeout: SCAN_TIMEOUT_MS }).then(() => 'done' as const),
    failure.waitFor({ timeout: SCAN_TIMEOUT_MS }).then(() => 'alert' as const),
  ]).catch(() => 'timeout' as const);
  if (outcome !== 'done') {
    const progress = await page
      .getByRole('region', { name: /Scanning|Building the inventory|Getting the files ready/ })
      .innerText()
      .catch(() => '(no progress shown)');
    const alert = outcome === 'alert' ? await failure.innerText() : '';
    throw new Error(
      outcome === 'alert'
        ? `the scan ended with an error: ${alert}`
        : `the Inventory screen did not appear within ${SCAN_TIMEOUT_MS / 1000} s after "Choose a folder"; progress: ${progress.replace(/\s+/g, ' ')}`,
    );
  }
  const wallSeconds = (performance.now() - t0) / 1000;
  // Let the Inventory's first render finish inside the long-task window.
  await page.waitForTimeout(1000);
  const scanHeap = await heap.stop();
  const probe = await page.evaluate(
    () => (window as unknown as { __scanProbe: Probe }).__scanProbe,
  );
  if (probe.start === undefined || probe.end === undefined)
    throw new Error('the scan probe saw no click or no Inventory heading');
  const windowEnd = probe.end + 1000;
  const during = probe.longTasks.filter(
    (t) => t.start + t.duration >= probe.start! && t.start <= windowEnd,
  );
  const over200 = during.filter((t) => t.duration > 200);
  const longest = during.reduce((m, t) => Math.max(m, t.duration), 0);
  // The scan proper (click to the Inventory heading) apart from the Inventory's first render after it.
  const summarize = (tasks: typeof during) =>
    `longest ${Math.round(tasks.reduce((m, t) => Math.max(m, t.duration), 0))} ms, ` +
    `${tasks.filter((t) => t.duration > 200).length} over 200 ms, ${tasks.length} over 50 ms`;
  const scanning = during.filter((t) => t.start <= probe.end!);
  const rendering = during.filter((t) => t.start > probe.end!);
  const at = (t: { start: number; duration: number }) =>
    `${Math.round(t.duration)} ms at +${((t.start - probe.start!) / 1000).toFixed(1)} s`;
  console.log(
    `main-thread long tasks from the click to 1 s after the Inventory heading: ${summarize(during)} ` +
      `(scan: ${summarize(scanning)}; Inventory's first render: ${summarize(rendering)}; ` +
      `load average ${loadavg()[0].toFixed(1)} at the end)`,
  );
  for (const t of over200) console.log(`  task over 200 ms: ${at(t)}`);
  for (const frame of probe.frames.filter(
    (f) => f.start + f.duration >= probe.start! && f.start <= windowEnd,
  )) {
    const scripts = frame.scripts.map(
      (x) =>
        `${x.invoker} ${x.source.replace(app.url, '/')}@${x.position} (${Math.round(x.duration)} ms)`,
    );
    console.log(`long animation frame ${at(frame)}: ${scripts.join('; ') || 'no script named'}`);
  }

  const instances = page.getByRole('group', { name: 'Instances' });
  const expected = new RegExp(`^Instances\\s*${FILES}\\s*found`);
  const counted = await instances
    .filter({ hasText: expected })
    .waitFor({ timeout: 30_000 })
    .then(() => true)
    .catch(() => false);
  if (!counted)
    throw new Error(
      `the Inventory does not show ${FILES} instances found: ${(await instances.innerText().catch(() => '?')).replace(/\s+/g, ' ')}`,
    );

  const seconds = (probe.end - probe.start) / 1000;
  report({
    name: `scan ${FILES} small files, ${WORKERS} Web Workers (built app, Chromium OPFS)`,
    files: FILES,
    bytes: floor.bytes,
    seconds,
    peak_mb: scanHeap.peakMb,
    floor_mb_per_s: Math.round(floorResult.mb_per_s),
    notes:
      `click on "Choose a folder" (picker seam: OPFS folder) to the Inventory heading, measured in the page (${round(wallSeconds, 2)} s seen from Node); ` +
      `main-thread long tasks from the click to 1 s after: ${over200.length} over 200 ms${over200.length ? ` (${over200.slice(0, 5).map(at).join(', ')})` : ''}, longest ${Math.round(longest)} ms, ${during.length} over 50 ms ` +
      `(scan: ${summarize(scanning)}; Inventory's first render: ${summarize(rendering)}); ` +
      `${SCAN_SERIES} CT series of 64x64 slices in patient-N/ folders; the app's pool has ${WORKERS} scan workers; ${HEAP_NOTE}`,
    extra: {
      long_tasks_over_200ms: over200.length,
      longest_task_ms: Math.round(longest),
      long_tasks_over_50ms: during.length,
      scan_longest_task_ms: Math.round(scanning.reduce((m, t) => Math.max(m, t.duration), 0)),
      scan_long_tasks_over_200ms: scanning.filter((t) => t.duration > 200).length,
      render_longest_task_ms: Math.round(rendering.reduce((m, t) => Math.max(m, t.duration), 0)),
    },
  });
} finally {
  await context.close();
  app.stop();
}
