// Decodes one DICOM RLE Lossless frame (PS3.5 Annex G) into interleaved samples: the check on our own encoder.

export interface RleFrameShape {
  rows: number;
  columns: number;
  samplesPerPixel: 1 | 3;
  bitsAllocated: 8 | 16 | 32;
}

/** Unpacks one PackBits segment into `out` (exactly out.length bytes); throws when it runs short. */
function unpackSegment(src: Uint8Array, out: Uint8Array): void {
  let i = 0;
  let o = 0;
  while (o < out.length) {
    if (i >= src.length) throw new Error('An RLE segment ends before its byte plane is complete.');
    const h = src[i++];
    if (h < 128) {
      const n = h + 1;
      if (i + n > src.length || o + n > out.length) throw new Error('An RLE literal run overruns.');
      out.set(src.subarray(i, i + n), o);
      i += n;
      o += n;
    } else if (h > 128) {
      const n = 257 - h;
      if (i >= src.length || o + n > out.length) throw new Error('An RLE replicate run overruns.');
      out.fill(src[i++], o, o + n);
      o += n;
    }
  }
}

/** The frame's samples, interleaved, unsigned (reinterpret as signed where PixelRepresentation is 1). */
export function decodeRleFrame(
  fragment: Uint8Array,
  shape: RleFrameShape,
): Uint8Array | Uint16Array | Uint32Array {
  const { rows, columns, samplesPerPixel: spp, bitsAllocated } = shape;
  const bytesPerSample = bitsAllocated / 8;
  const view = new DataView(fragment.buffer, fragment.byteOffset, fragment.byteLength);
  if (fragment.length < 64) throw new Error('An RLE frame is shorter than its 64-byte header.');
  const count = view.getUint32(0, true);
  if (count !== spp * bytesPerSample) {
    throw new Error(
      `The RLE header lists ${count} segments; the pixel module needs ${spp * bytesPerSample}.`,
    );
  }
  const pixels = rows * columns;
  const out =
    bitsAllocated === 8
      ? new Uint8Array(pixels * spp)
      : bitsAllocated === 16
        ? new Uint16Array(pixels * spp)
        : new Uint32Array(pixels * spp);
  const plane = new Uint8Array(pixels);
  for (let k = 0; k < count; k++) {
    const start = view.getUint32(4 + 4 * k, true);
    const end = k + 1 < count ? view.getUint32(8 + 4 * k, true) : fragment.length;
    if (start < 64 || end < start || end > fragment.length)
      throw new Error('Bad RLE segment offset.');
    unpackSegment(fragment.subarray(start, end), plane);
    const s = Math.floor(k / bytesPerSample);
    const shift = 8 * (bytesPerSample - 1 - (k % bytesPerSample));
    for (let p = 0; p < pixels; p++) out[p * spp + s] += plane[p] * 2 ** shift;
  }
  return out;
}
