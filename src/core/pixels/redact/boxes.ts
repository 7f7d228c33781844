// Boxes clipped to the image and grouped by frame: what redaction fills, counted once per pixel.
import type { Box } from '../types';

/** A box inside the image: whole pixels, x0 <= x < x1, y0 <= y < y1. */
export interface Rect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface FramePlan {
  /** Rects to fill, per frame index (frames without any are absent). */
  rects: Map<number, Rect[]>;
  /** The boxes as applied: clipped (widened to whole pixel pairs when asked), with their source and reason. */
  applied: Box[];
}

/** Where a box came from and why (FoundBox `source`, `reason`) travel into the log; nothing else does, so no text can. */
function provenance(box: Box): { source?: string; reason?: string } {
  const { source, reason } = box as { source?: unknown; reason?: unknown };
  return {
    ...(typeof source === 'string' ? { source } : {}),
    ...(typeof reason === 'string' ? { reason } : {}),
  };
}

/**
 * Clips boxes to the image (fractional edges widen to whole pixels), drops empty ones and boxes
 * naming a frame the image does not have, and lists each frame's rects. `pairs` widens boxes to
 * even x edges (YBR_FULL_422 stores one chroma pair per two pixels, PS3.3 C.7.6.3.1.2).
 */
export function planBoxes(
  boxes: readonly Box[],
  rows: number,
  columns: number,
  frames: number,
  pairs = false,
): FramePlan {
  const rects = new Map<number, Rect[]>();
  const applied: Box[] = [];
  for (const box of boxes) {
    if (![box.x, box.y, box.w, box.h].every(Number.isFinite)) continue;
    let x0 = Math.max(0, Math.floor(box.x));
    let x1 = Math.min(columns, Math.ceil(box.x + box.w));
    const y0 = Math.max(0, Math.floor(box.y));
    const y1 = Math.min(rows, Math.ceil(box.y + box.h));
    if (pairs) {
      x0 -= x0 & 1;
      x1 = Math.min(columns, x1 + (x1 & 1));
    }
    if (x1 <= x0 || y1 <= y0) continue;
    const rect = { x0, y0, x1, y1 };
    const plain: Box = { x: x0, y: y0, w: x1 - x0, h: y1 - y0, ...provenance(box) };
    if (box.frame === undefined) {
      for (let f = 0; f < frames; f++) rects.set(f, [...(rects.get(f) ?? []), rect]);
      applied.push(plain);
    } else if (Number.isInteger(box.frame) && box.frame >= 0 && box.frame < frames) {
      rects.set(box.frame, [...(rects.get(box.frame) ?? []), rect]);
      applied.push({ ...plain, frame: box.frame });
    }
  }
  return { rects, applied };
}

/** Pixels covered by a frame's rects, overlaps counted once. */
export function coveredPixels(rects: readonly Rect[], columns: number, rows: number): number {
  if (rects.length === 1) {
    const r = rects[0];
    return (r.x1 - r.x0) * (r.y1 - r.y0);
  }
  const mask = new Uint8Array(columns * rows);
  let count = 0;
  for (const r of rects)
    for (let y = r.y0; y < r.y1; y++)
      for (let i = y * columns + r.x0, end = y * columns + r.x1; i < end; i++)
        if (mask[i] === 0) {
          mask[i] = 1;
          count++;
        }
  return count;
}
