import { describe, expect, it } from 'vitest';
import type { Box } from '../types';
import type { OcrWord } from './types';
import { generateBurnedTextSet } from '../../sample/burned-text';
import { REASONS } from './classify';
import { textLikelihood } from './prefilter';
import { unreadTextBoxes } from './safety-net';

const s = generateBurnedTextSet(11, 30).find((i) => !i.textFree && i.background === 'black')!;
const { regions } = textLikelihood(s.image);
const text = s.planted;
const word = (box: Box, confidence = 90): OcrWord => ({ text: 'X', confidence, box });

describe('unreadTextBoxes (the safety net)', () => {
  it('text-like blobs that OCR read nothing of become prefilter boxes for review', () => {
    const boxes = unreadTextBoxes(s.image, regions, []);
    expect(boxes.length).toBeGreaterThan(0);
    for (const b of boxes) {
      expect(b.source).toBe('prefilter');
      expect(b.reason).toBe(REASONS.unread);
    }
    for (const p of text) {
      const hit = boxes.some(
        (b) => b.x <= p.box.x && b.y <= p.box.y && b.x + b.w >= p.box.x + p.box.w - 1,
      );
      expect(hit, `${p.kind} ${p.height}px`).toBe(true);
    }
  });

  it('a blob that confident words read is left to the classification of its words', () => {
    const words = text.map((p) => word(p.box));
    expect(unreadTextBoxes(s.image, regions, words)).toEqual([]);
  });

  it('words below the confidence floor do not count as read', () => {
    const words = text.map((p) => word(p.box, 30));
    expect(unreadTextBoxes(s.image, regions, words).length).toBeGreaterThan(0);
    expect(unreadTextBoxes(s.image, regions, words, { minConfidence: 20 })).toEqual([]);
  });

  it('a blob only partly read is still boxed', () => {
    const words = text.slice(1).map((p) => word(p.box));
    const boxes = unreadTextBoxes(s.image, regions, words);
    const first = text[0].box;
    expect(boxes.some((b) => b.x <= first.x && b.x + b.w >= first.x + first.w - 1)).toBe(true);
  });

  it('no prefilter regions, no safety-net boxes', () => {
    expect(unreadTextBoxes(s.image, [], [])).toEqual([]);
  });
});
