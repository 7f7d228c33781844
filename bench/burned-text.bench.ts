// Burned-in text on the generated set: recall of planted PHI boxes (≥ 90% covered by redaction boxes)
// per preprocessing step, in both PHI modes, by OCR alone and with the safety net (unread text
// blobs boxed for review) and the area the net adds; a multi-frame cine; wrongly redacted text-free
// CT/MR slices; misses by size and contrast. Two tesseract.js workers read in parallel; each OCR
// input is read once and its words replayed for every later input with the same bytes (the four
// findBurnedInText calls of an image, and lossless syntaxes that decode to the same pixels).
// Then colour text of its background's luminance (luma-only reading against per-channel), and
// the whole set written as DICOM in five transfer syntaxes (native, RLE Lossless, JPEG-LS,
// JPEG 2000, lossy JPEG baseline), decoded by the app's decoders and read again: recall, the
// multi-frame cine, and wrongly redacted text-free CT/MR slices per syntax.
import { writeFileSync } from 'node:fs';
import { report, sampleRss } from './harness';
import { createNodeOcr } from '../src/platform/node/ocr';
import { findBurnedInText } from '../src/core/pixels/detect/find-burned-in-text';
import { defaultSafeTokens } from '../src/core/pixels/detect/safe-tokens';
import { textLikelihood } from '../src/core/pixels/detect/prefilter';
import type { OcrEngine, OcrInput, OcrWord, PhiContext } from '../src/core/pixels/detect/types';
import type { PrepareOptions } from '../src/core/pixels/detect/prepare';
import type { Box, FoundBox, Gray8 } from '../src/core/pixels/types';
import { toLuma } from '../src/core/pixels/detect/luma';
import { readDicomFile } from '../src/core/dicom/read';
import { decodeFrame, describePixels, toGray8, toRgba8 } from '../src/core/pixels/decode';
import { loadCodecs } from '../src/platform/node/codecs';
import {
  generateBurnedTextSet,
  generateChromaTextSet,
  ISO_LUMINANT_PAIRS,
  generateMultiFrameText,
  textFreeSlice,
  type BurnedTextImage,
} from '../src/core/sample/burned-text';
import { createPrng } from '../src/core/sample/prng';
import { BURNED_TEXT_SYNTAXES, type BurnedTextSyntax } from '../src/core/sample/burned-text-dicom';
import { burnedTextFile } from './frame-encoders';

const COUNT = Number(process.env.BENCH_IMAGES ?? 100);
/** Images of coloured text at its background's luminance. */
const CHROMA_COUNT = Number(process.env.BENCH_CHROMA_IMAGES ?? 20);
/** Text-free CT/MR slices added to the set's own for the wrongly-redacted rate per syntax. */
const EXTRA_TEXT_FREE = Number(process.env.BENCH_TEXT_FREE ?? 200);
const SYNTAXES = (process.env.BENCH_SYNTAXES?.split(',') ??
  Object.keys(BURNED_TEXT_SYNTAXES)) as BurnedTextSyntax[];
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

/** FNV-1a of bytes: the replay key of an OCR input's pixels. */
function hashBytes(data: Uint8Array): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ data.length;
  for (let i = 0; i < data.length; i++) {
    a = Math.imul(a ^ data[i], 0x01000193);
    b = Math.imul(b ^ data[i], 0x5bd1e995) ^ (b >>> 15);
  }
  return `${(a >>> 0).toString(16)}${(b >>> 0).toString(16)}`;
}

/** Words of every input read so far, by what the input is (pixels, size, scale, offset, polarity). */
const readCache = new Map<string, OcrWord[]>();
let inputsRead = 0;
let inputsReplayed = 0;

/**
 * An engine that reads each distinct input once and replays its words (tesseract is
 * deterministic): `seen` collects every word handed out, for BENCH_DUMP.
 */
function replaying(ocr: OcrEngine, seen?: OcrWord[]): OcrEngine {
  return {
    async recognize(input: OcrInput): Promise<OcrWord[]> {
      const key = `${hashBytes(input.image.data)}|${input.image.width}x${input.image.height}|${input.scale}|${input.offsetX},${input.offsetY}|${input.inverted}|${input.layout ?? ''}`;
      let words = readCache.get(key);
      if (words) inputsReplayed++;
      else {
        words = await ocr.recognize(input);
        readCache.set(key, words);
        inputsRead++;
      }
      seen?.push(...words);
      return words;
    },
    terminate: () => ocr.terminate(),
  };
}

/** The prefilter's verdict on an image (what decides reading outside the high-risk classes). */
function findBurnedInTextFires(image: Gray8): boolean {
  return textLikelihood(image).fires;
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
    const seen: OcrWord[] = [];
    const engine = replaying(ocr, seen);
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
    if (v === DEFAULT) dump[s.id] = seen;
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

/** Share (%) of planted PHI boxes ≥ 90% covered, and the ones missed. */
function recallOf(
  images: readonly { planted: BurnedTextImage['planted'] }[],
  found: readonly FoundBox[][],
): { pct: number; hit: number; total: number } {
  let hit = 0;
  let total = 0;
  images.forEach((s, i) => {
    for (const p of s.planted) {
      if (!isPhi(p.kind)) continue;
      total++;
      if (covered(p.box, found[i]) >= 0.9) hit++;
    }
  });
  return { pct: (100 * hit) / Math.max(1, total), hit, total };
}

// Colour text of its background's luminance: a luminance-only reader (the image as grey) against
// the per-channel one (RGBA: opponent-colour planes in the prefilter, OCR crops, safety net).
const chroma = generateChromaTextSet(31, CHROMA_COUNT);
const chromaRun = async (asGrey: boolean, safetyNet: boolean): Promise<FoundBox[][]> =>
  mapPool(chroma, engines, async (s, ocr) =>
    findBurnedInText(
      [asGrey ? toLuma(s.image) : s.image],
      contextOf(s, 'all-text'),
      replaying(ocr),
      { alwaysRead: true, safetyNet },
    ).then((r) => r.boxes),
  );
const chromaFires = {
  grey: chroma.filter((s) => findBurnedInTextFires(toLuma(s.image))).length,
  colour: chroma.filter((s) => findBurnedInTextFires(s.image)).length,
};
const chromaColour = await chromaRun(false, true);
const chromaRecall = {
  greyOcr: recallOf(chroma, await chromaRun(true, false)),
  grey: recallOf(chroma, await chromaRun(true, true)),
  colourOcr: recallOf(chroma, await chromaRun(false, false)),
  colour: recallOf(chroma, chromaColour),
};
const chromaMisses: string[] = [];
chroma.forEach((s, i) => {
  const pair = ISO_LUMINANT_PAIRS[i % ISO_LUMINANT_PAIRS.length].name;
  for (const p of s.planted)
    if (isPhi(p.kind) && covered(p.box, chromaColour[i]) < 0.9)
      chromaMisses.push(
        `${s.id} ${pair} on ${s.background} ${p.kind} ${p.height}px ${p.style} at ${p.position}: covered ${Math.round(100 * covered(p.box, chromaColour[i]))}%`,
      );
});
console.log(
  `colour text at its background's luminance (${chroma.length} images, ${chromaRecall.colour.total} PHI boxes; all-text mode): prefilter fires on ${chromaFires.grey}/${chroma.length} read as luma, ${chromaFires.colour}/${chroma.length} per channel; recall luma-only ${chromaRecall.greyOcr.pct.toFixed(1)}% OCR alone / ${chromaRecall.grey.pct.toFixed(1)}% with the net; per channel ${chromaRecall.colourOcr.pct.toFixed(1)}% / ${chromaRecall.colour.pct.toFixed(1)}%`,
);

console.log(`colour misses per channel (${chromaMisses.length}):`);
for (const m of chromaMisses) console.log(`  ${m}`);

// Every image written as DICOM in each syntax, decoded by the app's decoders (colour as RGBA, as
// the per-channel reader wants it), read again. Lossless syntaxes decode to the same pixels as
// native, so their OCR is replayed; JPEG baseline is read anew.
const codecs = await loadCodecs();
async function decodedFrames(bytes: Uint8Array): Promise<Gray8[]> {
  const file = await readDicomFile(bytes);
  const desc = describePixels(file.dataset, file.syntax.transferSyntaxUID);
  const out: Gray8[] = [];
  for (let i = 0; i < desc.numberOfFrames; i++) {
    const frame = await decodeFrame(file.dataset, desc, i, codecs);
    out.push(frame.samplesPerPixel === 3 ? toRgba8(frame, desc) : toGray8(frame, desc));
  }
  return out;
}
const prngFree = createPrng(97);
const allTextFree = [
  ...textFree,
  ...Array.from({ length: EXTRA_TEXT_FREE }, (_, i) => textFreeSlice(`tf-${i}`, prngFree, i)),
];
const perSyntax: Record<string, number> = {};
const syntaxLines: string[] = [];
for (const syntax of SYNTAXES) {
  t0 = performance.now();
  const images = [...textImages, ...chroma];
  let fileBytes = 0;
  const found = await mapPool(images, engines, async (s, ocr) => {
    const bytes = await burnedTextFile(s, syntax);
    fileBytes += bytes.byteLength;
    const frames = await decodedFrames(bytes);
    const engine = replaying(ocr);
    const run = (mode: PhiContext['mode']) =>
      findBurnedInText(frames, contextOf(s, mode), engine, { alwaysRead: true }).then(
        (r) => r.boxes,
      );
    return { all: await run('all-text'), ident: await run('identifiers') };
  });
  const main = textImages.length;
  const recallAll = recallOf(
    textImages,
    found.slice(0, main).map((f) => f.all),
  );
  const recallIdent = recallOf(
    textImages,
    found.slice(0, main).map((f) => f.ident),
  );
  const recallChroma = recallOf(
    chroma,
    found.slice(main).map((f) => f.all),
  );
  const both = recallOf(
    images,
    found.map((f) => f.all),
  );
  // The cine, every frame.
  const cineFrames = await decodedFrames(await burnedTextFile(cine, syntax));
  const cineResult = await findBurnedInText(
    cineFrames,
    { mode: 'all-text', identifiers: cine.identifiers, safeTokens: defaultSafeTokens('US') },
    replaying(engines[0]),
    { alwaysRead: true },
  );
  let cineOk = 0;
  for (const p of cine.planted) {
    const on = p.box.frame === undefined ? cineFrames.map((_, i) => i) : [p.box.frame];
    if (
      on.every(
        (f) =>
          covered(
            p.box,
            cineResult.boxes.filter((b) => b.frame === undefined || b.frame === f),
          ) >= 0.9,
      )
    )
      cineOk++;
  }
  // Text-free CT/MR: the prefilter decides, as for every image outside the high-risk classes.
  let wrong = 0;
  await mapPool(allTextFree, engines, async (s, ocr) => {
    const frames = await decodedFrames(await burnedTextFile(s, syntax));
    const r = await findBurnedInText(frames, contextOf(s, 'identifiers'), replaying(ocr), {
      alwaysRead: false,
    });
    if (r.boxes.length > 0) wrong++;
  });
  const seconds = (performance.now() - t0) / 1000;
  // Every PHI box this syntax missed (all-text, with the net), to say what is left and why.
  const syntaxMisses: string[] = [];
  images.forEach((s, i) => {
    for (const p of s.planted) {
      const c = covered(p.box, found[i].all);
      if (isPhi(p.kind) && c < 0.9)
        syntaxMisses.push(
          `${s.id} ${p.kind} ${p.height}px ${p.style} ${p.contrast} on ${s.background} at ${p.position}: covered ${Math.round(100 * c)}%`,
        );
    }
  });
  const key = syntax.replace(/-/g, '_');
  perSyntax[`recall_${key}`] = Math.round(both.pct * 10) / 10;
  perSyntax[`wrongly_redacted_pct_${key}`] = Math.round((1000 * wrong) / allTextFree.length) / 10;
  const line = `${BURNED_TEXT_SYNTAXES[syntax].name}: recall ${both.pct.toFixed(1)}% of ${both.total} PHI boxes (all-text, with the net; set ${recallAll.pct.toFixed(1)}%, identifiers mode ${recallIdent.pct.toFixed(1)}%, colour at equal luminance ${recallChroma.pct.toFixed(1)}%); cine ${cineOk}/${cine.planted.length} on every frame; text-free CT/MR wrongly redacted ${wrong}/${allTextFree.length} (${((100 * wrong) / allTextFree.length).toFixed(2)}%); ${(fileBytes / 1e6).toFixed(1)} MB of files; ${seconds.toFixed(0)} s`;
  syntaxLines.push(line);
  console.log(line);
  for (const m of syntaxMisses) console.log(`  missed: ${m}`);
}
console.log(`OCR inputs read ${inputsRead}, replayed from identical pixels ${inputsReplayed}`);

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
  notes: `${syntaxLines.length} syntaxes: ${SYNTAXES.map((x) => `${x} ${perSyntax[`recall_${x.replace(/-/g, '_')}`]}% / ${perSyntax[`wrongly_redacted_pct_${x.replace(/-/g, '_')}`]}% wrongly redacted`).join('; ')}; recall ${finalRecall.ident.toFixed(1)}% identifiers / ${finalRecall.all.toFixed(1)}% all-text (OCR alone ${finalRecall.identOcr.toFixed(1)}% / ${finalRecall.allOcr.toFixed(1)}%); text-free wrongly redacted ${wrongly}/${textFree.length}`,
  extra: {
    recall_identifiers: finalRecall.ident,
    recall_all_text: finalRecall.all,
    recall_identifiers_ocr_only: finalRecall.identOcr,
    recall_all_text_ocr_only: finalRecall.allOcr,
    text_free_wrongly_redacted: wrongly,
    text_free: textFree.length,
    images_per_s: imagesPerSecond,
    recall_chroma_luma_only: chromaRecall.grey.pct,
    recall_chroma_per_channel: chromaRecall.colour.pct,
    ...perSyntax,
  },
});
