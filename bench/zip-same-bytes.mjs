// Check (not a speed figure): the zip writer gives the same bytes in Node and in Chromium, for
// STORE, and reports whether deflate happens to match too. Uses Debian's Chromium (or CHROMIUM_PATH).
//
//   node bench/zip-same-bytes.mjs

import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const outDir = join(here, 'out');
mkdirSync(outDir, { recursive: true });
const esbuild = await import('esbuild');
// The page is about:blank, not a secure context, so crypto.subtle is absent there: hash with our Sha256.
const stdin = {
  contents: "export * from './zip'; export { Sha256 } from './sha256';",
  resolveDir: join(here, '..', 'src/core/package'),
  loader: 'ts',
};
const common = { stdin, bundle: true, platform: 'neutral', logLevel: 'warning' };
await esbuild.build({ ...common, format: 'esm', outfile: join(outDir, 'zip.mjs') });
await esbuild.build({
  ...common,
  format: 'iife',
  globalName: 'cleanroomZip',
  outfile: join(outDir, 'zip.iife.js'),
});

/** Runs in both runtimes: builds entries from a seed and returns the SHA-256 of the zip. */
async function zipDigest(zip, compression) {
  const entries = [];
  for (let i = 0; i < 40; i++) {
    const size = 1000 + ((i * 7919) % 200000);
    const bytes = new Uint8Array(size);
    for (let j = 0; j < size; j++) bytes[j] = (j * (i + 3) + (j >> 7)) & 0xff;
    const data = i % 3 === 0 ? bytes : i % 3 === 1 ? new Blob([bytes]) : new Blob([bytes]).stream();
    entries.push({ name: `P${i % 4}/01/0001_CT/${String(i).padStart(5, '0')}.dcm`, data, size });
  }
  const parts = [];
  const reader = zip.zipStream(entries, { compression }).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
  }
  const buf = await new Blob(parts).arrayBuffer();
  const digest = new zip.Sha256().update(new Uint8Array(buf)).digest();
  return {
    bytes: buf.byteLength,
    sha256: Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join(''),
  };
}

const zip = await import(pathToFileURL(join(outDir, 'zip.mjs')).href);
const { chromium } = await import('@playwright/test');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
});
try {
  const page = await browser.newPage();
  await page.setContent('<!doctype html><title>zip</title>');
  await page.addScriptTag({ content: readFileSync(join(outDir, 'zip.iife.js'), 'utf8') });
  const version = browser.version();
  for (const compression of ['store', 'deflate']) {
    const node = await zipDigest(zip, compression);
    const fnText = zipDigest.toString();
    const chrome = await page.evaluate(
      async ([fn, c]) => {
        const f = new Function(`return (${fn})`)();
        return f(globalThis.cleanroomZip, c);
      },
      [fnText, compression],
    );
    console.log(
      `${compression.padEnd(8)} Node ${process.version}: ${node.bytes} B ${node.sha256.slice(0, 16)}…  Chromium ${version}: ${chrome.bytes} B ${chrome.sha256.slice(0, 16)}…  ${node.sha256 === chrome.sha256 ? 'IDENTICAL' : 'DIFFERENT'}`,
    );
  }
} finally {
  await browser.close();
}
