// 8-bit views of a decoded frame for OCR and the screen: modality LUT, VOI window, MONOCHROME1 inversion, RGB to luma.
import type { Frame, Gray8, PixelDescription } from '../types';

export interface Window {
  /** In output units of the modality LUT (after RescaleSlope/RescaleIntercept), like WindowCenter. */
  center: number;
  width: number;
}

function rangeOf(data: Frame['data']): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return data.length ? [min, max] : [0, 0];
}

/**
 * The grey level (0..255) a viewer shows for each pixel of a monochrome frame: stored value →
 * RescaleSlope/Intercept → linear VOI window (PS3.3 C.11.2.1.2.1) → inverted for MONOCHROME1 (high
 * values dark). The window is the one given, else the header's, else the frame's min..max.
 */
function monochromeToGray(frame: Frame, desc: PixelDescription, window?: Window): Uint8Array {
  const slope = desc.rescaleSlope ?? 1;
  const intercept = desc.rescaleIntercept ?? 0;
  const data = frame.data;
  const [lo, hi] = rangeOf(data);
  let center: number;
  let width: number;
  if (window && window.width > 0) ({ center, width } = window);
  else if (
    desc.windowCenter !== undefined &&
    desc.windowWidth !== undefined &&
    desc.windowWidth > 0
  ) {
    center = desc.windowCenter;
    width = desc.windowWidth;
  } else {
    const a = lo * slope + intercept;
    const b = hi * slope + intercept;
    const min = Math.min(a, b);
    const max = Math.max(a, b);
    // A window whose ends map exactly to 0 and 255: width − 1 spans max − min.
    width = Math.max(max - min + 1, 1);
    center = min + 0.5 + (width - 1) / 2;
  }
  const invert = frame.photometric === 'MONOCHROME1';
  const bottom = center - 0.5 - (width - 1) / 2;
  const top = center - 0.5 + (width - 1) / 2;
  const gray = (stored: number): number => {
    const x = stored * slope + intercept;
    let y: number;
    if (x <= bottom) y = 0;
    else if (x > top) y = 255;
    else y = Math.round(((x - (center - 0.5)) / Math.max(width - 1, 1) + 0.5) * 255);
    if (y < 0) y = 0;
    else if (y > 255) y = 255;
    return invert ? 255 - y : y;
  };
  const out = new Uint8Array(data.length);
  const span = hi - lo;
  if (span <= 65535) {
    // A table over the values present is far cheaper than the formula per pixel.
    const lut = new Uint8Array(span + 1);
    for (let v = 0; v <= span; v++) lut[v] = gray(lo + v);
    for (let i = 0; i < data.length; i++) out[i] = lut[data[i] - lo];
  } else for (let i = 0; i < data.length; i++) out[i] = gray(data[i]);
  return out;
}

function rgbTo8(frame: Frame): Uint8Array | Frame['data'] {
  const shift = Math.max(0, frame.bitsStored - 8);
  if (shift === 0 && frame.data instanceof Uint8Array) return frame.data;
  const out = new Uint8Array(frame.data.length);
  const div = 2 ** shift;
  for (let i = 0; i < out.length; i++) out[i] = Math.min(255, Math.floor(frame.data[i] / div));
  return out;
}

/** One grey channel per pixel, as a viewer shows it; RGB becomes luma (ITU-R BT.601 weights). */
export function toGray8(frame: Frame, desc: PixelDescription, window?: Window): Gray8 {
  const { width, height } = frame;
  if (frame.samplesPerPixel === 1)
    return { width, height, data: monochromeToGray(frame, desc, window) };
  const rgb = rgbTo8(frame);
  const out = new Uint8Array(width * height);
  for (let i = 0, s = 0; i < out.length; i++, s += 3) {
    out[i] = (299 * rgb[s] + 587 * rgb[s + 1] + 114 * rgb[s + 2] + 500) / 1000;
  }
  return { width, height, data: out };
}

/** Four channels (RGBA, alpha 255) per pixel, ready for ImageData. */
export function toRgba8(frame: Frame, desc: PixelDescription, window?: Window): Gray8 {
  const { width, height } = frame;
  const out = new Uint8Array(width * height * 4);
  if (frame.samplesPerPixel === 1) {
    const g = monochromeToGray(frame, desc, window);
    for (let i = 0, o = 0; i < g.length; i++, o += 4) {
      out[o] = out[o + 1] = out[o + 2] = g[i];
      out[o + 3] = 255;
    }
  } else {
    const rgb = rgbTo8(frame);
    for (let i = 0, s = 0, o = 0; i < width * height; i++, s += 3, o += 4) {
      out[o] = rgb[s];
      out[o + 1] = rgb[s + 1];
      out[o + 2] = rgb[s + 2];
      out[o + 3] = 255;
    }
  }
  return { width, height, data: out };
}
