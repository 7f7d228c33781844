import { describe, expect, it } from 'vitest';
import type { Gray8 } from '../types';
import { estimateLineHeight, mapToFrame, prepareForOcr, stretchContrast, upscale } from './prepare';

/** A dark image with a bright 8-px-high text-like band of vertical strokes at (40, 30). */
function smallText(background = 10, ink = 200): Gray8 {
  const w = 200;
  const h = 100;
  const data = new Uint8Array(w * h).fill(background);
  for (let y = 30; y < 38; y++)
    for (let x = 40; x < 160; x++)
      if (x % 3 === 0 || ((y === 30 || y === 37) && x % 6 < 2)) data[y * w + x] = ink;
  return { width: w, height: h, data };
}

describe('prepareForOcr', () => {
  it('polarity auto: light text on a dark background is inverted to dark on light', () => {
    const inputs = prepareForOcr(smallText(), { upscale: false });
    expect(inputs).toHaveLength(1);
    expect(inputs[0].inverted).toBe(true);
    expect(inputs[0].image.data[0]).toBeGreaterThan(200);
  });

  it('polarity auto: dark text on a light background is left as is', () => {
    const inputs = prepareForOcr(smallText(240, 20), { upscale: false });
    expect(inputs.map((i) => i.inverted)).toEqual([false]);
  });

  it('polarity both: each input comes in both polarities', () => {
    const inputs = prepareForOcr(smallText(), { upscale: false, polarity: 'both' });
    expect(inputs.map((i) => i.inverted).sort()).toEqual([false, true]);
  });

  it('upscaling: small text gets a crop scaled so that lines reach the glyph height', () => {
    const inputs = prepareForOcr(smallText(), { regions: [{ x: 32, y: 24, w: 136, h: 24 }] });
    const crop = inputs.find((i) => i.label.startsWith('line'))!;
    expect(crop.scale).toBe(3);
    expect(crop.image.width).toBe(Math.round((136 + 16) * 3));
  });

  it('upscaling maps boxes back to frame pixels (offset + x / scale, outward)', () => {
    const input = {
      image: upscale(smallText(), 3),
      scale: 3,
      offsetX: 24,
      offsetY: 16,
      inverted: true,
      label: 'line ×3',
    };
    expect(mapToFrame({ x: 30, y: 45, w: 61, h: 24 }, input)).toEqual({
      x: 34,
      y: 31,
      w: 21,
      h: 8,
    });
  });

  it('line height is measured from rows of strong steps', () => {
    expect(estimateLineHeight(smallText(), { x: 0, y: 0, w: 200, h: 100 })).toBe(8);
  });

  it('contrast stretch lifts dim text to full range', () => {
    const out = stretchContrast(smallText(10, 90));
    expect(out.data[30 * 200 + 42]).toBe(255);
    expect(out.data[0]).toBe(0);
  });

  it('large text (lines ≥ 24 px) gets a shrunk, area-averaged crop that maps back to the frame', () => {
    const w = 300;
    const h = 120;
    const data = new Uint8Array(w * h).fill(10);
    for (let y = 30; y < 70; y++)
      for (let x = 40; x < 260; x++) if (x % 12 < 5 || y < 36 || y >= 64) data[y * w + x] = 230;
    const image: Gray8 = { width: w, height: h, data };
    const inputs = prepareForOcr(image, { regions: [{ x: 32, y: 24, w: 240, h: 56 }] });
    const shrunk = inputs.find((i) => i.label.startsWith('line ÷'));
    expect(shrunk).toBeDefined();
    expect(shrunk!.scale).toBe(0.5);
    expect(mapToFrame({ x: 10, y: 10, w: 20, h: 10 }, shrunk!)).toEqual({
      x: shrunk!.offsetX + 20,
      y: shrunk!.offsetY + 20,
      w: 40,
      h: 20,
    });
    expect(
      prepareForOcr(image, { regions: [{ x: 32, y: 24, w: 240, h: 56 }], shrink: false }).some(
        (i) => i.label.startsWith('line ÷'),
      ),
    ).toBe(false);
  });
});
