import { describe, expect, it } from 'vitest';
import { generateCtSeries } from '../../sample/ct-series';
import { generateBurnedTextSet, windowToGray8 } from '../../sample/burned-text';
import { mrSliceBytes } from '../../sample/pixels';
import { createPrng } from '../../sample/prng';
import { invert } from './prepare';
import { textLikelihood } from './prefilter';

const set = generateBurnedTextSet(7, 25);

function ctSlices(n: number, size: number) {
  return [...generateCtSeries({ slices: n, rows: size, columns: size, seed: 3 })].map((f) => {
    const px = f.bytes.subarray(f.bytes.length - size * size * 2);
    const stored = new Uint16Array(size * size);
    for (let i = 0; i < stored.length; i++) stored[i] = px[2 * i] | (px[2 * i + 1] << 8);
    return windowToGray8(stored, size, size, { center: 1064, width: 400 });
  });
}

describe('textLikelihood', () => {
  it('prefilter fires on every generated image with text', () => {
    for (const image of set.filter((s) => !s.textFree))
      expect(textLikelihood(image.image).fires).toBe(true);
  });

  it('prefilter regions touch every planted PHI box', () => {
    for (const image of set.filter((s) => !s.textFree)) {
      const { regions } = textLikelihood(image.image);
      for (const p of image.planted.filter((q) => q.kind !== 'safe' && q.kind !== 'label')) {
        const touched = regions.some(
          (r) =>
            r.x < p.box.x + p.box.w &&
            p.box.x < r.x + r.w &&
            r.y < p.box.y + p.box.h &&
            p.box.y < r.y + r.h,
        );
        expect(touched, `${image.id} ${p.kind} ${p.height}px`).toBe(true);
      }
    }
  });

  it('prefilter stays silent on plain CT slices (generateCtSeries, soft-tissue window)', () => {
    for (const slice of ctSlices(6, 512)) expect(textLikelihood(slice).fires).toBe(false);
  });

  it('prefilter stays silent on plain MR slices and the text-free slices of the set', () => {
    const prng = createPrng(5);
    for (let z = 0; z < 100; z += 20) {
      const bytes = mrSliceBytes(256, 256, z, prng);
      const stored = new Uint16Array(bytes.buffer, bytes.byteOffset, 256 * 256);
      expect(
        textLikelihood(windowToGray8(stored, 256, 256, { center: 520, width: 1040 })).fires,
      ).toBe(false);
    }
    for (const image of set.filter((s) => s.textFree))
      expect(textLikelihood(image.image).fires).toBe(false);
  });

  it('prefilter fires on dark text on a light background too (polarity)', () => {
    const image = set.find((s) => !s.textFree && s.samplesPerPixel === 1)!;
    expect(textLikelihood(invert(image.image)).fires).toBe(true);
  });

  it('prefilter reads RGBA input', () => {
    const rgba = set.find((s) => !s.textFree && s.samplesPerPixel === 3)!;
    expect(rgba.image.data.length).toBe(rgba.image.width * rgba.image.height * 4);
    expect(textLikelihood(rgba.image).fires).toBe(true);
  });

  it('prefilter stays silent on a flat or tiny image', () => {
    expect(
      textLikelihood({ width: 64, height: 64, data: new Uint8Array(64 * 64).fill(90) }).fires,
    ).toBe(false);
    expect(textLikelihood({ width: 2, height: 2, data: new Uint8Array(4) }).fires).toBe(false);
  });
});
