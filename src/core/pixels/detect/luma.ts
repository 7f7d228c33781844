// One grey channel from a Gray8 that may be grey (1 sample a pixel) or RGBA (4 samples a pixel).

import type { Gray8 } from '../types';

/** Samples per pixel of a Gray8: 1 or 4, read from the data length. */
export function channelsOf(image: Gray8): 1 | 4 {
  const n = image.width * image.height;
  if (image.data.length === n) return 1;
  if (image.data.length === n * 4) return 4;
  throw new Error(`Gray8 of ${image.width}×${image.height} holds ${image.data.length} bytes`);
}

/** The image as one grey channel (Rec. 601 luma for RGBA; alpha ignored). Grey input is returned as is. */
export function toLuma(image: Gray8): Gray8 {
  if (channelsOf(image) === 1) return image;
  const n = image.width * image.height;
  const src = image.data;
  const out = new Uint8Array(n);
  for (let i = 0, j = 0; i < n; i++, j += 4) {
    // Integer weights 77/150/29 (sum 256) for 0.299/0.587/0.114.
    out[i] = (77 * src[j] + 150 * src[j + 1] + 29 * src[j + 2]) >> 8;
  }
  return { width: image.width, height: image.height, data: out };
}

/**
 * Two opponent-colour planes of an RGBA image, centred on 128: red–green, 128 + (R − G) / 2, and
 * yellow–blue, 128 + ((R + G) / 2 − B) / 2. Text whose luminance matches its background's (red on
 * a grey or green overlay, yellow on white) is invisible in luma and shows in one of these. Grey
 * input has none (an empty list); grey stored as RGB gives two flat planes.
 */
export function toChromaPlanes(image: Gray8): Gray8[] {
  if (channelsOf(image) === 1) return [];
  const n = image.width * image.height;
  const src = image.data;
  const rg = new Uint8Array(n);
  const yb = new Uint8Array(n);
  for (let i = 0, j = 0; i < n; i++, j += 4) {
    const r = src[j];
    const g = src[j + 1];
    rg[i] = (256 + r - g) >> 1;
    yb[i] = (512 + r + g - 2 * src[j + 2]) >> 2;
  }
  return [
    { width: image.width, height: image.height, data: rg },
    { width: image.width, height: image.height, data: yb },
  ];
}
