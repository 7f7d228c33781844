// Brings subsampled JPEG component planes to full size, the way common decoders do (triangle filter for 2:1).
import type { JpegComponent } from './jpeg-frame';

/**
 * Full-size samples of one component, `width`×`height`, row-major. 2:1 horizontal (h2v1) and 2:1 in
 * both directions (h2v2) use the triangle ("fancy") filter that IJG libjpeg applies by default, so
 * lossy results match its output within ±1; other ratios replicate samples.
 */
export function upsampleComponent(
  comp: JpegComponent,
  hmax: number,
  vmax: number,
  width: number,
  height: number,
): Uint16Array {
  const { plane, stride } = comp;
  const out = new Uint16Array(width * height);
  const fh = hmax / comp.h;
  const fv = vmax / comp.v;
  if (fh === 1 && fv === 1) {
    for (let y = 0; y < height; y++)
      out.set(plane.subarray(y * stride, y * stride + width), y * width);
    return out;
  }
  const w = comp.width;
  const h = comp.height;
  if (fh === 2 && (fv === 1 || fv === 2) && w > 1) {
    const row = new Int32Array(w);
    for (let y = 0; y < height; y++) {
      const sy = fv === 2 ? y >> 1 : y;
      const near = Math.min(sy, h - 1);
      if (fv === 1) {
        // h2v1: out[2i] = (3·s[i] + s[i-1] + 1) >> 2, out[2i+1] = (3·s[i] + s[i+1] + 2) >> 2.
        const o = y * width;
        const s = near * stride;
        for (let i = 0; i < w; i++) {
          const c = 3 * plane[s + i];
          const l = plane[s + Math.max(i - 1, 0)];
          const r = plane[s + Math.min(i + 1, w - 1)];
          if (2 * i < width) out[o + 2 * i] = i === 0 ? plane[s] : (c + l + 1) >> 2;
          if (2 * i + 1 < width) out[o + 2 * i + 1] = i === w - 1 ? plane[s + i] : (c + r + 2) >> 2;
        }
        continue;
      }
      // h2v2: vertical weights 3:1 towards the nearer row, then horizontal 3:1 (total /16).
      const far = y % 2 === 0 ? Math.max(near - 1, 0) : Math.min(near + 1, h - 1);
      for (let i = 0; i < w; i++) row[i] = 3 * plane[near * stride + i] + plane[far * stride + i];
      const o = y * width;
      for (let i = 0; i < w; i++) {
        const c = 3 * row[i];
        const a = i === 0 ? 4 * row[0] : c + row[i - 1];
        const b = i === w - 1 ? 4 * row[i] : c + row[i + 1];
        if (2 * i < width) out[o + 2 * i] = (a + 8) >> 4;
        if (2 * i + 1 < width) out[o + 2 * i + 1] = (b + 7) >> 4;
      }
    }
    return out;
  }
  for (let y = 0; y < height; y++) {
    const s = Math.min(Math.floor(y / fv), h - 1) * stride;
    for (let x = 0; x < width; x++)
      out[y * width + x] = plane[s + Math.min(Math.floor(x / fh), w - 1)];
  }
  return out;
}
