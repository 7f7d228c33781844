// Encodes a grey image as binary PGM (P5), the one format tesseract.js reads from bytes with no DOM and no codec.

import type { Gray8 } from '../types';
import { toLuma } from './luma';

/** Binary PGM: "P5\n<w> <h>\n255\n" then one byte per pixel, rows top to bottom. */
export function encodePgm(image: Gray8): Uint8Array {
  const g = toLuma(image);
  const head = new TextEncoder().encode(`P5\n${g.width} ${g.height}\n255\n`);
  const out = new Uint8Array(head.length + g.data.length);
  out.set(head);
  out.set(g.data, head.length);
  return out;
}
