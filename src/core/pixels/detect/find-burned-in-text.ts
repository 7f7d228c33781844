// The detection step for one image: dedup identical frames, prefilter, OCR the prepared inputs, classify, map boxes.

import type { Box, FoundBox, Gray8 } from '../types';
import { findTextBlobs, type TextBlob } from './text-blobs';
import type { OcrEngine, OcrWord, PhiContext } from './types';
import { classifyWords, union } from './classify';

import { prepareForOcr, type PrepareOptions } from './prepare';
import { textLikelihood } from './prefilter';
import { blobsNotRead, type SafetyNetOptions } from './safety-net';
import { REASONS } from './classify';
import { keyInk, keyedLineInput, type InkKey } from './ink-key';

export interface FindOptions {
  /** Read every frame (high-risk classes); otherwise only frames where the prefilter fires. */
  alwaysRead: boolean;
  prepare?: PrepareOptions;
  /**
   * The safety net (default on): in every frame that is read, text blobs of the prefilter's
   * regions that OCR did not read (words of confidence ≥ 60, ≥ 75 in identifiers mode, over
   * ≥ 85% of the blob) become boxes (source 'prefilter') for a person to review. `false` turns
   * it off (benchmarks of OCR alone).
   */
  safetyNet?: boolean | SafetyNetOptions;
  /**
   * The second pass (default on): text blobs the first reading left unread are keyed by their
   * ink colour along their whole line (core/pixels/detect/ink-key) and read again as clean
   * black-on-white lines; the net's boxes over blobs still unread grow along their line's ink.
   */
  secondPass?: boolean;
}

export interface BurnedInTextResult {
  boxes: FoundBox[];
  /** 'ocr' when at least one frame was read; 'cleared' when the prefilter cleared every frame. */
  read: 'ocr' | 'cleared';
  /** Distinct frames that OCR read. */
  framesRead: number;
}

/**
 * Finds PHI text in the frames of one image. Identical frames (same size and bytes) are read
 * once. Boxes are in frame pixels, clipped to the frame; a box found (overlapping by ≥ 70%) in
 * every frame of a multi-frame image is returned once with `frame` undefined, others carry
 * their frame index. Single-frame images return `frame` undefined.
 */
export async function findBurnedInText(
  frames: readonly Gray8[],
  context: PhiContext,
  ocr: OcrEngine,
  options: FindOptions,
): Promise<BurnedInTextResult> {
  const unique = dedupFrames(frames);
  const perFrame: FoundBox[][] = frames.map(() => []);
  let framesRead = 0;
  for (const { frame, indexes } of unique) {
    // Computed for frames that are always read too: the safety net needs its regions.
    const likelihood = textLikelihood(frame);
    if (!options.alwaysRead && !likelihood.fires) continue;
    const regions: Box[] = options.prepare?.regions ?? likelihood.regions;
    framesRead++;
    const words: OcrWord[] = [];
    for (const input of prepareForOcr(frame, { ...options.prepare, regions }))
      words.push(...(await ocr.recognize(input)));
    const net = options.safetyNet ?? true;
    const netOptions: SafetyNetOptions = {
      // In identifiers mode a word that was read but matched nothing is let through, so the
      // read must be surer before the net trusts it.
      minConfidence: context.mode === 'identifiers' ? 75 : 60,
      ...(net === true || net === false ? {} : net),
    };
    const secondPass = options.secondPass ?? true;
    const blobs = net !== false || secondPass ? findTextBlobs(frame, regions) : [];
    let unread = blobsNotRead(blobs, words, netOptions);
    const keys = new Map<TextBlob, InkKey | undefined>();
    const keyOf = (blob: TextBlob): InkKey | undefined => {
      if (!keys.has(blob)) keys.set(blob, keyInk(frame, blob.box));
      return keys.get(blob);
    };
    if (secondPass && unread.length > 0) {
      const lines: InkKey[] = [];
      for (const blob of unread) {
        const key = keyOf(blob);
        // One reading per line: a blob whose keyed line another already spans adds nothing.
        if (key && !lines.some((k) => contains(k.extent, key.extent))) lines.push(key);
      }
      for (const key of lines) words.push(...(await ocr.recognize(keyedLineInput(key))));
      if (lines.length > 0) unread = blobsNotRead(unread, words, netOptions);
    }
    const found = classifyWords(words, context);
    if (net !== false)
      for (const blob of unread) {
        const key = secondPass ? keyOf(blob) : undefined;
        const box = key ? union(blob.box, key.extent) : blob.box;
        if (!options.alwaysRead && !shapedLikeText(box, frame)) continue;
        found.push({ ...box, source: 'prefilter', reason: REASONS.unread });
      }
    const boxes = found.map((b) => clipToFrame(b, frame));
    for (const i of indexes) perFrame[i] = boxes;
  }
  return {
    boxes: frames.length === 1 ? perFrame[0] : collapseFrames(perFrame),
    read: framesRead > 0 ? 'ocr' : 'cleared',
    framesRead,
  };
}

/**
 * Whether an unread region could be burned-in text on an ordinary image (one the prefilter chose,
 * not a high-risk class): text sits in bands at the margins, never half the frame's height or a
 * quarter of its area. A small image's anatomy (a 64×64 MR) can look like strokes; boxing it
 * blacked out most of the image. High-risk images (screenshots, dose sheets) may be all text.
 */
export function shapedLikeText(box: Box, frame: { width: number; height: number }): boolean {
  return box.h <= frame.height / 2 && box.w * box.h <= (frame.width * frame.height) / 4;
}

/** Frames grouped by content: FNV-1a over every byte, confirmed byte for byte. */
export function dedupFrames(frames: readonly Gray8[]): { frame: Gray8; indexes: number[] }[] {
  const byHash = new Map<string, { frame: Gray8; indexes: number[] }[]>();
  const out: { frame: Gray8; indexes: number[] }[] = [];
  frames.forEach((frame, i) => {
    const key = `${frame.width}x${frame.height}:${hashBytes(frame.data)}`;
    const bucket = byHash.get(key) ?? [];
    const same = bucket.find((g) => equalBytes(g.frame.data, frame.data));
    if (same) same.indexes.push(i);
    else {
      const group = { frame, indexes: [i] };
      bucket.push(group);
      out.push(group);
      byHash.set(key, bucket);
    }
  });
  return out;
}

function hashBytes(data: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < data.length; i++) h = Math.imul(h ^ data[i], 0x01000193);
  return h >>> 0;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function clipToFrame(b: FoundBox, g: Gray8): FoundBox {
  const x = Math.max(0, b.x);
  const y = Math.max(0, b.y);
  return { ...b, x, y, w: Math.min(g.width, b.x + b.w) - x, h: Math.min(g.height, b.y + b.h) - y };
}

function contains(outer: Box, inner: Box): boolean {
  return (
    inner.x >= outer.x &&
    inner.y >= outer.y &&
    inner.x + inner.w <= outer.x + outer.w &&
    inner.y + inner.h <= outer.y + outer.h
  );
}

function iou(a: Box, b: Box): number {
  const w = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
  if (w <= 0 || h <= 0) return 0;
  const i = w * h;
  return i / (a.w * a.h + b.w * b.h - i);
}

/** Boxes present in every frame become one all-frames box; the rest keep their frame index. */
function collapseFrames(perFrame: FoundBox[][]): FoundBox[] {
  const out: FoundBox[] = [];
  const used = perFrame.map((boxes) => boxes.map(() => false));
  perFrame[0]?.forEach((first, k) => {
    const matches: [number, number][] = [[0, k]];
    for (let f = 1; f < perFrame.length; f++) {
      const j = perFrame[f].findIndex((b, jj) => !used[f][jj] && iou(b, first) >= 0.7);
      if (j < 0) return;
      matches.push([f, j]);
    }
    let box: Box = first;
    for (const [f, j] of matches) {
      used[f][j] = true;
      box = union(box, perFrame[f][j]);
    }
    out.push({ ...first, ...box, frame: undefined });
  });
  perFrame.forEach((boxes, f) =>
    boxes.forEach((b, j) => {
      if (!used[f][j]) out.push({ ...b, frame: f });
    }),
  );
  return out;
}
