// Tight boxes around the text inside the prefilter's loose regions: the safety net's unit of review.

import type { Box, Gray8 } from '../types';
import { toChromaPlanes, toLuma } from './luma';
import { MIN_CHROMA_EDGE } from './prefilter';

/** A text-like blob: its tight box in frame pixels and the 4×4 cells of strokes inside it. */
export interface TextBlob {
  box: Box;
  /** Centres (frame pixels) of the stroke cells, to measure how much of the blob OCR read. */
  cells: { x: number; y: number }[];
}

/** Stroke cells are 4×4 pixels; tiles that set the local edge threshold are 16×16. */
const CELL = 4;
const TILE = 16;
/** The least grey step counted as a stroke edge, and the cap of the local threshold. */
const MIN_EDGE = 32;
const MAX_EDGE = 160;
/**
 * Tiles with a threshold this high are noisy (speckle): there, dim ink shows as flat pixels
 * (equal to their right and lower neighbours) that speckle almost never makes; FLAT_SEED of
 * them make a cell a stroke cell.
 */
const NOISY_EDGE = 40;
const FLAT_SEED = 3;
/** Gaps closed between stroke cells: letter and word gaps along a line (cells), line gaps (cells). */
const JOIN_X = 3;
const JOIN_Y = 2;
/**
 * How far past a prefilter region blobs are sought (px): a line of text runs on beyond the
 * dense blocks that made the region (its ends, a word after a gap).
 */
const REACH_X = 48;
const REACH_Y = 16;
/**
 * A blob whose box is over BIG_SHARE of the image and whose box is less than SPARSE filled with
 * stroke cells is a chain, not a text block: it is split again with no gaps closed.
 */
const BIG_SHARE = 0.15;
const SPARSE = 0.25;

/**
 * Blobs of text strokes inside `regions` (the prefilter's block-aligned regions, reaching 48 px
 * past them along a line and 16 px across). The edge threshold is local: 4× the median neighbour step of each 16×16 tile (32..160),
 * so ultrasound speckle — which the global prefilter counts as dense strokes — drops out while
 * ink on it (a step far above the speckle's own) stays. Stroke cells (4×4 with ≥ 2 horizontal
 * and ≥ 1 vertical edges) seed; cells with any 2 edges within 2 cells of a seed join them (the
 * plain sides of a 40 px stroke); cells join across letter and word gaps (3 cells) and line
 * gaps (2 cells). A big sparse blob (a chain along an ultrasound fan's rim) is split again with
 * no gaps closed. A blob's box is its cells' extent padded by 2 px; blobs without text-dense
 * strokes both ways are dropped. RGBA images are searched in luma and in the two opponent-colour
 * planes (core/pixels/detect/luma toChromaPlanes).
 */
export function findTextBlobs(image: Gray8, regions: readonly Box[]): TextBlob[] {
  const blobs = blobsOfPlane(toLuma(image), regions);
  // Colour text of its background's luminance shows only in an opponent plane: its blobs count
  // too, unless a luma blob covers the same place already.
  for (const plane of toChromaPlanes(image))
    for (const b of blobsOfPlane(plane, regions, MIN_CHROMA_EDGE))
      if (!blobs.some((a) => intersects(a.box, b.box))) blobs.push(b);
  return blobs;
}

function intersects(a: Box, b: Box): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/** findTextBlobs on one grey plane (luma, or an opponent-colour plane of an RGBA image). */
function blobsOfPlane(g: Gray8, regions: readonly Box[], minEdge = MIN_EDGE): TextBlob[] {
  const { width: w, height: h } = g;
  const gw = Math.ceil(w / CELL);
  const gh = Math.ceil(h / CELL);
  const on = new Uint8Array(gw * gh);
  const eh = new Uint16Array(gw * gh);
  const ev = new Uint16Array(gw * gh);
  const flat = new Uint16Array(gw * gh);
  const tw = Math.ceil(w / TILE);
  const th = Math.ceil(h / TILE);
  const inRegion = new Uint8Array(tw * th);
  for (const r of regions)
    for (
      let ty = Math.max(0, Math.floor((r.y - REACH_Y) / TILE));
      ty < Math.min(th, Math.ceil((r.y + r.h + REACH_Y) / TILE));
      ty++
    )
      for (
        let tx = Math.max(0, Math.floor((r.x - REACH_X) / TILE));
        tx < Math.min(tw, Math.ceil((r.x + r.w + REACH_X) / TILE));
        tx++
      )
        inRegion[ty * tw + tx] = 1;
  // Each tile's own noise sets its threshold (a neighbour's higher threshold would erase dim
  // text that crosses the rim of an ultrasound fan; the chains the rim makes are split below).
  for (let ty = 0; ty < th; ty++)
    for (let tx = 0; tx < tw; tx++) {
      if (inRegion[ty * tw + tx] !== 1) continue;
      const x0 = tx * TILE;
      const y0 = ty * TILE;
      const t = tileThreshold(g, x0, y0, minEdge);
      countEdges(
        g,
        x0,
        y0,
        Math.min(w - 1, x0 + TILE),
        Math.min(h - 1, y0 + TILE),
        t,
        gw,
        eh,
        ev,
        flat,
      );
    }
  // Hysteresis: cells with edges both ways seed; cells with any two edges join within 2 cells of
  // a seed (the long plain sides of a 40 px stroke).
  const seed = new Uint8Array(gw * gh);
  for (let i = 0; i < on.length; i++)
    if ((eh[i] >= 2 && ev[i] >= 1) || flat[i] >= FLAT_SEED) seed[i] = 1;
  for (let cy = 0; cy < gh; cy++)
    for (let cx = 0; cx < gw; cx++) {
      const i = cy * gw + cx;
      if (eh[i] + ev[i] < 2 && flat[i] < 2) continue;
      for (let dy = -2; dy <= 2 && on[i] === 0; dy++)
        for (let dx = -2; dx <= 2; dx++) {
          const x = cx + dx;
          const y = cy + dy;
          if (x >= 0 && y >= 0 && x < gw && y < gh && seed[y * gw + x] === 1) {
            on[i] = 1;
            break;
          }
        }
    }
  const out: TextBlob[] = [];
  for (const c of components(on, eh, ev, gw, gh, JOIN_X, JOIN_Y)) {
    // A sparse chain (speckle along an ultrasound fan's rim, joined to a label beside it) is
    // split again with no gaps closed: its dense parts stay, the chain's bounding box goes.
    let parts = [c];
    if (c.box.w * c.box.h > BIG_SHARE * w * h && density(c) < SPARSE) {
      const mask = new Uint8Array(gw * gh);
      for (const cell of c.cells)
        mask[((cell.y - CELL / 2) / CELL) * gw + (cell.x - CELL / 2) / CELL] = 1;
      parts = components(mask, eh, ev, gw, gh, 1, 1).filter(
        (p) => p.cells.length >= 3 && density(p) >= SPARSE,
      );
    }
    for (const p of parts)
      if (p.eh >= 3 * Math.min(p.box.w, p.box.h) && p.ev >= 1.5 * p.box.h)
        out.push({ box: pad(p.box, 2, w, h), cells: p.cells });
  }
  return out;
}

/** Share of the cells of a component's box that are stroke cells. */
function density(c: Component): number {
  return (c.cells.length * CELL * CELL) / (c.box.w * c.box.h);
}

/** 4× the median neighbour step of a tile (32..160); pairs clipped at 0 or 255 say nothing about noise. */
function tileThreshold(g: Gray8, x0: number, y0: number, minEdge: number): number {
  const { width: w, height: h, data } = g;
  const hist = new Uint16Array(256);
  let n = 0;
  for (let y = y0; y < Math.min(h, y0 + TILE); y++)
    for (let x = x0, i = y * w + x0; x < Math.min(w - 1, x0 + TILE); x++, i++) {
      const a = data[i];
      const b = data[i + 1];
      if ((a === 0 && b === 0) || (a === 255 && b === 255)) continue;
      hist[a > b ? a - b : b - a]++;
      n++;
    }
  if (n < 16) return minEdge;
  let seen = 0;
  let median = 0;
  for (; median < 255; median++) {
    seen += hist[median];
    if (seen * 2 >= n) break;
  }
  return Math.min(MAX_EDGE, Math.max(minEdge, 4 * median));
}

/** Strong steps to the right and below, counted per 4×4 cell, in [x0, x1) × [y0, y1). */
function countEdges(
  g: Gray8,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  t: number,
  gw: number,
  eh: Uint16Array,
  ev: Uint16Array,
  flat: Uint16Array,
): void {
  const { width: w, data } = g;
  const noisy = t >= NOISY_EDGE;
  for (let y = y0; y < y1; y++) {
    const cellRow = (y >> 2) * gw;
    for (let x = x0, i = y * w + x0; x < x1; x++, i++) {
      const a = data[i];
      const dh = data[i + 1] - a;
      const dv = data[i + w] - a;
      if (dh >= t || dh <= -t) eh[cellRow + (x >> 2)]++;
      if (dv >= t || dv <= -t) ev[cellRow + (x >> 2)]++;
      // In a noisy tile (speckle), flat ink: equal to its right and lower neighbours (±2), not dark.
      if (noisy && a > 8 && dh <= 2 && dh >= -2 && dv <= 2 && dv >= -2) flat[cellRow + (x >> 2)]++;
    }
  }
}

interface Component {
  box: Box;
  eh: number;
  ev: number;
  cells: { x: number; y: number }[];
}

/** Groups of stroke cells within JOIN_X cells along a row and JOIN_Y cells across rows. */
function components(
  on: Uint8Array,
  eh: Uint16Array,
  ev: Uint16Array,
  gw: number,
  gh: number,
  joinX: number,
  joinY: number,
): Component[] {
  const label = new Int32Array(on.length).fill(-1);
  const out: Component[] = [];
  const stack: number[] = [];
  for (let start = 0; start < on.length; start++) {
    if (on[start] !== 1 || label[start] >= 0) continue;
    const id = out.length;
    let [cx0, cy0, cx1, cy1, sh, sv] = [gw, gh, -1, -1, 0, 0];
    const cells: { x: number; y: number }[] = [];
    label[start] = id;
    stack.push(start);
    while (stack.length > 0) {
      const c = stack.pop()!;
      const cx = c % gw;
      const cy = (c - cx) / gw;
      cx0 = Math.min(cx0, cx);
      cx1 = Math.max(cx1, cx);
      cy0 = Math.min(cy0, cy);
      cy1 = Math.max(cy1, cy);
      sh += eh[c];
      sv += ev[c];
      cells.push({ x: cx * CELL + CELL / 2, y: cy * CELL + CELL / 2 });
      for (let ny = Math.max(0, cy - joinY); ny <= Math.min(gh - 1, cy + joinY); ny++)
        for (let nx = Math.max(0, cx - joinX); nx <= Math.min(gw - 1, cx + joinX); nx++) {
          const n = ny * gw + nx;
          if (on[n] !== 1 || label[n] >= 0) continue;
          label[n] = id;
          stack.push(n);
        }
    }
    out.push({
      box: { x: cx0 * CELL, y: cy0 * CELL, w: (cx1 - cx0 + 1) * CELL, h: (cy1 - cy0 + 1) * CELL },
      eh: sh,
      ev: sv,
      cells,
    });
  }
  return out;
}

function pad(b: Box, p: number, w: number, h: number): Box {
  const x = Math.max(0, b.x - p);
  const y = Math.max(0, b.y - p);
  return { x, y, w: Math.min(w, b.x + b.w + p) - x, h: Math.min(h, b.y + b.h + p) - y };
}
