import { describe, expect, it } from 'vitest';
import type { Box, Gray8 } from '../types';
import { generateBurnedTextSet, windowToGray8 } from '../../sample/burned-text';
import { ctSliceBytes, mrSliceBytes } from '../../sample/pixels';
import { createPrng } from '../../sample/prng';
import { textLikelihood } from './prefilter';
import { findTextBlobs } from './text-blobs';

const set = generateBurnedTextSet(11, 30);
const whole = (g: Gray8): Box[] => [{ x: 0, y: 0, w: g.width, h: g.height }];

function covered(p: Box, boxes: readonly Box[]): number {
  let inside = 0;
  for (let y = p.y; y < p.y + p.h; y++)
    for (let x = p.x; x < p.x + p.w; x++)
      if (boxes.some((b) => x >= b.x && x < b.x + b.w && y >= b.y && y < b.y + b.h)) inside++;
  return inside / (p.w * p.h);
}

describe('findTextBlobs', () => {
  it('text blobs alone cover ≥ 90% of planted PHI boxes (each ≥ 90%) off ultrasound', () => {
    let boxes = 0;
    let hits = 0;
    for (const s of set.filter((i) => !i.textFree && i.background !== 'ultrasound')) {
      const blobs = findTextBlobs(s.image, textLikelihood(s.image).regions).map((b) => b.box);
      for (const p of s.planted.filter((q) => q.kind !== 'safe' && q.kind !== 'label')) {
        boxes++;
        if (covered(p.box, blobs) >= 0.9) hits++;
      }
    }
    expect(hits / boxes).toBeGreaterThanOrEqual(0.9);
  });

  it('text blobs are tight: together at most 3× the planted text area off ultrasound', () => {
    let blobArea = 0;
    let textArea = 0;
    for (const s of set.filter((i) => !i.textFree && i.background !== 'ultrasound')) {
      const blobs = findTextBlobs(s.image, textLikelihood(s.image).regions);
      blobArea += blobs.reduce((n, b) => n + b.box.w * b.box.h, 0);
      textArea += s.planted.reduce((n, p) => n + p.box.w * p.box.h, 0);
    }
    expect(blobArea).toBeLessThanOrEqual(3 * textArea);
  });

  it('ultrasound speckle is not a text blob: blobs cover under a third of a speckled image', () => {
    for (const s of set.filter((i) => i.background === 'ultrasound')) {
      const blobs = findTextBlobs(s.image, textLikelihood(s.image).regions);
      const area = blobs.reduce((n, b) => n + b.box.w * b.box.h, 0);
      expect(area, s.id).toBeLessThan((s.image.width * s.image.height) / 3);
    }
  });

  it('text-free CT and MR slices: no blob in prefilter regions; searched whole, ≤ 1 in 10 shows one', () => {
    const prng = createPrng(4);
    const slices: Gray8[] = set.filter((i) => i.textFree).map((i) => i.image);
    for (let z = 0; z < 120; z += 30) {
      const ct = ctSliceBytes(512, 512, z, prng);
      const mr = mrSliceBytes(256, 256, z, prng);
      slices.push(
        windowToGray8(new Uint16Array(ct.buffer, ct.byteOffset, 512 * 512), 512, 512, {
          center: 1064,
          width: 400,
        }),
        windowToGray8(new Uint16Array(mr.buffer, mr.byteOffset, 256 * 256), 256, 256, {
          center: 520,
          width: 1040,
        }),
      );
    }
    let shown = 0;
    for (const g of slices) {
      expect(findTextBlobs(g, textLikelihood(g).regions)).toEqual([]);
      if (findTextBlobs(g, whole(g)).length > 0) shown++;
    }
    expect(shown / slices.length).toBeLessThanOrEqual(0.1);
  });

  it('no regions, no blobs', () => {
    const s = set.find((i) => !i.textFree)!;
    expect(findTextBlobs(s.image, [])).toEqual([]);
  });
});
