// Per-channel reading of colour text: the rules that make the prefilter, the OCR preparation and
// the safety net see text whose luminance matches its background's but whose colour does not.
import { describe, expect, it } from 'vitest';
import type { Box, Gray8 } from '../types';
import { generateBurnedTextSet, generateChromaTextSet } from '../../sample/burned-text';
import { toChromaPlanes, toLuma } from './luma';
import { textLikelihood } from './prefilter';
import { prepareForOcr } from './prepare';
import { findTextBlobs } from './text-blobs';

const chroma = generateChromaTextSet(4, 10);
const phi = (k: string) => k === 'name' || k === 'id' || k === 'date';
const touches = (a: Box, b: Box) =>
  a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

/** Grey RGBA: the same grey in R, G and B. */
function greyAsRgba(g: Gray8): Gray8 {
  const out = new Uint8Array(g.width * g.height * 4);
  for (let i = 0; i < g.width * g.height; i++) {
    out[i * 4] = out[i * 4 + 1] = out[i * 4 + 2] = g.data[i];
    out[i * 4 + 3] = 255;
  }
  return { width: g.width, height: g.height, data: out };
}

describe('per-channel reading of colour text', () => {
  it('opponent-colour planes: red–green and yellow–blue, flat at 128 for grey stored as RGB', () => {
    const rgba = new Uint8Array([255, 80, 60, 255, 255, 255, 0, 255, 77, 77, 77, 255]);
    const [rg, yb] = toChromaPlanes({ width: 3, height: 1, data: rgba });
    expect([...rg.data]).toEqual([215, 128, 128]);
    expect([...yb.data]).toEqual([181, 255, 128]);
    expect(toChromaPlanes({ width: 3, height: 1, data: new Uint8Array(3) })).toEqual([]);
  });

  it('prefilter fires on colour text at its background’s luminance in RGB, where luma alone misses it', () => {
    let lumaMissed = 0;
    for (const s of chroma) {
      const colour = textLikelihood(s.image);
      expect(colour.fires, s.id).toBe(true);
      for (const p of s.planted.filter((q) => phi(q.kind)))
        expect(
          colour.regions.some((r) => touches(r, p.box)),
          `${s.id} ${p.kind}`,
        ).toBe(true);
      if (!textLikelihood(toLuma(s.image)).fires) lumaMissed++;
    }
    // The flat-panel half: luma sees nothing at all.
    expect(lumaMissed).toBeGreaterThanOrEqual(chroma.length / 2);
  });

  it('prefilter on grey stored as RGB decides as it does on the grey itself', () => {
    for (const s of generateBurnedTextSet(7, 15)) {
      if (s.samplesPerPixel !== 1) continue;
      const grey = textLikelihood(s.image);
      const rgb = textLikelihood(greyAsRgba(s.image));
      expect(rgb.fires).toBe(grey.fires);
      expect(rgb.regions).toEqual(grey.regions);
    }
  });

  it('OCR preparation adds a crop of the colour plane over colour text at its background’s luminance', () => {
    for (const s of chroma) {
      const inputs = prepareForOcr(s.image);
      const crops = inputs.filter((i) => i.label.startsWith('chroma'));
      expect(crops.length, s.id).toBeGreaterThan(0);
      const name = s.planted.find((p) => p.kind === 'name')!.box;
      expect(
        crops.some((c) =>
          touches(
            {
              x: c.offsetX,
              y: c.offsetY,
              w: c.image.width / c.scale,
              h: c.image.height / c.scale,
            },
            name,
          ),
        ),
        s.id,
      ).toBe(true);
    }
  });

  it('OCR preparation adds no colour crop for grey images nor for colour text that luma shows', () => {
    for (const s of generateBurnedTextSet(7, 15)) {
      const labels = prepareForOcr(s.image).map((i) => i.label);
      // Grey, grey text on colour, and coloured ink on black: luma shows every stroke.
      if (
        s.samplesPerPixel === 1 ||
        s.background === 'black' ||
        s.planted.every((p) => p.contrast !== 'colour')
      )
        expect(
          labels.filter((l) => l.startsWith('chroma')),
          s.id,
        ).toEqual([]);
    }
  });

  it('safety net finds text blobs of colour text at its background’s luminance', () => {
    for (const s of chroma.filter((x) => x.background === 'colour-panel')) {
      const regions = textLikelihood(s.image).regions;
      expect(findTextBlobs(toLuma(s.image), regions), s.id).toEqual([]);
      const blobs = findTextBlobs(s.image, regions);
      const name = s.planted.find((p) => p.kind === 'name')!.box;
      expect(
        blobs.some((b) => touches(b.box, name)),
        s.id,
      ).toBe(true);
    }
  });
});
