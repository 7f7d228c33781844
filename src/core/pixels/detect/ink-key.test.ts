import { describe, expect, it } from 'vitest';
import type { Box, Gray8 } from '../types';
import { keyInk, keyedLineInput } from './ink-key';
import { renderTextCoverage } from '../../sample/burned-text';
import { createPrng } from '../../sample/prng';

const W = 640;
const H = 96;

/** A band: black on the left, speckle (0..180, like the generator's fan) from `speckleFrom` on. */
function canvas(speckleFrom: number, seed = 5): Float32Array {
  const prng = createPrng(seed);
  const data = new Float32Array(W * H);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++)
      data[y * W + x] =
        x < speckleFrom ? 4 : Math.max(0, Math.min(180, 60 + (prng.uint32() % 90) - 45));
  return data;
}

/** Draws text (area-sampled 5×7 glyphs) at (x, y) in one ink level; returns its box. */
function draw(
  data: Float32Array,
  text: string,
  x: number,
  y: number,
  px: number,
  ink: number,
): Box {
  const t = renderTextCoverage(text, 'plain', px);
  for (let j = 0; j < t.h; j++)
    for (let i = 0; i < t.w; i++) {
      const a = t.cov[j * t.w + i];
      const k = (y + j) * W + x + i;
      data[k] = data[k] * (1 - a) + ink * a;
    }
  return { x, y, w: t.w, h: t.h };
}

const grey = (data: Float32Array): Gray8 => ({
  width: W,
  height: H,
  data: Uint8Array.from(data, (v) => Math.round(v)),
});

function coveredShare(inner: Box, outer: Box): number {
  const w = Math.min(inner.x + inner.w, outer.x + outer.w) - Math.max(inner.x, outer.x);
  const h = Math.min(inner.y + inner.h, outer.y + outer.h) - Math.max(inner.y, outer.y);
  return w <= 0 || h <= 0 ? 0 : (w * h) / (inner.w * inner.h);
}

describe('keyInk (a text line keyed by its flat ink)', () => {
  it('a line found only where it lies on black grows along its ink across the speckle', () => {
    const data = canvas(140);
    const text = draw(data, 'ALDERGROVE', 12, 30, 24, 120);
    // What the blob finder saw: the part of the line left of the speckle.
    const blob: Box = { x: 10, y: 28, w: 120, h: 28 };
    const key = keyInk(grey(data), blob)!;
    expect(key).toBeDefined();
    expect(coveredShare(text, key.extent)).toBeGreaterThan(0.97);
    // It ends with the text: the speckle beyond is not taken for ink.
    expect(key.extent.x + key.extent.w).toBeLessThan(text.x + text.w + 24);
    expect(Math.abs(key.lineHeight - 24)).toBeLessThanOrEqual(3);
  });

  it('speckle keyed at a text-like value leaves no long line of ink (specks are dropped)', () => {
    const data = canvas(0, 9);
    const text = draw(data, 'MRN', 12, 30, 24, 250);
    const key = keyInk(grey(data), { x: 10, y: 28, w: text.w + 4, h: 28 })!;
    expect(key).toBeDefined();
    expect(key.extent.w).toBeLessThan(text.w + 40);
  });

  it('colour text of its background luminance is keyed in its opponent-colour plane', () => {
    // Red on a green panel of equal luma (ISO_LUMINANT_PAIRS' "red on green").
    const rgba = new Uint8Array(W * H * 4);
    const t = renderTextCoverage('CASTELLANE', 'plain', 14);
    for (let i = 0; i < W * H; i++) rgba.set([0, 150, 0, 255], i * 4);
    for (let j = 0; j < t.h; j++)
      for (let i = 0; i < t.w; i++) {
        const a = t.cov[j * t.w + i];
        const k = ((30 + j) * W + 20 + i) * 4;
        rgba[k] = Math.round(240 * a);
        rgba[k + 1] = Math.round(150 * (1 - a) + 25 * a);
        rgba[k + 2] = Math.round(40 * a);
      }
    const text: Box = { x: 20, y: 30, w: t.w, h: t.h };
    const key = keyInk({ width: W, height: H, data: rgba }, { x: 18, y: 28, w: 60, h: 18 })!;
    expect(key).toBeDefined();
    expect(coveredShare(text, key.extent)).toBeGreaterThan(0.97);
  });

  it('a flat background with no ink gives no key', () => {
    const flat: Gray8 = { width: W, height: H, data: new Uint8Array(W * H).fill(40) };
    expect(keyInk(flat, { x: 10, y: 10, w: 100, h: 30 })).toBeUndefined();
  });

  it('the keyed line goes to OCR black on white, scaled to about 24 px glyphs', () => {
    const data = canvas(140);
    draw(data, 'ALDERGROVE', 12, 30, 12, 200);
    const key = keyInk(grey(data), { x: 10, y: 28, w: 80, h: 16 })!;
    const input = keyedLineInput(key);
    expect(input.scale).toBe(2);
    expect(input.inverted).toBe(false);
    const values = new Set(input.image.data);
    expect(values.has(255)).toBe(true);
    expect(Math.min(...input.image.data)).toBe(0);
    // Its offset maps back onto the band.
    expect(input.offsetY).toBeLessThanOrEqual(key.band.y);
    expect(input.offsetX).toBeLessThanOrEqual(key.extent.x);
  });
});
