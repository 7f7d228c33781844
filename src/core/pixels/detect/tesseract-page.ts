// Words out of a tesseract.js page result (blocks → paragraphs → lines → words), mapped back to frame pixels.

import type { OcrInput, OcrWord } from './types';
import { mapToFrame } from './prepare';

interface Bbox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** The part of tesseract.js's `Page` that is read here (typed structurally: core does not import it). */
export interface TesseractPageLike {
  blocks?:
    | {
        paragraphs?: { lines?: { words?: { text: string; confidence: number; bbox: Bbox }[] }[] }[];
      }[]
    | null;
}

/** Non-blank words with boxes in frame pixels. */
export function wordsFromPage(page: TesseractPageLike, input: OcrInput): OcrWord[] {
  const words: OcrWord[] = [];
  for (const block of page.blocks ?? [])
    for (const paragraph of block.paragraphs ?? [])
      for (const line of paragraph.lines ?? [])
        for (const word of line.words ?? []) {
          const text = word.text.trim();
          if (text === '') continue;
          const { x0, y0, x1, y1 } = word.bbox;
          words.push({
            text,
            confidence: word.confidence,
            box: mapToFrame({ x: x0, y: y0, w: x1 - x0, h: y1 - y0 }, input),
          });
        }
  return words;
}
