// Keys a text line by its ink colour: burned-in text is drawn in one flat colour, speckle is not.

import type { Box, Gray8 } from '../types';
import type { OcrInput } from './types';
import { toChromaPlanes, toLuma } from './luma';
import { downscale, upscale } from './prepare';

/** A text line keyed by its ink: which pixels of `band` (frame pixels) are ink. */
export interface InkKey {
  band: Box;
  /** band.w × band.h, 1 where the pixel is ink (after dropping specks). */
  mask: Uint8Array;
  /** The line's glyph height in pixels, measured on the mask. */
  lineHeight: number;
  /** The blob's box grown along its line over ink columns (frame pixels). */
  extent: Box;
}

/** A 2×2 range up to this (in the plane's units) counts as flat: ink cores (JPEG ringing included). */
const FLAT = 8;
/** Half-width of the ink's value window, luma levels (halved in an opponent plane). */
const TOLERANCE = 14;
/** The ink must differ from the blob's background by at least this (luma levels). */
const MIN_SEPARATION = 28;
/** Flat pixels of the ink's value the blob must hold before its ink is trusted. */
const MIN_INK_CORE = 12;
/** A 2×2 range up to this (luma levels) makes a core pixel: flat ink, not speckle. */
const CORE_FLAT = 10;
/** The least share of a keyed line's box (extent × line height) that is ink. */
const MIN_INK_SHARE = 0.12;
/** Ink columns further apart than this many line heights end the line. */
const MAX_GAP = 1.5;

/**
 * The ink key of a text blob: the blob's ink is the most common value among its flat pixels
 * (3×3 cores of strokes) far from its background (the median of its box's outer ring), in the
 * grey plane where ink and background differ most (luma, or for RGBA the opponent-colour plane
 * where colour text of its background's luminance shows). Over the blob's rows across the whole
 * frame width, pixels within TOLERANCE of the ink are ink; 8-connected specks smaller than a
 * glyph dot are dropped, so ultrasound speckle that happens to take the ink's value falls out
 * while text drawn across the speckle stays. `undefined` when no plane shows a flat ink.
 */
export function keyInk(frame: Gray8, blob: Box): InkKey | undefined {
  const b = clip(blob, frame.width, frame.height);
  if (b.w < 6 || b.h < 6) return undefined;
  const planes: { g: Gray8; unit: number }[] = [{ g: toLuma(frame), unit: 1 }];
  for (const p of toChromaPlanes(frame)) planes.push({ g: p, unit: 2 });
  let best: { g: Gray8; unit: number; ink: number; bg: number; sep: number } | undefined;
  for (const { g, unit } of planes) {
    const found = inkOf(g, b, unit);
    if (
      found &&
      found.sep * unit >= MIN_SEPARATION &&
      (!best || found.sep * unit > best.sep * best.unit)
    )
      best = { g, unit, ...found };
  }
  if (!best) return undefined;
  const band: Box = { x: 0, y: b.y, w: frame.width, h: b.h };
  const mask = keyBand(best.g, band, best.ink, best.bg, best.unit, b.h - 4 < 16);
  const guess = Math.max(4, b.h - 4);
  dropSpecks(mask, band.w, band.h, Math.max(3, Math.round(0.5 * (guess / 7) ** 2)));
  const lineHeight = measureLineHeight(mask, band, b) || guess;
  const extent = growAlongLine(mask, band, b, lineHeight);
  // Glyphs ink a fifth or more of their line's box; a sparse key is speckle or a fan's rim.
  let ink = 0;
  for (let y = 0; y < band.h; y++)
    for (let x = extent.x; x < extent.x + extent.w; x++) ink += mask[y * band.w + x];
  if (ink < MIN_INK_SHARE * extent.w * Math.min(band.h, lineHeight)) return undefined;
  return { band, mask, lineHeight, extent };
}

/**
 * The OCR input of a keyed line: ink black on white over the blob's extent (padded half a line),
 * scaled so its glyphs are about `glyphPx` tall (bilinear up to ×4, area-averaged down).
 */
export function keyedLineInput(key: InkKey, glyphPx = 24): OcrInput {
  const pad = Math.ceil(key.lineHeight / 2);
  const x0 = Math.max(0, key.extent.x - pad);
  const x1 = Math.min(key.band.w, key.extent.x + key.extent.w + pad);
  const w = x1 - x0;
  // Rows: the band plus white margins (tesseract wants space around a line).
  const h = key.band.h + 2 * pad;
  const data = new Uint8Array(w * h).fill(255);
  for (let y = 0; y < key.band.h; y++)
    for (let x = 0; x < w; x++)
      if (key.mask[y * key.band.w + x0 + x] === 1) data[(y + pad) * w + x] = 0;
  let image: Gray8 = { width: w, height: h, data };
  let scale = 1;
  if (key.lineHeight < glyphPx * 0.75) {
    scale = Math.min(4, Math.max(2, Math.round(glyphPx / key.lineHeight)));
    image = upscale(image, scale);
  } else if (key.lineHeight > glyphPx * 1.5) {
    const factor = Math.max(2, Math.floor(key.lineHeight / glyphPx));
    image = downscale(image, factor);
    scale = 1 / factor;
  }
  return {
    image,
    scale,
    offsetX: x0,
    offsetY: key.band.y - pad,
    inverted: false,
    label: `keyed line ${scale >= 1 ? `×${scale}` : `÷${1 / scale}`}`,
  };
}

/** The ink value of a blob in one plane and its separation from the background, or undefined. */
function inkOf(
  g: Gray8,
  b: Box,
  unit: number,
): { ink: number; bg: number; sep: number } | undefined {
  const { width: w, data } = g;
  // Strokes of glyphs under 16 px are under 2.3 px wide: flat pairs, not 2×2 squares, are their cores.
  const thin = b.h - 4 < 16;
  const flatHist = (x0: number, y0: number, x1: number, y1: number): Uint32Array => {
    const hist = new Uint32Array(256);
    const flat = FLAT / unit;
    for (let y = Math.max(0, y0); y < Math.min(g.height - 1, y1); y++)
      for (let x = Math.max(0, x0), i = y * w + x; x < Math.min(w - 1, x1); x++, i++) {
        const v = data[i];
        const r = data[i + 1];
        const d = data[i + w];
        const dr = data[i + w + 1];
        const square = Math.max(v, r, d, dr) - Math.min(v, r, d, dr) <= flat;
        const pair = Math.abs(v - r) <= flat || Math.abs(v - d) <= flat;
        if (thin ? pair : square) hist[v]++;
      }
    return hist;
  };
  const win = Math.max(1, Math.round(TOLERANCE / unit / 2));
  const peak = (hist: Uint32Array, awayFrom?: number): { at: number; n: number } => {
    let at = -1;
    let most = 0;
    for (let v = 0; v < 256; v++) {
      if (awayFrom !== undefined && Math.abs(v - awayFrom) < MIN_SEPARATION / unit) continue;
      let n = 0;
      for (let u = Math.max(0, v - win); u <= Math.min(255, v + win); u++) n += hist[u];
      if (n > most) {
        most = n;
        at = v;
      }
    }
    return { at, n: most };
  };
  // The two commonest flat values inside the blob are ink and background; the background is the
  // one the rows just above and below the blob (gaps between lines) hold more of. Over speckle,
  // where one of them is missing, the median of those rows stands for the background.
  const inside = flatHist(b.x, b.y, b.x + b.w, b.y + b.h);
  const first = peak(inside);
  if (first.at < 0) return undefined;
  const second = peak(inside, first.at);
  const outside: number[] = [];
  for (const y of [b.y - 3, b.y - 2, b.y + b.h + 1, b.y + b.h + 2])
    if (y >= 0 && y < g.height) for (let x = b.x; x < b.x + b.w; x++) outside.push(data[y * w + x]);
  if (outside.length === 0) return undefined;
  const votes = (v: number): number =>
    v < 0 ? 0 : outside.filter((u) => Math.abs(u - v) <= win).length;
  let bg: number;
  let ink: number;
  let most: number;
  const [v1, v2] = [votes(first.at), votes(second.at)];
  if (second.at >= 0 && Math.max(v1, v2) >= outside.length / 4) {
    [bg, ink, most] = v1 >= v2 ? [first.at, second.at, second.n] : [second.at, first.at, first.n];
  } else {
    outside.sort((p, q) => p - q);
    bg = outside[Math.floor(outside.length / 2)];
    const far = peak(inside, bg);
    ink = far.at;
    most = far.n;
  }
  if (ink < 0 || most < MIN_INK_CORE) return undefined;
  return { ink, bg, sep: Math.abs(ink - bg) };
}
/**
 * Ink pixels of a band: cores (within TOLERANCE of the ink and flat over 2×2, which speckle
 * almost never is), grown twice into neighbours nearer the ink than the background (anti-aliased
 * and JPEG-blurred stroke edges).
 */
function keyBand(
  g: Gray8,
  band: Box,
  ink: number,
  bg: number,
  unit: number,
  thin: boolean,
): Uint8Array {
  const { width, data } = g;
  const tol = TOLERANCE / unit;
  const flat = CORE_FLAT / unit;
  const sign = ink > bg ? 1 : -1;
  const half = (Math.abs(ink - bg) * 1) / 2;
  const mask = new Uint8Array(band.w * band.h);
  const weak = new Uint8Array(band.w * band.h);
  for (let y = 0; y < band.h; y++) {
    const fy = band.y + y;
    for (let x = 0, i = fy * width + band.x; x < band.w; x++, i++) {
      const v = data[i];
      if ((v - bg) * sign >= half) weak[y * band.w + x] = 1;
      // Toward the background a quarter of the separation (JPEG dims thin strokes), beyond the ink TOLERANCE.
      const d = (v - ink) * sign;
      if (d > tol || d < -Math.max(tol, half / 2)) continue;
      const r = x + 1 < band.w ? data[i + 1] : v;
      const dn = fy + 1 < g.height ? data[i + width] : v;
      const dr = x + 1 < band.w && fy + 1 < g.height ? data[i + width + 1] : v;
      const flatHere = thin
        ? Math.abs(v - r) <= flat || Math.abs(v - dn) <= flat
        : Math.max(v, r, dn, dr) - Math.min(v, r, dn, dr) <= flat;
      if (flatHere) mask[y * band.w + x] = 1;
    }
  }
  for (let pass = 0; pass < 2; pass++) {
    const grow: number[] = [];
    for (let y = 0; y < band.h; y++)
      for (let x = 0; x < band.w; x++) {
        const i = y * band.w + x;
        if (mask[i] === 1 || weak[i] !== 1) continue;
        if (
          (x > 0 && mask[i - 1] === 1) ||
          (x + 1 < band.w && mask[i + 1] === 1) ||
          (y > 0 && mask[i - band.w] === 1) ||
          (y + 1 < band.h && mask[i + band.w] === 1)
        )
          grow.push(i);
      }
    for (const i of grow) mask[i] = 1;
  }
  return mask;
}

/** Clears 8-connected groups of mask pixels smaller than `minArea` (specks of speckle). */
function dropSpecks(mask: Uint8Array, w: number, h: number, minArea: number): void {
  const seen = new Uint8Array(mask.length);
  const stack: number[] = [];
  const group: number[] = [];
  for (let start = 0; start < mask.length; start++) {
    if (mask[start] !== 1 || seen[start] === 1) continue;
    group.length = 0;
    seen[start] = 1;
    stack.push(start);
    while (stack.length > 0) {
      const c = stack.pop()!;
      group.push(c);
      const cx = c % w;
      const cy = (c - cx) / w;
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) {
          const x = cx + dx;
          const y = cy + dy;
          if (x < 0 || y < 0 || x >= w || y >= h) continue;
          const n = y * w + x;
          if (mask[n] === 1 && seen[n] === 0) {
            seen[n] = 1;
            stack.push(n);
          }
        }
    }
    // Specks, and slabs: a long solid run the height of the band is a panel or a fan, not glyphs.
    let [x0, y0, x1, y1] = [w, h, -1, -1];
    for (const c of group) {
      const cx = c % w;
      const cy = (c - cx) / w;
      x0 = Math.min(x0, cx);
      x1 = Math.max(x1, cx);
      y0 = Math.min(y0, cy);
      y1 = Math.max(y1, cy);
    }
    const bw = x1 - x0 + 1;
    const slab = bw > 3 * h && group.length > 0.6 * bw * (y1 - y0 + 1);
    if (group.length < minArea || slab) for (const c of group) mask[c] = 0;
  }
}

/** The longest run of mask rows holding ink within the blob's columns (the glyph height). */
function measureLineHeight(mask: Uint8Array, band: Box, b: Box): number {
  let best = 0;
  let run = 0;
  for (let y = 0; y < band.h; y++) {
    let any = false;
    for (let x = b.x; x < b.x + b.w && !any; x++) any = mask[y * band.w + x] === 1;
    run = any ? run + 1 : 0;
    best = Math.max(best, run);
  }
  return best;
}

/** The blob's box grown left and right over ink columns, ending at a gap over MAX_GAP line heights. */
function growAlongLine(mask: Uint8Array, band: Box, b: Box, lineHeight: number): Box {
  const inkColumn = new Uint8Array(band.w);
  for (let y = 0; y < band.h; y++)
    for (let x = 0; x < band.w; x++) if (mask[y * band.w + x] === 1) inkColumn[x] = 1;
  const gap = Math.max(4, Math.round(MAX_GAP * lineHeight));
  let right = b.x + b.w;
  for (let x = right, last = right - 1; x < band.w && x - last <= gap; x++)
    if (inkColumn[x] === 1) {
      last = x;
      right = x + 1;
    }
  let left = b.x;
  for (let x = left - 1, last = left; x >= 0 && last - x <= gap; x--)
    if (inkColumn[x] === 1) {
      last = x;
      left = x;
    }
  return { x: left, y: b.y, w: right - left, h: b.h };
}

function clip(b: Box, w: number, h: number): Box {
  const x = Math.max(0, b.x);
  const y = Math.max(0, b.y);
  return { x, y, w: Math.min(w, b.x + b.w) - x, h: Math.min(h, b.y + b.h) - y };
}
