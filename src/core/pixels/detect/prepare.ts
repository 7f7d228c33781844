// Preprocessing for OCR: contrast stretch, polarity (dark text on light), and upscaled crops of small text.

import type { Box, Gray8 } from '../types';
import type { OcrInput } from './types';
import { toChromaPlanes, toLuma } from './luma';
import { MIN_CHROMA_EDGE, textLikelihood } from './prefilter';

export interface PrepareOptions {
  /** Where text may be (from textLikelihood); computed when absent. */
  regions?: Box[];
  /** 'both': as-is and inverted; 'auto': dark-on-light only (inverted when the background is dark); 'as-is': neither. */
  polarity?: 'both' | 'auto' | 'as-is';
  /** Upscaled crops of regions whose text lines are shorter than `glyphPx`. */
  upscale?: boolean;
  /** Stretch grey levels (1st percentile to 99.9th) to 0..255. */
  stretch?: boolean;
  /** Glyph height OCR should see, in pixels. */
  glyphPx?: number;
  /** The largest upscale factor. */
  maxScale?: number;
  /**
   * Shrunk (area-averaged) crops of regions whose text lines are at least `shrinkAbove` px tall:
   * tesseract reads 24–40 px blocky glyphs poorly and ~12–20 px smooth ones well.
   */
  shrink?: boolean;
  shrinkAbove?: number;
  /** Ask OCR to read crops as sparse text (mode 11) rather than as a page. */
  sparseCrops?: boolean;
}

const DEFAULTS: Required<Omit<PrepareOptions, 'regions'>> = {
  polarity: 'auto',
  upscale: true,
  stretch: true,
  glyphPx: 24,
  maxScale: 4,
  shrink: true,
  shrinkAbove: 24,
  sparseCrops: false,
};

/**
 * The OCR inputs for one frame: the whole page, plus one upscaled crop per text region whose
 * lines are smaller than `glyphPx` (tesseract's LSTM reads 8–12 px capitals poorly), each in
 * the chosen polarities. Each input records scale and offset so that words map back to frame
 * pixels. Pure and synchronous.
 */
export function prepareForOcr(image: Gray8, options: PrepareOptions = {}): OcrInput[] {
  const o = { ...DEFAULTS, ...options };
  const grey = toLuma(image);
  const page = o.stretch ? stretchContrast(grey) : grey;
  const bases: Omit<OcrInput, 'inverted'>[] = [
    { image: page, scale: 1, offsetX: 0, offsetY: 0, label: 'page' },
  ];
  const chroma = toChromaPlanes(image);
  if (o.upscale || o.shrink) {
    const regions = options.regions ?? textLikelihood(image).regions;
    for (const region of regions) {
      const lineHeight = estimateLineHeight(page, region);
      if (lineHeight === 0) continue;
      if (o.shrink && lineHeight >= o.shrinkAbove) {
        const factor = Math.max(2, Math.floor(lineHeight / 20));
        const pad = Math.ceil(lineHeight / 2);
        const box = clip(
          { x: region.x - pad, y: region.y - pad, w: region.w + 2 * pad, h: region.h + 2 * pad },
          page,
        );
        bases.push({
          image: downscale(crop(page, box), factor),
          scale: 1 / factor,
          offsetX: box.x,
          offsetY: box.y,
          label: `line ÷${factor}`,
        });
        continue;
      }
      if (!o.upscale || lineHeight >= o.glyphPx) continue;
      const scale = Math.min(o.maxScale, Math.max(2, Math.round(o.glyphPx / lineHeight)));
      const pad = Math.ceil(lineHeight);
      const box = clip(
        { x: region.x - pad, y: region.y - pad, w: region.w + 2 * pad, h: region.h + 2 * pad },
        page,
      );
      bases.push({
        image: upscale(crop(page, box), scale),
        scale,
        offsetX: box.x,
        offsetY: box.y,
        label: `line ×${scale}`,
      });
    }
  }
  bases.push(...chromaCrops(grey, chroma, o));
  const out: OcrInput[] = [];
  if (o.sparseCrops) for (const base of bases.slice(1)) base.layout = 'sparse';
  for (const base of bases) {
    const darkBackground = median(base.image) < 128;
    if (o.polarity !== 'as-is' && darkBackground)
      out.push({ ...base, image: invert(base.image), inverted: true });
    if (o.polarity !== 'auto' || !darkBackground) out.push({ ...base, inverted: false });
  }
  return out;
}

/** Opponent planes of toChromaPlanes, for labels. */
const CHROMA_NAMES = ['red-green', 'yellow-blue'];
/**
 * A colour region is left to luma when this share of its colour edges are luma edges too (yellow
 * on black: luma shows it). Measured where the edges are, not in sum, so ultrasound speckle
 * behind red text (many luma edges, elsewhere) does not hide the text.
 */
const LUMA_SHOWS = 0.6;
/** A colour region needs at least this many strong steps (a few coloured edges are no text). */
const CHROMA_MIN_STEPS = 24;
/**
 * Steps counted in a region when choosing its plane: 16 in a colour plane is a 32-level step
 * between channels (the planes hold half the difference), as in the prefilter.
 */
const CHROMA_EDGE = MIN_CHROMA_EDGE;

/**
 * Per-channel reading of colour text: for each text region of an opponent colour plane (its own
 * prefilter) whose strokes are stronger there than in luma (text of its background's luminance but another colour, e.g. red on
 * a grey overlay, yellow on white), one crop of that plane, contrast stretched and scaled like a
 * luma crop (upscaled below `glyphPx`, shrunk from `shrinkAbove`). Grey images and colour text
 * that luma shows already add nothing, so OCR time grows only where luma is blind.
 */
function chromaCrops(
  grey: Gray8,
  planes: readonly Gray8[],
  o: Required<Omit<PrepareOptions, 'regions'>>,
): Omit<OcrInput, 'inverted'>[] {
  const candidates: { box: Box; p: number; steps: number }[] = [];
  planes.forEach((full, p) => {
    // The plane's own text regions: a colour label beside an ultrasound fan would otherwise sit in
    // one region with the fan, whose speckle outweighs it in luma.
    for (const region of textLikelihood(full, MIN_CHROMA_EDGE).regions) {
      const box = clip(
        { x: region.x - 8, y: region.y - 8, w: region.w + 16, h: region.h + 16 },
        grey,
      );
      if (box.w < 4 || box.h < 4) continue;
      const { steps, shared } = edgeAgreement(full, grey, box);
      if (steps >= CHROMA_MIN_STEPS && shared < LUMA_SHOWS * steps)
        candidates.push({ box, p, steps });
    }
  });
  // Text that shows in both planes is read once, in the plane where it is strongest.
  candidates.sort((a, b) => b.steps - a.steps);
  const chosen: typeof candidates = [];
  for (const c of candidates) if (!chosen.some((k) => overlaps(k.box, c.box))) chosen.push(c);
  return chosen.map(({ box, p }) => {
    const plane = stretchContrast(crop(planes[p], box));
    const lineHeight = estimateLineHeight(plane, { x: 0, y: 0, w: plane.width, h: plane.height });
    let image = plane;
    let scale = 1;
    if (o.shrink && lineHeight >= o.shrinkAbove) {
      const factor = Math.max(2, Math.floor(lineHeight / 20));
      image = downscale(plane, factor);
      scale = 1 / factor;
    } else if (o.upscale && lineHeight > 0 && lineHeight < o.glyphPx) {
      scale = Math.min(o.maxScale, Math.max(2, Math.round(o.glyphPx / lineHeight)));
      image = upscale(plane, scale);
    }
    return {
      image,
      scale,
      offsetX: box.x,
      offsetY: box.y,
      label: `chroma ${CHROMA_NAMES[p]} ${scale >= 1 ? `×${scale}` : `÷${1 / scale}`}`,
    };
  });
}

function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/**
 * Strong steps (≥ CHROMA_EDGE) to the right and below inside a box in a colour plane, and how many
 * of them are strong in luma at the same pixel.
 */
function edgeAgreement(plane: Gray8, grey: Gray8, b: Box): { steps: number; shared: number } {
  let steps = 0;
  let shared = 0;
  const { width: w, data } = plane;
  const l = grey.data;
  const strong = (d: number): boolean => d >= CHROMA_EDGE || d <= -CHROMA_EDGE;
  for (let y = b.y; y < b.y + b.h - 1; y++)
    for (let x = b.x, i = y * w + b.x; x < b.x + b.w - 1; x++, i++) {
      if (strong(data[i + 1] - data[i])) {
        steps++;
        if (strong(l[i + 1] - l[i])) shared++;
      }
      if (strong(data[i + w] - data[i])) {
        steps++;
        if (strong(l[i + w] - l[i])) shared++;
      }
    }
  return { steps, shared };
}

/** Maps a box in OCR-input pixels back to frame pixels (outward, so no ink is lost). */
export function mapToFrame(box: Box, input: OcrInput): Box {
  const x0 = Math.floor(input.offsetX + box.x / input.scale);
  const y0 = Math.floor(input.offsetY + box.y / input.scale);
  const x1 = Math.ceil(input.offsetX + (box.x + box.w) / input.scale);
  const y1 = Math.ceil(input.offsetY + (box.y + box.h) / input.scale);
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}

/** Linear stretch of the 1st..99.9th percentile to 0..255 (ink above the 99.9th clips to white). */
export function stretchContrast(g: Gray8): Gray8 {
  const hist = histogram(g);
  const n = g.data.length;
  const lo = percentile(hist, n, 0.01);
  let hi = percentile(hist, n, 0.999);
  if (hi - lo < 16) hi = maxOf(hist);
  if (hi - lo < 16 || (lo === 0 && hi === 255)) return g;
  const lut = new Uint8Array(256);
  for (let v = 0; v < 256; v++)
    lut[v] = Math.max(0, Math.min(255, Math.round(((v - lo) * 255) / (hi - lo))));
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = lut[g.data[i]];
  return { width: g.width, height: g.height, data: out };
}

export function invert(g: Gray8): Gray8 {
  const out = new Uint8Array(g.data.length);
  for (let i = 0; i < out.length; i++) out[i] = 255 - g.data[i];
  return { width: g.width, height: g.height, data: out };
}

/** Bilinear upscaling by an integer factor (smooth edges read better than blocky ones). */
export function upscale(g: Gray8, scale: number): Gray8 {
  const w = g.width * scale;
  const h = g.height * scale;
  const out = new Uint8Array(w * h);
  const src = g.data;
  for (let y = 0; y < h; y++) {
    const sy = Math.min(g.height - 1, Math.max(0, (y + 0.5) / scale - 0.5));
    const y0 = Math.floor(sy);
    const y1 = Math.min(g.height - 1, y0 + 1);
    const fy = sy - y0;
    for (let x = 0; x < w; x++) {
      const sx = Math.min(g.width - 1, Math.max(0, (x + 0.5) / scale - 0.5));
      const x0 = Math.floor(sx);
      const x1 = Math.min(g.width - 1, x0 + 1);
      const fx = sx - x0;
      const top = src[y0 * g.width + x0] * (1 - fx) + src[y0 * g.width + x1] * fx;
      const bottom = src[y1 * g.width + x0] * (1 - fx) + src[y1 * g.width + x1] * fx;
      out[y * w + x] = Math.round(top * (1 - fy) + bottom * fy);
    }
  }
  return { width: w, height: h, data: out };
}

/** Area-averaging downscale by an integer factor (blocky glyph edges become smooth). */
export function downscale(g: Gray8, factor: number): Gray8 {
  const w = Math.max(1, Math.floor(g.width / factor));
  const h = Math.max(1, Math.floor(g.height / factor));
  const out = new Uint8Array(w * h);
  const n = factor * factor;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let sum = 0;
      for (let dy = 0; dy < factor; dy++) {
        const row = (y * factor + dy) * g.width + x * factor;
        for (let dx = 0; dx < factor; dx++) sum += g.data[row + dx];
      }
      out[y * w + x] = Math.round(sum / n);
    }
  return { width: w, height: h, data: out };
}

export function crop(g: Gray8, b: Box): Gray8 {
  const out = new Uint8Array(b.w * b.h);
  for (let y = 0; y < b.h; y++)
    out.set(g.data.subarray((b.y + y) * g.width + b.x, (b.y + y) * g.width + b.x + b.w), y * b.w);
  return { width: b.w, height: b.h, data: out };
}

/**
 * The median height of the text lines in a region: bands of rows with ≥ 3 strong horizontal steps.
 * 0 when no band is found.
 */
export function estimateLineHeight(g: Gray8, region: Box): number {
  const b = clip(region, g);
  const bands: number[] = [];
  let run = 0;
  for (let y = b.y; y <= b.y + b.h; y++) {
    let steps = 0;
    if (y < b.y + b.h) {
      const row = y * g.width;
      for (let x = b.x; x + 1 < b.x + b.w; x++) {
        const d = g.data[row + x + 1] - g.data[row + x];
        if (d >= 48 || d <= -48) steps++;
      }
    }
    if (steps >= 3) run++;
    else if (run > 0) {
      if (run >= 4) bands.push(run);
      run = 0;
    }
  }
  if (bands.length === 0) return 0;
  bands.sort((a, c) => a - c);
  return bands[Math.floor(bands.length / 2)];
}

function clip(b: Box, g: Gray8): Box {
  const x = Math.max(0, Math.floor(b.x));
  const y = Math.max(0, Math.floor(b.y));
  return {
    x,
    y,
    w: Math.max(0, Math.min(g.width, Math.ceil(b.x + b.w)) - x),
    h: Math.max(0, Math.min(g.height, Math.ceil(b.y + b.h)) - y),
  };
}

function histogram(g: Gray8): Uint32Array {
  const hist = new Uint32Array(256);
  for (let i = 0; i < g.data.length; i++) hist[g.data[i]]++;
  return hist;
}

function percentile(hist: Uint32Array, n: number, p: number): number {
  let seen = 0;
  for (let v = 0; v < 256; v++) {
    seen += hist[v];
    if (seen >= n * p) return v;
  }
  return 255;
}

function maxOf(hist: Uint32Array): number {
  for (let v = 255; v > 0; v--) if (hist[v] > 0) return v;
  return 0;
}

function median(g: Gray8): number {
  return percentile(histogram(g), g.data.length, 0.5);
}
