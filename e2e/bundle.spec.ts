// The built app names no other origin: no fetch, import, worker, src or href URL outside our own.
// Runs with the e2e suite because it needs dist/ (the test command builds before it).
import { test, expect } from '@playwright/test';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const DIST = fileURLToPath(new URL(`../${process.env.CLEANROOM_OUT || 'dist'}/`, import.meta.url));
const CHECKED = /\.(m?js|html|webmanifest)$/;

/**
 * Outside URLs that may appear as text because nothing ever loads them, each with why.
 * `file` limits an entry to the files it was found in.
 */
const HARMLESS: { url: RegExp; file?: RegExp; why: string }[] = [
  {
    url: /^http:\/\/www\.w3\.org\/(2000\/svg|1999\/xhtml|1999\/xlink|1998\/Math\/MathML|XML\/1998\/namespace|2000\/xmlns\/)/,
    why: 'XML namespace names, never fetched',
  },
  {
    url: /^https:\/\/svelte\.dev\/e\//,
    why: 'Svelte error messages link to their docs; text only',
  },
  {
    url: /^(https:\/\/tinyurl\.com\/y2uuvskb|http:\/\/bit\.ly\/2kdckMn)$/,
    file: /^assets\/[\w.-]+\.js$/,
    why: "Dexie's error messages point to its docs; text only",
  },
  {
    url: /^https:\/\/bit\.ly\/wb-precache/,
    file: /workbox-[\w-]+\.js$/,
    why: 'Workbox warning message text',
  },
  {
    // tesseract's worker falls back to a CDN only when corePath / langPath are not given. The app
    // always gives its own (dist/ocr/...); the CSP and the e2e request watcher would catch a miss.
    url: /^https:\/\/cdn\.jsdelivr\.net\/npm\/(tesseract\.js-core|@tesseract\.js-data)/,
    file: /^ocr\/worker\.min\.js$/,
    why: 'tesseract.js defaults, overridden by the app',
  },
  {
    // The same default worker path, in the chunks that start tesseract.js (pixels and verify
    // workers); src/platform/browser/ocr.ts always passes workerPath, corePath and langPath.
    url: /^https:\/\/cdn\.jsdelivr\.net\/npm\/tesseract\.js@/,
    file: /^assets\/[\w.-]+\.js$/,
    why: 'tesseract.js default worker path, overridden by the app',
  },
  {
    url: /^https:\/\/(github\.com\/naptha\/tesseract\.js|opencollective\.com\/tesseractjs)/,
    file: /^assets\/[\w.-]+\.js$/,
    why: "tesseract.js's package.json (read for its version) bundled as data; text only",
  },
  {
    url: /^https:\/\/creativecommons\.org\/(licenses|publicdomain)\//,
    file: /^assets\/[\w.-]+\.js$/,
    why: 'licence names and URLs written as text into LICENSE.txt and README.md; never fetched',
  },
  {
    url: /^https:\/\/rolldown\.rs\/in-depth\/bundling-cjs/,
    file: /^assets\/[\w.-]+\.js$/,
    why: "the bundler's error text for the codecs' Node-only require(); text only",
  },
];

/** Contexts in which a URL is loaded, not just mentioned. */
const LOADING_CONTEXT =
  /(fetch|import|importScripts|Worker|SharedWorker|WebSocket|EventSource|sendBeacon|open|url)\s*\(\s*["'`]?$|\bfrom\s*["'`]$|\b(src|href|action|srcset|poster|data|manifest|start_url|scope)\s*[=:]\s*["'`]?$|"(src|href|start_url|scope)"\s*:\s*"$/;

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

/** Ranges of license and banner comments, and whole-line comments, where URLs are only text. */
function commentRanges(text: string): [number, number][] {
  const ranges: [number, number][] = [];
  for (const m of text.matchAll(/\/\*[!*][\s\S]*?\*\/|^\s*\/\/.*$|<!--[\s\S]*?-->/gm)) {
    ranges.push([m.index, m.index + m[0].length]);
  }
  return ranges;
}

interface Finding {
  file: string;
  url: string;
  loads: boolean;
  context: string;
}

function findOutsideUrls(): Finding[] {
  const findings: Finding[] = [];
  for (const path of listFiles(DIST).filter((p) => CHECKED.test(p))) {
    const file = relative(DIST, path).split('\\').join('/');
    const text = readFileSync(path, 'utf8');
    const comments = commentRanges(text);
    for (const m of text.matchAll(
      /(?:\b(?:https?|wss?):)?\/\/[a-z0-9-]+(?:\.[a-z0-9-]+)+(?::\d+)?[^\s"'`)<>\\]*/gi,
    )) {
      const url = m[0];
      const at = m.index;
      // Protocol-relative URLs only count right after a quote (else `//` is a comment or a regex).
      if (url.startsWith('//') && !/["'`(=]\s*$/.test(text.slice(Math.max(0, at - 2), at)))
        continue;
      if (/^(?:https?:)?\/\/(127\.0\.0\.1|localhost)([:/]|$)/i.test(url)) continue;
      if (comments.some(([from, to]) => at >= from && at < to)) continue;
      if (HARMLESS.some((h) => h.url.test(url) && (!h.file || h.file.test(file)))) continue;
      const before = text.slice(Math.max(0, at - 40), at);
      findings.push({
        file,
        url,
        loads: LOADING_CONTEXT.test(before),
        context: `${before}${url}`.slice(-120),
      });
    }
  }
  return findings;
}

test.describe('the built bundle', () => {
  test.skip(!existsSync(join(DIST, 'index.html')), 'dist/ is absent: run `npx vite build` first');

  test('names no other origin in any JS, HTML or webmanifest file', () => {
    const findings = findOutsideUrls();
    expect(
      findings.filter((f) => f.loads),
      'URLs of another origin used as fetch/import/worker/src/href',
    ).toEqual([]);
    expect(
      findings,
      'URLs of another origin (add to HARMLESS with a reason if truly inert)',
    ).toEqual([]);
  });

  test('the page carries the Content-Security-Policy that keeps connections on our origin', () => {
    const html = readFileSync(join(DIST, 'index.html'), 'utf8');
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1];
    expect(csp, 'CSP meta tag in dist/index.html').toBeDefined();
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toMatch(/https?:/);
  });
});
