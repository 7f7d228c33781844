// The safety net: text-like blobs the OCR did not read become boxes for a person to review.

import type { Box, FoundBox, Gray8 } from '../types';
import type { OcrWord } from './types';
import { REASONS } from './classify';
import { findTextBlobs, type TextBlob } from './text-blobs';

export interface SafetyNetOptions {
  /** Words below this OCR confidence (0..100) do not count as read. */
  minConfidence?: number;
  /** A blob counts as read when at least this share of its stroke cells lies inside confident words. */
  readShare?: number;
}

/**
 * Boxes (source 'prefilter') over the text blobs inside `regions` that OCR did not account for:
 * fewer than `readShare` (0.85) of the blob's stroke cells lie inside a word read with
 * confidence ≥ `minConfidence` (60). A blob that OCR read is left to the classification of its
 * words (PHI boxes, or kept when its words are safe); an unread one is never assumed safe.
 */
export function unreadTextBoxes(
  frame: Gray8,
  regions: readonly Box[],
  words: readonly OcrWord[],
  options: SafetyNetOptions = {},
): FoundBox[] {
  return unreadBlobs(frame, regions, words, options).map((blob) => ({
    ...blob.box,
    source: 'prefilter',
    reason: REASONS.unread,
  }));
}

/** The text blobs of `regions` that OCR did not account for (see unreadTextBoxes). */
export function unreadBlobs(
  frame: Gray8,
  regions: readonly Box[],
  words: readonly OcrWord[],
  options: SafetyNetOptions = {},
): TextBlob[] {
  if (regions.length === 0) return [];
  return blobsNotRead(findTextBlobs(frame, regions), words, options);
}

/** Of `blobs`, those with fewer than `readShare` of their stroke cells inside confident words. */
export function blobsNotRead(
  blobs: readonly TextBlob[],
  words: readonly OcrWord[],
  options: SafetyNetOptions = {},
): TextBlob[] {
  const minConfidence = options.minConfidence ?? 60;
  const readShare = options.readShare ?? 0.85;
  const confident = words.filter((w) => w.confidence >= minConfidence).map((w) => grow(w.box, 2));
  const out: TextBlob[] = [];
  for (const blob of blobs) {
    const near = confident.filter((b) => intersects(b, blob.box));
    let read = 0;
    for (const c of blob.cells) if (near.some((b) => inside(c, b))) read++;
    if (read < readShare * blob.cells.length) out.push(blob);
  }
  return out;
}

function grow(b: Box, p: number): Box {
  return { x: b.x - p, y: b.y - p, w: b.w + 2 * p, h: b.h + 2 * p };
}

function intersects(a: Box, b: Box): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

function inside(p: { x: number; y: number }, b: Box): boolean {
  return p.x >= b.x && p.x < b.x + b.w && p.y >= b.y && p.y < b.y + b.h;
}
