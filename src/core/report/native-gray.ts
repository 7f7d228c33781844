// The first frame of uncompressed (native) pixel data as 8-bit grey, for the perceptual hash.
// Compressed transfer syntaxes are core/pixels' job; without a decoder they get no perceptual hash.
import { getNumbers, getText } from '../dicom/element';
import { tagForKeyword } from '../dicom/dictionary';
import { PIXEL_DATA, type DicomFile } from '../dicom/types';
import type { Gray8 } from '../pixels/types';

const tag = (k: string): number => tagForKeyword(k)!;

/**
 * Grey 8-bit view of frame 1: monochrome samples stretched from their minimum to their maximum,
 * RGB (interleaved or planar, 8-bit) as luminance. Undefined for encapsulated or unusual data.
 * `maxSide` samples every k-th pixel so the view is at most that many pixels a side: the hash only
 * needs a 32×32 thumbnail, and reading every pixel of every exported slice cost tens of ms each.
 */
export function nativeGray8(file: DicomFile, maxSide = Infinity): Gray8 | undefined {
  const ds = file.dataset;
  const el = ds.get(PIXEL_DATA);
  if (!el?.bytes || file.syntax.encapsulated) return undefined;
  const le = file.syntax.littleEndian;
  const num = (k: string) => getNumbers(ds, tag(k), le)?.[0];
  const rows = num('Rows');
  const cols = num('Columns');
  const bits = num('BitsAllocated');
  const spp = num('SamplesPerPixel') ?? 1;
  const signed = num('PixelRepresentation') === 1;
  if (!rows || !cols || (bits !== 8 && bits !== 16)) return undefined;
  const n = rows * cols;
  const bytes = el.bytes;
  const step = Math.max(1, Math.ceil(Math.max(rows, cols) / maxSide));
  const outRows = Math.ceil(rows / step);
  const outCols = Math.ceil(cols / step);
  // Index of the k-th sampled pixel in the full frame.
  const at = (k: number): number => Math.floor(k / outCols) * step * cols + (k % outCols) * step;
  const m = outRows * outCols;
  const out = new Uint8Array(m);
  if (spp === 3) {
    if (bits !== 8 || bytes.length < n * 3) return undefined;
    const planar = num('PlanarConfiguration') === 1;
    for (let k = 0; k < m; k++) {
      const i = at(k);
      const [r, g, b] = planar
        ? [bytes[i], bytes[n + i], bytes[2 * n + i]]
        : [bytes[3 * i], bytes[3 * i + 1], bytes[3 * i + 2]];
      out[k] = Math.round(0.299 * r + 0.587 * g + 0.114 * b);
    }
    return { width: outCols, height: outRows, data: out };
  }
  if (spp !== 1 || bytes.length < n * (bits / 8)) return undefined;
  const values = new Float64Array(m);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let k = 0; k < m; k++) {
    const i = at(k);
    values[k] =
      bits === 8
        ? signed
          ? view.getInt8(i)
          : bytes[i]
        : signed
          ? view.getInt16(2 * i, le)
          : view.getUint16(2 * i, le);
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const invert = getText(ds, tag('PhotometricInterpretation')) === 'MONOCHROME1';
  const span = hi > lo ? hi - lo : 1;
  for (let k = 0; k < m; k++) {
    const g = Math.round(((values[k] - lo) * 255) / span);
    out[k] = invert ? 255 - g : g;
  }
  return { width: outCols, height: outRows, data: out };
}
