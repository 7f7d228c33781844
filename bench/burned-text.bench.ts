// Burned-in text on the generated set: recall of planted PHI boxes (≥ 90% covered by redaction boxes)
// per preprocessing step, in both PHI modes; wrongly redacted text-free CT/MR slices; misses by size
// and contrast. Two tesseract.js workers (each its own worker_thread) read in parallel.
import { report, sampleRss } from './harness';
import { createNodeOcr } from '../src/platform/node/ocr';
import { findBurnedInText } from '../src/core/pixels/detect/find-burned-in-text';
import { defaultSafeTokens } from '../src/core/pixels/detect/safe-tokens';
import type { OcrEngine, OcrWord, PhiContext } from '../src/core/pixels/detect/types';
import { classifyWords } from '../src/core/pixels/detect/classify';
import { prepareForOcr, type PrepareOptions } from '../src/core/pixels/detect/prepare';
import type { Box } from '../src/core/pixels/types';
import { generateBurnedTextSet, type BurnedTextImage } from '../src/core/sample/burned-text';

const COUNT = Number(process.env.BENCH_IMAGES ?? 100);
const WORKERS = 2;
const VARIANTS: [string, PrepareOptions][] = [
  [
    'raw page (no stretch, no upscale, as-is polarity)',
    { stretch: false, upscale: false, polarity: 'as-is' },
  ],
  ['+ polarity auto (dark text on light)', { stretch: false, upscale: false, polarity: 'auto' }],
  ['+ contrast stretch', { stretch: true, upscale: false, polarity: 'auto' }],
  ['+ upscaled crops of small text (default)', {}],
  ['default + both polarities', { polarity: 'both' }],
];
const ONLY = process.env.BENCH_VARIANTS
  ? process.env.BENCH_VARIANTS.split(',').map(Number)
  : VARIANTS.map((_, i) => i);

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

const misses: string[] = [];
/** All-text misses by background, contrast, height, style and position (default preprocessing). */
const missBy = new Map<string, number>();
let defaultRecall = { ident: 0, all: 0 };
let imagesPerSecond = 0;
for (const v of ONLY) {
  const [label, prepare] = VARIANTS[v];
  t0 = performance.now();
  // One OCR pass per image (what findBurnedInText does for a frame it always reads), classified in both modes.
  const read = await mapPool(textImages, engines, async (s, ocr) => {
    const words: OcrWord[] = [];
    for (const input of prepareForOcr(s.image, prepare))
      words.push(...(await ocr.recognize(input)));
    return { s, words };
  });
  const seconds = (performance.now() - t0) / 1000;
  const results = read.map(({ s, words }) => ({
    s,
    ident: { boxes: classifyWords(words, contextOf(s, 'identifiers')) },
  }));
  const allResults = read.map(({ s, words }) => ({
    boxes: classifyWords(words, contextOf(s, 'all-text')),
  }));
  let boxes = 0;
  let hitIdent = 0;
  let hitAll = 0;
  let safeKept = 0;
  let safeTotal = 0;
  results.forEach(({ s, ident }, i) => {
    for (const p of s.planted) {
      if (p.kind === 'safe') {
        safeTotal++;
        if (covered(p.box, allResults[i].boxes) < 0.5) safeKept++;
        continue;
      }
      if (!isPhi(p.kind)) continue;
      boxes++;
      const ci = covered(p.box, ident.boxes);
      const ca = covered(p.box, allResults[i].boxes);
      if (ci >= 0.9) hitIdent++;
      if (ca >= 0.9) hitAll++;
      if (v === 3 && ca < 0.9)
        for (const key of [
          `background ${s.background}`,
          `contrast ${p.contrast}`,
          `height ${p.height}px`,
          `style ${p.style}`,
          `position ${p.position}`,
        ])
          missBy.set(key, (missBy.get(key) ?? 0) + 1);
      if (v === 3 && (ci < 0.9 || ca < 0.9))
        misses.push(
          `${s.id} ${p.kind} ${p.height}px ${p.style} ${p.contrast} on ${s.background} at ${p.position}: covered ${Math.round(ci * 100)}% (identifiers) ${Math.round(ca * 100)}% (all-text)`,
        );
    }
  });
  const ri = (100 * hitIdent) / boxes;
  const ra = (100 * hitAll) / boxes;
  if (v === 3) {
    defaultRecall = { ident: ri, all: ra };
    imagesPerSecond = textImages.length / seconds;
  }
  console.log(
    `${label}: recall ${ri.toFixed(1)}% identifiers mode, ${ra.toFixed(1)}% all-text mode (${boxes} boxes); safe labels kept ${safeKept}/${safeTotal}; ${(textImages.length / seconds).toFixed(2)} images/s`,
  );
}

// Text-free CT/MR: the prefilter decides (alwaysRead false) as it does for non-high-risk classes; and OCR forced.
let wrongly = 0;
let forcedWrongly = 0;
await mapPool(textFree, engines, async (s, ocr) => {
  const ctx = contextOf(s, 'identifiers');
  const viaPrefilter = await findBurnedInText([s.image], ctx, ocr, { alwaysRead: false });
  if (viaPrefilter.boxes.length > 0) wrongly++;
  const forced = await findBurnedInText([s.image], ctx, ocr, { alwaysRead: true });
  if (forced.boxes.length > 0) forcedWrongly++;
});
await Promise.all(engines.map((e) => e.terminate()));
console.log(
  `text-free CT/MR wrongly redacted: ${wrongly}/${textFree.length} through the prefilter; ${forcedWrongly}/${textFree.length} with OCR forced on every slice`,
);
console.log(
  `all-text misses by attribute: ${[...missBy]
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k}: ${n}`)
    .join(', ')}`,
);
console.log(`misses with default preprocessing (${misses.length}):`);
for (const m of misses) console.log(`  ${m}`);
report({
  name: 'burned-in text recall (2 OCR workers)',
  files: textImages.length,
  bytes: 0,
  seconds: textImages.length / Math.max(imagesPerSecond, 1e-9),
  peak_mb: rss.stop(),
  floor_mb_per_s: null,
  notes: `recall ${defaultRecall.ident.toFixed(1)}% identifiers / ${defaultRecall.all.toFixed(1)}% all-text; text-free wrongly redacted ${wrongly}/${textFree.length}`,
  extra: {
    recall_identifiers: defaultRecall.ident,
    recall_all_text: defaultRecall.all,
    text_free_wrongly_redacted: wrongly,
    text_free: textFree.length,
    images_per_s: imagesPerSecond,
  },
});
