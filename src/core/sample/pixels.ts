// Synthetic pixel content: CT/MR phantoms, an ultrasound fan, and text burned in with the bitmap font.

import { FONT, GLYPH_ADVANCE, canDraw, measureText } from './font';
import type { Prng } from './prng';

/** An 8-bit image, one sample (MONOCHROME2) or three interleaved (RGB, PlanarConfiguration 0). */
export interface Raster {
  width: number;
  height: number;
  channels: 1 | 3;
  data: Uint8Array;
}

/** Where a line of burned-in text was drawn, in pixels; `scale` is font pixels per glyph dot. */
export interface TextBox {
  x: number;
  y: number;
  w: number;
  h: number;
  text: string;
  scale: number;
}

export function createRaster(width: number, height: number, channels: 1 | 3): Raster {
  return { width, height, channels, data: new Uint8Array(width * height * channels) };
}

export function fillRect(
  r: Raster,
  x: number,
  y: number,
  w: number,
  h: number,
  color: readonly number[],
): void {
  for (let yy = Math.max(0, y); yy < Math.min(r.height, y + h); yy++) {
    for (let xx = Math.max(0, x); xx < Math.min(r.width, x + w); xx++) {
      const at = (yy * r.width + xx) * r.channels;
      for (let c = 0; c < r.channels; c++) r.data[at + c] = color[c] ?? color[0];
    }
  }
}

/** Draws one line of capitals at (x, y), each font dot a scale×scale block; returns its box. */
export function drawText(
  r: Raster,
  x: number,
  y: number,
  text: string,
  scale: number,
  color: readonly number[],
): TextBox {
  if (!canDraw(text)) throw new Error('drawText: the text holds a character the font lacks');
  const { w, h } = measureText(text, scale);
  if (x < 0 || y < 0 || x + w > r.width || y + h > r.height)
    throw new Error('drawText: the text does not fit the image');
  [...text].forEach((ch, i) => {
    const glyph = FONT.get(ch)!;
    const left = x + i * GLYPH_ADVANCE * scale;
    glyph.forEach((row, gy) =>
      row.forEach((ink, gx) => {
        if (ink) fillRect(r, left + gx * scale, y + gy * scale, scale, scale, color);
      }),
    );
  });
  return { x, y, w, h, text, scale };
}

/** Stored values of an axial CT slice (HU + 1024, so RescaleIntercept -1024), little-endian int16. */
export function ctSliceBytes(rows: number, columns: number, z: number, prng: Prng): Uint8Array {
  const bytes = new Uint8Array(rows * columns * 2);
  const view = new DataView(bytes.buffer);
  const cx = columns / 2;
  const cy = rows / 2;
  // Lungs shrink toward the ends of the stack so that neighbouring slices differ.
  const lung = 0.22 + 0.06 * Math.cos(z / 40);
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < columns; x++) {
      const u = (x - cx) / cx;
      const v = (y - cy) / cy;
      let hu = -1000;
      if ((u * u) / 0.8 + (v * v) / 0.55 <= 1) hu = 40;
      if ((u + 0.4) ** 2 / lung + (v * v) / 0.3 <= 1 || (u - 0.4) ** 2 / lung + (v * v) / 0.3 <= 1)
        hu = -820;
      if (u * u + (v - 0.45) ** 2 <= 0.012) hu = 700;
      hu += (prng.uint32() & 31) - 16;
      view.setInt16((y * columns + x) * 2, hu + 1024, true);
    }
  }
  return bytes;
}

/** Stored values of an axial MR slice (unsigned 16-bit, little-endian): a head-like ellipse. */
export function mrSliceBytes(rows: number, columns: number, z: number, prng: Prng): Uint8Array {
  const bytes = new Uint8Array(rows * columns * 2);
  const view = new DataView(bytes.buffer);
  const cx = columns / 2;
  const cy = rows / 2;
  const size = 0.7 + 0.1 * Math.sin(z / 15);
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < columns; x++) {
      const u = (x - cx) / cx;
      const v = (y - cy) / cy;
      const d = (u * u) / (size * 0.8) + (v * v) / size;
      let value = 0;
      if (d <= 1)
        value = d > 0.85 ? 900 : 450 + Math.round(120 * Math.cos(u * 9) * Math.sin(v * 7));
      view.setUint16((y * columns + x) * 2, value + (prng.uint32() & 15), true);
    }
  }
  return bytes;
}

/** Speckle in an ultrasound sector below `top`, never brighter than 180 (so text stays distinct). */
export function drawUltrasoundFan(r: Raster, top: number, prng: Prng): void {
  const apexX = r.width / 2;
  const apexY = top - 20;
  const half = (35 * Math.PI) / 180;
  for (let y = top; y < r.height; y++) {
    for (let x = 0; x < r.width; x++) {
      const dx = x - apexX;
      const dy = y - apexY;
      const radius = Math.hypot(dx, dy);
      if (radius < 30 || radius > r.height - apexY - 4 || Math.abs(Math.atan2(dx, dy)) > half)
        continue;
      const tissue = 60 + 50 * Math.sin(radius / 17) * Math.cos(dx / 23);
      const gray = Math.max(0, Math.min(180, Math.round(tissue + (prng.uint32() % 70) - 35)));
      fillRect(r, x, y, 1, 1, [gray, gray, gray]);
    }
  }
}
