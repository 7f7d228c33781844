// Duplicates: a planted exact pair and a planted near pair (same frame plus noise) are found; other images are not.
import { describe, expect, it } from 'vitest';
import type { Gray8 } from '../pixels/types';
import { createPrng } from '../sample/prng';
import { findDuplicates } from './duplicates';
import { hammingDistance, perceptualHash } from './perceptual-hash';
import type { ImageDigest } from './types';

/** A 128×128 picture: a seeded pattern of bright discs on a gradient. */
function picture(seed: number): Gray8 {
  const prng = createPrng(seed);
  const discs = Array.from({ length: 6 }, () => ({
    x: prng.int(128),
    y: prng.int(128),
    r: 8 + prng.int(20),
    v: 80 + prng.int(150),
  }));
  const data = new Uint8Array(128 * 128);
  for (let y = 0; y < 128; y++)
    for (let x = 0; x < 128; x++) {
      let v = (x + y) / 4;
      for (const d of discs) if ((x - d.x) ** 2 + (y - d.y) ** 2 < d.r ** 2) v = d.v;
      data[y * 128 + x] = v;
    }
  return { width: 128, height: 128, data };
}

function withNoise(frame: Gray8, seed: number, amplitude: number): Gray8 {
  const prng = createPrng(seed);
  const data = Uint8Array.from(frame.data, (v) =>
    Math.max(0, Math.min(255, v + prng.int(2 * amplitude + 1) - amplitude)),
  );
  return { ...frame, data };
}

const flat = (v: number): Gray8 => ({
  width: 64,
  height: 64,
  data: new Uint8Array(64 * 64).fill(v),
});

describe('perceptualHash', () => {
  it('the same frame with noise stays within a few bits; different pictures are far apart', () => {
    const a = perceptualHash(picture(1)).hash;
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(
      hammingDistance(a, perceptualHash(withNoise(picture(1), 9, 12)).hash),
    ).toBeLessThanOrEqual(4);
    for (let s = 2; s < 12; s++)
      expect(hammingDistance(a, perceptualHash(picture(s)).hash), `picture ${s}`).toBeGreaterThan(
        12,
      );
  });

  it('RGBA input hashes like its grey; a flat frame is blank', () => {
    const g = picture(3);
    const rgba = new Uint8Array(g.data.length * 4);
    g.data.forEach((v, i) => rgba.set([v, v, v, 255], i * 4));
    expect(perceptualHash({ ...g, data: rgba }).hash).toBe(perceptualHash(g).hash);
    expect(perceptualHash(flat(40)).blank).toBe(true);
    expect(perceptualHash(g).blank).toBe(false);
  });
});

describe('findDuplicates', () => {
  const digest = (
    path: string,
    patient: string,
    frame: Gray8,
    sha: string,
    study = `${patient}-s`,
  ): ImageDigest => {
    const h = perceptualHash(frame);
    return { path, patient, study, pixelSha256: sha, phash: h.hash, blank: h.blank };
  };
  const images: ImageDigest[] = [
    digest('P1/a.dcm', 'P1', picture(1), 'aa'),
    digest('P2/a.dcm', 'P2', picture(1), 'aa'), // exact copy in another patient
    digest('P3/a.dcm', 'P3', withNoise(picture(1), 5, 10), 'bb'), // near copy
    digest('P1/b.dcm', 'P1', picture(1), 'aa'), // same patient, same study: not a finding
    ...Array.from({ length: 20 }, (_, i) =>
      digest(`Q${i}/x.dcm`, `Q${i}`, picture(100 + i), `q${i}`),
    ),
    digest('B1/x.dcm', 'B1', flat(0), 'z1'),
    digest('B2/x.dcm', 'B2', flat(0), 'z2'), // blank frames: never near pairs
  ];
  const result = findDuplicates(images, { threshold: 6 });

  it('finds the planted exact pair across patients (listed with both patients)', () => {
    const exact = result.pairs.filter((p) => p.kind === 'exact');
    expect(exact.map((p) => [p.a.patient, p.b.patient].sort())).toEqual([
      ['P1', 'P2'],
      ['P1', 'P2'],
    ]);
    expect(exact.every((p) => p.scope === 'patients')).toBe(true);
  });

  it('finds the planted near pair (the same frame with noise) and nothing else', () => {
    const near = result.pairs.filter((p) => p.kind === 'near');
    const patients = near.map((p) => [p.a.patient, p.b.patient].sort().join('+')).sort();
    expect(patients).toEqual(['P1+P3', 'P1+P3', 'P2+P3']);
    expect(near.every((p) => p.distance <= 6)).toBe(true);
    expect(result.blank).toBe(2);
  });

  it('the same patient in two studies counts, the same study does not', () => {
    const r = findDuplicates([
      { path: 'a', patient: 'P', study: 'S1', pixelSha256: 'x' },
      { path: 'b', patient: 'P', study: 'S2', pixelSha256: 'x' },
      { path: 'c', patient: 'P', study: 'S2', pixelSha256: 'x' },
    ]);
    expect(r.pairs.map((p) => `${p.a.path}-${p.b.path}:${p.scope}`)).toEqual([
      'a-b:studies',
      'a-c:studies',
    ]);
  });
});
