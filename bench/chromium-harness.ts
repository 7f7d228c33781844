// Node-side parts of the Chromium benchmarks: a bench page bundled with esbuild, a tiny static
// server for it, a JS-heap sampler over CDP that counts the page and every worker it starts, and an
// RSS sampler of the browser processes.
import { createServer, type Server } from 'node:http';
import {
  copyFileSync,
  createReadStream,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
} from 'node:fs';
import { basename, extname, join, normalize, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import { build, type Plugin } from 'esbuild';
import { writeFile } from 'node:fs/promises';
import { chromium, type BrowserContext, type CDPSession, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumPath, scratch } from './harness';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.dcm': 'application/dicom',
};

/**
 * Vite's `?url` imports (the wasm codecs): the file is copied into `outdir` and the import gives its
 * URL beside the bundle, as Vite does in the app.
 */
function assetUrlPlugin(outdir: string): Plugin {
  return {
    name: 'asset-url',
    setup(b) {
      b.onResolve({ filter: /\?url$/ }, async (args) => {
        const resolved = await b.resolve(args.path.slice(0, -'?url'.length), {
          kind: args.kind,
          resolveDir: args.resolveDir,
          importer: args.importer,
        });
        if (resolved.errors.length > 0) return { errors: resolved.errors };
        return { path: resolved.path, namespace: 'asset-url' };
      });
      b.onLoad({ filter: /.*/, namespace: 'asset-url' }, async (args) => {
        mkdirSync(outdir, { recursive: true });
        copyFileSync(args.path, join(outdir, basename(args.path)));
        const name = JSON.stringify(`./${basename(args.path)}`);
        return { contents: `export default new URL(${name}, import.meta.url).href;`, loader: 'js' };
      });
    },
  };
}

/**
 * Bundles browser entries (ESM, platform browser) into `outdir`, one `<name>.js` per entry. `?url`
 * imports are copied beside them; the codecs' Node-only `require('fs' | 'path')` stays unresolved.
 */
export async function bundleBrowser(
  entries: Record<string, string>,
  outdir: string,
): Promise<void> {
  await build({
    entryPoints: entries,
    outdir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'chrome120',
    sourcemap: true,
    define: { __APP_VERSION__: '"bench"' },
    external: ['fs', 'path', 'crypto', 'module', 'url', 'worker_threads'],
    plugins: [assetUrlPlugin(outdir)],
    logLevel: 'warning',
  });
}

/** Bundles one browser entry into a single classic script (IIFE) and returns its text. */
export async function bundleBrowserScript(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    write: false,
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    define: { __APP_VERSION__: '"bench"' },
    logLevel: 'warning',
  });
  return result.outputFiles[0].text;
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * Serves folders on 127.0.0.1 at a free port: `mounts` maps a URL prefix ('/', '/in/') to a folder.
 * Paths that leave their folder are refused.
 */
export async function serveStatic(
  mounts: Record<string, string>,
): Promise<{ url: string; close(): Promise<void> }> {
  const prefixes = Object.keys(mounts).sort((a, b) => b.length - a.length);
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const prefix = prefixes.find((p) => path.startsWith(p));
    if (!prefix) return void res.writeHead(404).end();
    const root = mounts[prefix];
    const rel = path.slice(prefix.length) || 'index.html';
    const file = normalize(join(root, rel));
    if (!file.startsWith(normalize(root + sep)) && file !== normalize(root))
      return void res.writeHead(403).end();
    let size: number;
    try {
      const st = statSync(file);
      if (!st.isFile()) throw new Error('not a file');
      size = st.size;
    } catch {
      return void res.writeHead(404).end();
    }
    res.writeHead(200, {
      'content-type': MIME[extname(file)] ?? 'application/octet-stream',
      'content-length': size,
      'cache-control': 'no-store',
    });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface HeapSampler {
  /** Peak of (page main-thread JS heap + JS heaps of the page's live workers) since `start`, in MB, over the value at `start`, and the absolute peak. */
  stop(): Promise<{
    peakMb: number;
    peakGrowthMb: number;
    mainPeakMb: number;
    workerPeakMb: number;
    samples: number;
  }>;
}

/**
 * Samples JS heap use over CDP: `Performance.getMetrics` JSHeapUsedSize of the page's main thread
 * plus `Runtime.getHeapUsage` usedSize of each dedicated worker (attached through
 * Target.setAutoAttach in non-flat mode, so Playwright's own sessions are untouched). It counts
 * V8 heap objects only: not ArrayBuffer backing stores, not Blob data, not the renderer's other memory.
 */
export async function startHeapSampler(page: Page, intervalMs = 100): Promise<HeapSampler> {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const workers = new Set<string>();
  const waiting = new Map<number, (used: number) => void>();
  let nextId = 0;
  cdp.on('Target.attachedToTarget', (e) => {
    if (e.targetInfo.type === 'worker') workers.add(e.sessionId);
  });
  cdp.on('Target.detachedFromTarget', (e) => {
    if (e.sessionId) workers.delete(e.sessionId);
  });
  cdp.on('Target.receivedMessageFromTarget', (e) => {
    const message = JSON.parse(e.message) as { id?: number; result?: { usedSize?: number } };
    if (message.id !== undefined) waiting.get(message.id)?.(message.result?.usedSize ?? 0);
  });
  await cdp.send('Target.setAutoAttach', {
    autoAttach: true,
    waitForDebuggerOnStart: false,
    flatten: false,
  });

  const workerHeap = (sessionId: string): Promise<number> =>
    new Promise((resolve) => {
      const id = ++nextId;
      const timer = setTimeout(() => finish(0), 2000);
      const finish = (used: number) => {
        clearTimeout(timer);
        waiting.delete(id);
        resolve(used);
      };
      waiting.set(id, finish);
      cdp
        .send('Target.sendMessageToTarget', {
          sessionId,
          message: JSON.stringify({ id, method: 'Runtime.getHeapUsage' }),
        })
        .catch(() => finish(0));
    });

  const sample = async (): Promise<{ main: number; workers: number }> => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    const main = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0;
    const used = await Promise.all([...workers].map(workerHeap));
    return { main, workers: used.reduce((a, b) => a + b, 0) };
  };

  const base = await sample();
  let peak = base.main + base.workers;
  let mainPeak = base.main;
  let workerPeak = base.workers;
  let samples = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const s = await sample().catch(() => ({ main: 0, workers: 0 }));
      samples++;
      peak = Math.max(peak, s.main + s.workers);
      mainPeak = Math.max(mainPeak, s.main);
      workerPeak = Math.max(workerPeak, s.workers);
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      await cdp.detach().catch(() => undefined);
      return {
        peakMb: peak / 1e6,
        peakGrowthMb: (peak - base.main - base.workers) / 1e6,
        mainPeakMb: mainPeak / 1e6,
        workerPeakMb: workerPeak / 1e6,
        samples,
      };
    },
  };
}

export interface ProcessRssSampler {
  /** Peak summed RSS (MB) of the processes under `rootPid` since `start`, the growth over the start, and the largest single process. */
  stop(): { peakMb: number; peakGrowthMb: number; largestMb: number; samples: number };
}

/** RSS in bytes of every process below `rootPid` (Linux /proc; empty elsewhere). */
function descendantRss(rootPid: number): Map<number, number> {
  const parent = new Map<number, number>();
  const rss = new Map<number, number>();
  let pids: string[] = [];
  try {
    pids = readdirSync('/proc').filter((n) => /^\d+$/.test(n));
  } catch {
    return new Map();
  }
  for (const name of pids) {
    try {
      const status = readFileSync(`/proc/${name}/status`, 'utf8');
      const ppid = /^PPid:\s+(\d+)/m.exec(status);
      const vmRss = /^VmRSS:\s+(\d+) kB/m.exec(status);
      if (ppid) parent.set(Number(name), Number(ppid[1]));
      if (vmRss) rss.set(Number(name), Number(vmRss[1]) * 1024);
    } catch {
      // The process ended while we looked.
    }
  }
  const below = new Map<number, number>();
  for (const pid of rss.keys()) {
    for (let p = parent.get(pid); p !== undefined && p > 1; p = parent.get(p))
      if (p === rootPid) {
        below.set(pid, rss.get(pid)!);
        break;
      }
  }
  return below;
}

/**
 * Samples the resident memory of the browser this Node process started (every process below
 * `rootPid`, by default this one: Chromium's browser, GPU, utility and renderer processes). It
 * counts what the JS-heap sampler does not: ArrayBuffers, Blob data, the renderer's own memory.
 */
export function startProcessRssSampler(rootPid = process.pid, intervalMs = 250): ProcessRssSampler {
  const total = (m: Map<number, number>) => [...m.values()].reduce((a, b) => a + b, 0);
  const first = descendantRss(rootPid);
  const base = total(first);
  let peak = base;
  let largest = Math.max(0, ...first.values());
  let samples = 0;
  const tick = () => {
    const now = descendantRss(rootPid);
    samples++;
    peak = Math.max(peak, total(now));
    largest = Math.max(largest, ...now.values());
  };
  const timer = setInterval(tick, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      tick();
      return {
        peakMb: peak / 1e6,
        peakGrowthMb: (peak - base) / 1e6,
        largestMb: largest / 1e6,
        samples,
      };
    },
  };
}

/** A bench page open in Chromium; `close` ends the browser and the server. */
export interface OpenBenchPage {
  page: Page;
  close(): Promise<void>;
}

/** An on-disk profile, as a person's browser has (OPFS and IndexedDB live on disk); BENCH_INCOGNITO=1 for a fresh in-memory one. */
async function launchBrowser(name: string): Promise<BrowserContext> {
  if (process.env.BENCH_INCOGNITO === '1') {
    const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
    const context = await browser.newContext();
    context.on('close', () => void browser.close());
    return context;
  }
  return chromium.launchPersistentContext(scratch(`chromium-profile-${name}`), {
    executablePath: chromiumPath(),
    args: CHROMIUM_ARGS,
  });
}

/**
 * Bundles `bench/browser/<name>-page.ts` with `workers` (output name → entry), serves it, opens it
 * in Chromium with page errors echoed, and waits until the page has set `window.cleanroomBench`.
 */
export async function openBenchPage(
  name: string,
  workers: Record<string, string>,
): Promise<OpenBenchPage> {
  const site = scratch(`browser-${name}`);
  await bundleBrowser({ [`${name}-page`]: `bench/browser/${name}-page.ts`, ...workers }, site);
  await writeFile(
    join(site, `${name}.html`),
    `<!doctype html><meta charset="utf-8"><title>${name} bench</title><link rel="icon" href="data:,">` +
      `<script type="module" src="./${name}-page.js"></script>\n`,
  );
  const server = await serveStatic({ '/': site });
  const context = await launchBrowser(name);
  const close = async () => {
    await context.close();
    await server.close();
  };
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
    page.on('console', (m) => void (m.type() === 'error' && console.error(`console: ${m.text()}`)));
    await page.goto(`${server.url}${name}.html`);
    await page.waitForFunction(() => 'cleanroomBench' in window);
    return { page, close };
  } catch (error) {
    await close();
    throw error;
  }
}
