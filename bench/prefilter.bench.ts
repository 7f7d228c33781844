// The text-likelihood prefilter: ms per 512×512 slice, false fires on ≥ 2,000 text-free CT/MR slices,
// and fires on the generated burned-in text set; for RGB, ms per 512×512 image (luma and the two
// opponent-colour planes) and fires on colour text at its background's luminance.
import { report, sampleRss } from './harness';
import { textLikelihood } from '../src/core/pixels/detect/prefilter';
import { generateCtSeries } from '../src/core/sample/ct-series';
import {
  generateBurnedTextSet,
  generateChromaTextSet,
  windowToGray8,
} from '../src/core/sample/burned-text';
import { toLuma } from '../src/core/pixels/detect/luma';
import { ctSliceBytes, mrSliceBytes } from '../src/core/sample/pixels';
import { createPrng } from '../src/core/sample/prng';
import type { Gray8 } from '../src/core/pixels/types';

const SOFT = { center: 1064, width: 400 };
const LUNG = { center: 424, width: 1500 };
const MR = { center: 520, width: 1040 };

function u16(bytes: Uint8Array, n: number): Uint16Array {
  const out = new Uint16Array(n);
  const px = bytes.subarray(bytes.length - n * 2);
  for (let i = 0; i < n; i++) out[i] = px[2 * i] | (px[2 * i + 1] << 8);
  return out;
}

/** Text-free slices: generateCtSeries files (PixelData is the last element), phantom CT at many z, MR phantoms. */
function* textFreeSlices(): Generator<{ kind: string; image: Gray8 }> {
  let i = 0;
  for (const f of generateCtSeries({ slices: 1000, rows: 512, columns: 512, seed: 9 }))
    yield {
      kind: 'CT series',
      image: windowToGray8(u16(f.bytes, 512 * 512), 512, 512, i++ % 2 ? LUNG : SOFT),
    };
  const prng = createPrng(21);
  for (let z = 0; z < 600; z++)
    yield {
      kind: 'CT phantom',
      image: windowToGray8(
        u16(ctSliceBytes(512, 512, z, prng), 512 * 512),
        512,
        512,
        z % 3 === 0 ? LUNG : SOFT,
      ),
    };
  for (let z = 0; z < 600; z++) {
    const size = z % 2 ? 512 : 256;
    yield {
      kind: 'MR phantom',
      image: windowToGray8(u16(mrSliceBytes(size, size, z, prng), size * size), size, size, MR),
    };
  }
}

const rss = sampleRss();
let slices = 0;
let falseFires = 0;
let ms512 = 0;
let n512 = 0;
let maxScore = 0;
const fp: Record<string, number> = {};
// Warm-up so the JIT has compiled the loop before timing.
const warm = windowToGray8(
  u16(ctSliceBytes(512, 512, 3, createPrng(1)), 512 * 512),
  512,
  512,
  SOFT,
);
for (let k = 0; k < 50; k++) textLikelihood(warm);
for (const { kind, image } of textFreeSlices()) {
  const t0 = performance.now();
  const r = textLikelihood(image);
  const dt = performance.now() - t0;
  if (image.width === 512 && image.height === 512) {
    ms512 += dt;
    n512++;
  }
  slices++;
  maxScore = Math.max(maxScore, r.score);
  if (r.fires) {
    falseFires++;
    fp[kind] = (fp[kind] ?? 0) + 1;
  }
}
const set = generateBurnedTextSet(17, 150).filter((s) => !s.textFree);
let fired = 0;
let boxes = 0;
let touched = 0;
let minScore = Infinity;
for (const s of set) {
  const r = textLikelihood(s.image);
  if (r.fires) fired++;
  minScore = Math.min(minScore, r.score);
  for (const p of s.planted.filter(
    (q) => q.kind === 'name' || q.kind === 'id' || q.kind === 'date',
  )) {
    boxes++;
    if (
      r.regions.some(
        (b) =>
          b.x < p.box.x + p.box.w &&
          p.box.x < b.x + b.w &&
          b.y < p.box.y + p.box.h &&
          p.box.y < b.y + b.h,
      )
    )
      touched++;
  }
}
const msPerSlice = ms512 / n512;
// The floor on this machine right now: one plain pass reading every pixel of a 512² slice.
let sink = 0;
const tf = performance.now();
for (let k = 0; k < 200; k++) for (let i = 0; i < warm.data.length; i++) sink += warm.data[i];
const floorMs = (performance.now() - tf) / 200;
console.log(
  `floor: ${floorMs.toFixed(2)} ms for one plain read pass over a 512² slice (machine load makes both slower)${sink < 0 ? '!' : ''}`,
);
console.log(
  `prefilter: ${msPerSlice.toFixed(2)} ms per 512×512 slice (mean of ${n512}, after warm-up)`,
);
console.log(
  `prefilter: false fires ${falseFires} of ${slices} text-free CT/MR slices (${((100 * falseFires) / slices).toFixed(2)}%) ${JSON.stringify(fp)}; highest score ${maxScore} (fires at ≥ 1)`,
);
console.log(
  `prefilter: fired on ${fired} of ${set.length} images with text; regions touch ${touched} of ${boxes} planted PHI boxes; lowest score ${minScore}`,
);
// RGB: a 512² colour image (the chroma set's panel, cropped) costs luma plus two colour planes.
const chroma = generateChromaTextSet(17, 40);
const rgb512 = ((): Gray8 => {
  const src = chroma[0].image;
  const data = new Uint8Array(512 * 512 * 4);
  for (let y = 0; y < 512; y++)
    data.set(src.data.subarray(y * src.width * 4, y * src.width * 4 + 512 * 4), y * 512 * 4);
  return { width: 512, height: 512, data };
})();
for (let k = 0; k < 30; k++) textLikelihood(rgb512);
const tr = performance.now();
for (let k = 0; k < 200; k++) textLikelihood(rgb512);
const msRgb = (performance.now() - tr) / 200;
const chromaFires = chroma.filter((s) => textLikelihood(s.image).fires).length;
const chromaLumaFires = chroma.filter((s) => textLikelihood(toLuma(s.image)).fires).length;
console.log(
  `prefilter RGB: ${msRgb.toFixed(2)} ms per 512×512 colour image (luma + 2 colour planes); colour text at its background's luminance fires on ${chromaFires}/${chroma.length} (read as luma only: ${chromaLumaFires}/${chroma.length})`,
);
report({
  name: 'prefilter 512² text-free CT/MR',
  files: slices,
  bytes: 0,
  seconds: (ms512 / 1000) * (slices / n512),
  peak_mb: rss.stop(),
  floor_mb_per_s: null,
  notes: `${msPerSlice.toFixed(2)} ms/slice; ${falseFires}/${slices} false fires; fired on ${fired}/${set.length} text images`,
  extra: {
    ms_per_512_slice: Math.round(msPerSlice * 100) / 100,
    false_fires: falseFires,
    text_free_slices: slices,
    text_images_fired: fired,
    text_images: set.length,
    phi_boxes_touched: touched,
    phi_boxes: boxes,
    ms_per_512_rgb: Math.round(msRgb * 100) / 100,
    chroma_fired: chromaFires,
    chroma_fired_luma_only: chromaLumaFires,
    chroma_images: chroma.length,
  },
});
