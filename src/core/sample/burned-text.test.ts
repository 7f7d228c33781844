import { describe, expect, it } from 'vitest';
import {
  generateBurnedTextSet,
  generateChromaTextSet,
  generateMultiFrameText,
  ISO_LUMINANT_PAIRS,
  lumaOf,
  renderTextCoverage,
  TEXT_HEIGHTS,
} from './burned-text';

const set = generateBurnedTextSet(2, 40);

describe('generateBurnedTextSet', () => {
  it('is deterministic for a seed', () => {
    const again = generateBurnedTextSet(2, 5);
    expect(again.map((s) => s.planted)).toEqual(set.slice(0, 5).map((s) => s.planted));
    expect(Buffer.from(again[3].image.data).equals(Buffer.from(set[3].image.data))).toBe(true);
  });

  it('varies height 8–40 px, glyph style, contrast, mono/RGB, 8/16-bit and holds text-free CT/MR slices', () => {
    const text = set.flatMap((s) => s.planted.filter((p) => p.kind !== 'safe'));
    expect(new Set(text.map((p) => p.height))).toEqual(new Set(TEXT_HEIGHTS));
    expect(new Set(text.map((p) => p.style))).toEqual(new Set(['plain', 'bold', 'dot-matrix']));
    expect(new Set(text.map((p) => p.contrast))).toEqual(
      new Set(['white', 'grey', 'dim', 'colour']),
    );
    expect(new Set(set.map((s) => s.samplesPerPixel))).toEqual(new Set([1, 3]));
    expect(new Set(set.map((s) => s.bitsAllocated))).toEqual(new Set([8, 16]));
    expect(
      set
        .filter((s) => s.textFree)
        .map((s) => s.modality)
        .sort(),
    ).toContain('CT');
    expect(set.filter((s) => s.textFree).map((s) => s.modality)).toContain('MR');
  });

  it('every planted box lies inside its image and holds ink that differs from its surroundings', () => {
    for (const image of set)
      for (const p of image.planted) {
        const { x, y, w, h } = p.box;
        expect(x >= 0 && y >= 0 && x + w <= image.image.width && y + h <= image.image.height).toBe(
          true,
        );
        expect(h).toBe(p.height);
      }
  });

  it('every text image carries name, ID and date identifiers in header form', () => {
    for (const image of set.filter((s) => !s.textFree)) {
      expect(image.identifiers[0]).toMatch(/^[A-Z]+\^[A-Z]+$/);
      expect(image.planted.some((p) => p.kind === 'name')).toBe(true);
    }
  });

  it('area sampling gives partial coverage at non-integer scales', () => {
    const { cov, h } = renderTextCoverage('A', 'plain', 10);
    expect(h).toBe(10);
    expect([...cov].some((c) => c > 0 && c < 1)).toBe(true);
    expect(Math.max(...cov)).toBeCloseTo(1);
  });

  it('multi-frame: the same PHI on every frame, one date on the last frame only, no two frames alike', () => {
    const cine = generateMultiFrameText(5, 4, 14);
    expect(cine.frames).toHaveLength(4);
    expect(cine.planted.filter((p) => p.box.frame === undefined).map((p) => p.kind)).toEqual([
      'name',
      'id',
    ]);
    expect(cine.planted.filter((p) => p.box.frame === 3).map((p) => p.kind)).toEqual(['date']);
    const bytes = cine.frames.map((f) => Buffer.from(f.data).toString('base64'));
    expect(new Set(bytes).size).toBe(4);
    const again = generateMultiFrameText(5, 4, 14);
    expect(Buffer.from(again.frames[2].data).equals(Buffer.from(cine.frames[2].data))).toBe(true);
  });
});

describe('generateChromaTextSet', () => {
  const chroma = generateChromaTextSet(3, 10);

  it('colour text at its background’s luminance: ink within 5 luma levels of the panel, colours apart', () => {
    for (const pair of ISO_LUMINANT_PAIRS) {
      expect(Math.abs(lumaOf(pair.ink) - lumaOf(pair.background))).toBeLessThanOrEqual(5);
      const apart = Math.max(...pair.ink.map((v, i) => Math.abs(v - pair.background[i])));
      expect(apart).toBeGreaterThanOrEqual(100);
    }
    for (const s of chroma) {
      expect(s.samplesPerPixel).toBe(3);
      expect(s.planted.every((p) => p.contrast === 'chroma')).toBe(true);
      expect(s.planted.some((p) => p.kind === 'name')).toBe(true);
    }
    expect(new Set(chroma.map((s) => s.background))).toEqual(
      new Set(['colour-panel', 'colour-panel-ultrasound']),
    );
  });

  it('is deterministic for a seed', () => {
    const again = generateChromaTextSet(3, 10);
    expect(again.map((s) => s.planted)).toEqual(chroma.map((s) => s.planted));
    expect(Buffer.from(again[4].stored).equals(Buffer.from(chroma[4].stored))).toBe(true);
  });
});
