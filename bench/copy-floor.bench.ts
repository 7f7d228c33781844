// The raw copy floor: read every file of a generated folder and write it elsewhere, in Node and in
// headless Chromium (OPFS). Every other figure is read against these, measured in the same run.
import { readdirSync, statSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import {
  report,
  sampleRss,
  scratch,
  writeTree,
  previewApp,
  CHROMIUM_ARGS,
  chromiumPath,
} from './harness';
import { benchSlices } from './inputs';

const FILES = Number(process.env.BENCH_FILES ?? 2000);

function listFiles(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listFiles(p, `${prefix}${name}/`));
    else out.push(`${prefix}${name}`);
  }
  return out;
}

async function nodeFloor(): Promise<number> {
  const input = scratch('floor-in');
  const { files, bytes } = writeTree(input, benchSlices(FILES));
  const output = scratch('floor-out');
  const mem = sampleRss();
  const t0 = performance.now();
  for (const rel of listFiles(input)) {
    const target = join(output, rel);
    await mkdir(join(target, '..'), { recursive: true });
    await writeFile(target, await readFile(join(input, rel)));
  }
  const seconds = (performance.now() - t0) / 1000;
  const r = report({
    name: 'copy floor (Node fs)',
    files,
    bytes,
    seconds,
    peak_mb: mem.stop(),
    floor_mb_per_s: null,
  });
  return r.mb_per_s;
}

async function chromiumFloor(): Promise<void> {
  const app = await previewApp();
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    await page.goto(app.url);
    const sizes = [...benchSlices(8)].map((f) => f.bytes);
    const template = Buffer.concat(sizes.map((b) => Buffer.from(b))).toString('base64');
    const result = await page.evaluate(
      async ({ files, template, count }) => {
        const raw = Uint8Array.from(atob(template), (c) => c.charCodeAt(0));
        const each = raw.byteLength / count;
        const root = await navigator.storage.getDirectory();
        const input = await root.getDirectoryHandle('floor-in', { create: true });
        for (let i = 0; i < files; i++) {
          const fh = await input.getFileHandle(`IM${String(i).padStart(5, '0')}.dcm`, {
            create: true,
          });
          const w = await fh.createWritable();
          await w.write(raw.subarray((i % count) * each, ((i % count) + 1) * each));
          await w.close();
        }
        const output = await root.getDirectoryHandle('floor-out', { create: true });
        const t0 = performance.now();
        let bytes = 0;
        let n = 0;
        for await (const [name, handle] of input.entries()) {
          const file = await (handle as FileSystemFileHandle).getFile();
          const out = await output.getFileHandle(name, { create: true });
          const w = await out.createWritable();
          await w.write(await file.arrayBuffer());
          await w.close();
          bytes += file.size;
          n++;
        }
        const seconds = (performance.now() - t0) / 1000;
        // @ts-expect-error Chromium-only memory figure
        const heap = (performance.memory?.usedJSHeapSize ?? 0) / 1e6;
        return { files: n, bytes, seconds, heap };
      },
      { files: FILES, template, count: sizes.length },
    );
    report({
      name: 'copy floor (Chromium OPFS)',
      files: result.files,
      bytes: result.bytes,
      seconds: result.seconds,
      peak_mb: result.heap,
      floor_mb_per_s: null,
      notes: 'peak_mb is the JS heap in use at the end',
    });
  } finally {
    await browser.close();
    app.stop();
  }
}

await nodeFloor();
await chromiumFloor();
