// Integration: real tesseract.js (one shared worker) on generated images with burned-in text.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeOcr } from './ocr';
import { findBurnedInText } from '../../core/pixels/detect/find-burned-in-text';
import { defaultSafeTokens } from '../../core/pixels/detect/safe-tokens';
import type { OcrEngine } from '../../core/pixels/detect/types';
import type { Box } from '../../core/pixels/types';
import { generateBurnedTextSet } from '../../core/sample/burned-text';

let ocr: OcrEngine;
beforeAll(async () => {
  ocr = await createNodeOcr();
}, 30_000);
afterAll(async () => {
  await ocr?.terminate();
});

function covered(p: Box, boxes: Box[]): number {
  let inside = 0;
  for (let y = p.y; y < p.y + p.h; y++)
    for (let x = p.x; x < p.x + p.w; x++)
      if (boxes.some((b) => x >= b.x && x < b.x + b.w && y >= b.y && y < b.y + b.h)) inside++;
  return inside / (p.w * p.h);
}

const set = generateBurnedTextSet(11, 5);

describe('tesseract.js in Node (PSM 3, PGM input)', () => {
  it('finds and boxes the planted name, ID and date lines (identifiers mode)', async () => {
    for (const image of set.filter((s) => !s.textFree).slice(0, 3)) {
      const found = await findBurnedInText(
        [image.image],
        {
          mode: 'identifiers',
          identifiers: image.identifiers,
          safeTokens: defaultSafeTokens(image.modality),
        },
        ocr,
        { alwaysRead: true },
      );
      expect(found.read).toBe('ocr');
      for (const p of image.planted.filter(
        (q) => q.kind === 'name' || q.kind === 'id' || q.kind === 'date',
      ))
        expect(
          covered(p.box, found.boxes),
          `${image.id} ${p.kind} ${p.height}px`,
        ).toBeGreaterThanOrEqual(0.9);
      for (const b of found.boxes) expect(b.reason).not.toMatch(/\d{4}/);
    }
  }, 25_000);

  it('reads nothing on a text-free CT slice when the prefilter clears it', async () => {
    const slice = set.find((s) => s.textFree)!;
    const found = await findBurnedInText(
      [slice.image],
      { mode: 'all-text', identifiers: [], safeTokens: [] },
      ocr,
      { alwaysRead: false },
    );
    expect(found).toEqual({ boxes: [], read: 'cleared', framesRead: 0 });
  });
});
