// Burned-in text on the generated set: recall of planted PHI boxes (≥ 90% covered by redaction boxes)
// per preprocessing step, in both PHI modes, by OCR alone and with the safety net (unread text
// blobs boxed for review) and the area the net adds; a multi-frame cine; wrongly redacted text-free
// CT/MR slices; misses by size and contrast. Two tesseract.js workers read in parallel; each image
// is OCR'd once per step and the words are replayed for the four findBurnedInText calls.
import { writeFileSync } from 'node:fs';
import { report, sampleRss } from './harness';
import { createNodeOcr } from '../src/platform/node/ocr';
import { findBurnedInText } from '../src/core/pixels/detect/find-burned-in-text';
import { defaultSafeTokens } from '../src/core/pixels/detect/safe-tokens';
import type { OcrEngine, OcrInput, OcrWord, PhiContext } from '../src/core/pixels/detect/types';
import type { PrepareOptions } from '../src/core/pixels/detect/prepare';
import type { Box, FoundBox } from '../src/core/pixels/types';
import {
  generateBurnedTextSet,
  generateMultiFrameText,
  type BurnedTextImage,
} from '../src/core/sample/burned-text';

const COUNT = Number(process.env.BENCH_IMAGES ?? 100);
const WORKERS = 2;
const VARIANTS: [string, PrepareOptions][] = [
  [
    'raw page (no stretch, no upscale, as-is polarity)',
    { stretch: false, upscale: false, polarity: 'as-is' },
  ],
  ['+ polarity auto (dark text on light)', { stretch: false, upscale: false, polarity: 'auto' }],
  ['+ contrast stretch', { stretch: true, upscale: false, polarity: 'auto' }],
  ['+ upscaled crops of small text', { shrink: false }],
  ['+ shrunk crops of large text (default)', {}],
  ['default + both polarities', { polarity: 'both' }],
  ['default + crops read as sparse text (mode 11)', { sparseCrops: true }],
];
/** The step findBurnedInText uses by default. */
const DEFAULT = 4;
const ONLY = process.env.BENCH_VARIANTS
  ? process.env.BENCH_VARIANTS.split(',').map(Number)
  : [0, 3, 4];

function covered(p: Box, boxes: readonly Box[]): number {
  let inside = 0;
  for (let y = p.y; y < p.y + p.h; y++)
    for (let x = p.x; x < p.x + p.w; x++)
      if (boxes.some((b) => x >= b.x && x < b.x + b.w && y >= b.y && y < b.y + b.h)) inside++;
  return inside / (p.w * p.h);
}

async function mapPool<T, R>(
  items: T[],
  engines: OcrEngine[],
  task: (item: T, ocr: OcrEngine) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    engines.map(async (ocr) => {
      while (next < items.length) {
        const i = next++;
        out[i] = await task(items[i], ocr);
      }
    }),
  );
  return out;
}

const contextOf = (s: BurnedTextImage, mode: PhiContext['mode']): PhiContext => ({
  mode,
  identifiers: s.identifiers,
  safeTokens: defaultSafeTokens(s.modality),
});
const isPhi = (k: string) => k === 'name' || k === 'id' || k === 'date';

const rss = sampleRss();
const set = generateBurnedTextSet(23, COUNT);
const textImages = set.filter((s) => !s.textFree);
const textFree = set.filter((s) => s.textFree);
let t0 = performance.now();
const engines = await Promise.all(Array.from({ length: WORKERS }, () => createNodeOcr()));
const startSeconds = (performance.now() - t0) / 1000;
console.log(
  `${textImages.length} images with text (${textImages.reduce((n, s) => n + s.planted.filter((p) => isPhi(p.kind)).length, 0)} planted PHI boxes), ${textFree.length} text-free CT/MR; ${WORKERS} OCR workers started in ${startSeconds.toFixed(1)} s`,
);

/**
 * An engine that reads each input once and replays the words: the key is what the input is
 * (label, polarity, offset, size), scoped to one image.
 */
function replaying(ocr: OcrEngine, cache: Map<string, OcrWord[]>): OcrEngine {
  return {
    async recognize(input: OcrInput): Promise<OcrWord[]> {
      const key = `${input.label}|${input.inverted}|${input.offsetX},${input.offsetY}|${input.image.width}x${input.image.height}`;
      const hit = cache.get(key);
      if (hit) return hit;
      const words = await ocr.recognize(input);
      cache.set(key, words);
      return words;
    },
    terminate: () => ocr.terminate(),
  };
}

const area = (boxes: readonly Box[]): number => boxes.reduce((n, b) => n + b.w * b.h, 0);
const misses: string[] = [];
/** All-text misses (with the net) by background, contrast, height, style and position (default step). */
const missBy = new Map<string, number>();
let finalRecall = { ident: 0, all: 0, identOcr: 0, allOcr: 0 };
let imagesPerSecond = 0;
const dump: Record<string, OcrWord[]> = {};
for (const v of ONLY) {
  const [label, prepare] = VARIANTS[v];
  t0 = performance.now();
  const found = await mapPool(textImages, engines, async (s, ocr) => {
    const cache = new Map<string, OcrWord[]>();
    const engine = replaying(ocr, cache);
    const run = (mode: PhiContext['mode'], safetyNet: boolean) =>
      findBurnedInText([s.image], contextOf(s, mode), engine, {
        alwaysRead: true,
        prepare,
        safetyNet,
      }).then((r) => r.boxes);
    const out = {
      identOcr: await run('identifiers', false),
      allOcr: await run('all-text', false),
      ident: await run('identifiers', true),
      all: await run('all-text', true),
    };
    if (v === DEFAULT) dump[s.id] = [...cache.values()].flat();
    return out;
  });
  const seconds = (performance.now() - t0) / 1000;
  const hits = { identOcr: 0, allOcr: 0, ident: 0, all: 0 };
  let boxes = 0;
  let safeKept = 0;
  let safeTotal = 0;
  let netArea = 0;
  let netBoxes = 0;
  let netOnUnread = 0;
  let imageArea = 0;
  let phiArea = 0;
  textImages.forEach((s, i) => {
    const f = found[i];
    const net: FoundBox[] = f.all.filter((b) => b.source === 'prefilter');
    netBoxes += net.length;
    netArea += area(net);
    imageArea += s.image.width * s.image.height;
    for (const p of s.planted) {
      if (p.kind === 'safe') {
        safeTotal++;
        if (covered(p.box, f.all) < 0.5) safeKept++;
        continue;
      }
      if (!isPhi(p.kind)) continue;
      boxes++;
      phiArea += p.box.w * p.box.h;
      const c = {
        identOcr: covered(p.box, f.identOcr),
        allOcr: covered(p.box, f.allOcr),
        ident: covered(p.box, f.ident),
        all: covered(p.box, f.all),
      };
      for (const k of ['identOcr', 'allOcr', 'ident', 'all'] as const) if (c[k] >= 0.9) hits[k]++;
      if (c.allOcr < 0.9 && c.all >= 0.9) netOnUnread++;
      if (v === DEFAULT && c.all < 0.9)
        for (const key of [
          `background ${s.background}`,
          `contrast ${p.contrast}`,
          `height ${p.height}px`,
          `style ${p.style}`,
          `position ${p.position}`,
        ])
          missBy.set(key, (missBy.get(key) ?? 0) + 1);
      if (v === DEFAULT && (c.ident < 0.9 || c.all < 0.9))
        misses.push(
          `${s.id} ${p.kind} ${p.height}px ${p.style} ${p.contrast} on ${s.background} at ${p.position}: covered ${Math.round(c.ident * 100)}% (identifiers) ${Math.round(c.all * 100)}% (all-text); OCR alone ${Math.round(c.identOcr * 100)}% / ${Math.round(c.allOcr * 100)}%`,
        );
    }
  });
  const pct = (n: number) => ((100 * n) / boxes).toFixed(1);
  if (v === DEFAULT) {
    finalRecall = {
      ident: (100 * hits.ident) / boxes,
      all: (100 * hits.all) / boxes,
      identOcr: (100 * hits.identOcr) / boxes,
      allOcr: (100 * hits.allOcr) / boxes,
    };
    imagesPerSecond = textImages.length / seconds;
  }
  console.log(
    `${label}: OCR alone ${pct(hits.identOcr)}% identifiers / ${pct(hits.allOcr)}% all-text; with the safety net ${pct(hits.ident)}% / ${pct(hits.all)}% (${boxes} boxes; net caught ${netOnUnread}); net adds ${netBoxes} boxes, ${((100 * netArea) / imageArea).toFixed(2)}% of the image area (${(netArea / phiArea).toFixed(2)}× the planted PHI area); safe labels kept ${safeKept}/${safeTotal}; ${(textImages.length / seconds).toFixed(2)} images/s`,
  );
}
if (process.env.BENCH_DUMP) writeFileSync(process.env.BENCH_DUMP, JSON.stringify(dump));

// A multi-frame cine: the same PHI on every frame, a date on the last frame only.
const cine = generateMultiFrameText(5, 4, 14);
let cineHits = 0;
const cineFound = await findBurnedInText(
  cine.frames,
  { mode: 'all-text', identifiers: cine.identifiers, safeTokens: defaultSafeTokens('US') },
  engines[0],
  { alwaysRead: true },
);
for (const p of cine.planted) {
  const on = p.box.frame === undefined ? cine.frames.map((_, i) => i) : [p.box.frame];
  const everyFrame = on.every(
    (f) =>
      covered(
        p.box,
        cineFound.boxes.filter((b) => b.frame === undefined || b.frame === f),
      ) >= 0.9,
  );
  if (everyFrame) cineHits++;
}
console.log(
  `multi-frame cine (${cine.frames.length} frames, ${cine.planted.length} planted boxes, one on the last frame only): ${cineHits}/${cine.planted.length} covered on every frame they are on; ${cineFound.framesRead} frames read; ${cineFound.boxes.filter((b) => b.frame === undefined).length} all-frame boxes, ${cineFound.boxes.filter((b) => b.frame !== undefined).length} single-frame boxes`,
);

// Text-free CT/MR: the prefilter decides (alwaysRead false) as it does for non-high-risk classes; and OCR forced.
let wrongly = 0;
let forcedWrongly = 0;
let forcedByNet = 0;
await mapPool(textFree, engines, async (s, ocr) => {
  const ctx = contextOf(s, 'identifiers');
  const viaPrefilter = await findBurnedInText([s.image], ctx, ocr, { alwaysRead: false });
  if (viaPrefilter.boxes.length > 0) wrongly++;
  const forced = await findBurnedInText([s.image], { ...ctx, mode: 'all-text' }, ocr, {
    alwaysRead: true,
  });
  if (forced.boxes.length > 0) forcedWrongly++;
  if (forced.boxes.some((b) => b.source === 'prefilter')) forcedByNet++;
});
await Promise.all(engines.map((e) => e.terminate()));
console.log(
  `text-free CT/MR wrongly redacted: ${wrongly}/${textFree.length} through the prefilter; ${forcedWrongly}/${textFree.length} with OCR and the safety net forced on every slice (all-text mode; ${forcedByNet} of them with a safety-net box)`,
);
console.log(
  `all-text misses by attribute: ${[...missBy]
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k}: ${n}`)
    .join(', ')}`,
);
console.log(`misses with the default step (${misses.length}):`);
for (const m of misses) console.log(`  ${m}`);
report({
  name: 'burned-in text recall (2 OCR workers)',
  files: textImages.length,
  bytes: 0,
  seconds: textImages.length / Math.max(imagesPerSecond, 1e-9),
  peak_mb: rss.stop(),
  floor_mb_per_s: null,
  notes: `recall ${finalRecall.ident.toFixed(1)}% identifiers / ${finalRecall.all.toFixed(1)}% all-text (OCR alone ${finalRecall.identOcr.toFixed(1)}% / ${finalRecall.allOcr.toFixed(1)}%); text-free wrongly redacted ${wrongly}/${textFree.length}`,
  extra: {
    recall_identifiers: finalRecall.ident,
    recall_all_text: finalRecall.all,
    recall_identifiers_ocr_only: finalRecall.identOcr,
    recall_all_text_ocr_only: finalRecall.allOcr,
    text_free_wrongly_redacted: wrongly,
    text_free: textFree.length,
    images_per_s: imagesPerSecond,
  },
});
