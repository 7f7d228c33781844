// Encodes one frame as DICOM RLE Lossless (PS3.5 Annex G): a 64-byte header, then one PackBits segment per byte plane.

/** One frame's samples, interleaved (R1 G1 B1 R2 … for 3 samples), one array element per sample. */
export interface RleFrameInput {
  rows: number;
  columns: number;
  samplesPerPixel: 1 | 3;
  bitsAllocated: 8 | 16 | 32;
  samples: Uint8Array | Uint16Array | Int16Array | Uint32Array | Int32Array;
}

/** The RLE header holds 15 segment offsets (G.4): at most 15 byte planes. */
const MAX_SEGMENTS = 15;
const HEADER_BYTES = 64;
/** PackBits header -128 (0x80) means "no operation" (G.3.2): a safe pad byte. */
const NO_OP = 0x80;

/**
 * PackBits of one row (G.3.1: a run never crosses a row boundary) into `out` at `at`; returns the
 * new end. Runs of three or more equal bytes are replicate runs (header 1-n as a signed byte, then
 * the byte); the rest are literal runs (header n-1, then n bytes); both at most 128 bytes long.
 * `out` has room for the worst case, n + ceil(n / 128) bytes.
 */
function packRow(row: Uint8Array, out: Uint8Array, at: number): number {
  const n = row.length;
  let o = at;
  let i = 0;
  while (i < n) {
    const b = row[i];
    let run = 1;
    while (i + run < n && run < 128 && row[i + run] === b) run++;
    if (run >= 3 || (run === 2 && i + 2 >= n)) {
      out[o++] = (257 - run) & 0xff;
      out[o++] = b;
      i += run;
      continue;
    }
    // A literal run: up to where a replicate run of three begins, at most 128 bytes.
    const start = i;
    let end = i + run;
    const limit = Math.min(n, start + 128);
    while (end < limit && !(end + 2 < n && row[end] === row[end + 1] && row[end] === row[end + 2]))
      end++;
    out[o++] = end - start - 1;
    for (let k = start; k < end; k++) out[o++] = row[k];
    i = end;
  }
  return o;
}

/**
 * The RLE fragment of one frame: segments ordered by sample (R, G, B), and within a sample from
 * the most significant byte to the least (G.2), each row PackBits-encoded, each segment padded to
 * even length. Signed samples are encoded as their two's complement bits.
 */
export function encodeRleFrame(input: RleFrameInput): Uint8Array {
  const { rows, columns, samplesPerPixel: spp, bitsAllocated } = input;
  const bytesPerSample = bitsAllocated / 8;
  const segments = spp * bytesPerSample;
  if (segments > MAX_SEGMENTS) throw new Error(`RLE holds at most ${MAX_SEGMENTS} byte planes.`);
  const pixels = rows * columns;
  if (input.samples.length < pixels * spp) {
    throw new Error('The frame holds fewer samples than Rows × Columns × SamplesPerPixel.');
  }
  const samples = input.samples;
  const worstRow = columns + Math.ceil(columns / 128);
  const out = new Uint8Array(HEADER_BYTES + segments * (rows * worstRow + 1));
  let length = HEADER_BYTES;
  const offsets: number[] = [];
  const row = new Uint8Array(columns);
  for (let s = 0; s < spp; s++) {
    for (let b = bytesPerSample - 1; b >= 0; b--) {
      offsets.push(length);
      const shift = 8 * b;
      for (let r = 0; r < rows; r++) {
        const base = r * columns * spp + s;
        if (shift === 0) for (let c = 0; c < columns; c++) row[c] = samples[base + c * spp];
        else for (let c = 0; c < columns; c++) row[c] = samples[base + c * spp] >>> shift;
        length = packRow(row, out, length);
      }
      if (length & 1) out[length++] = NO_OP;
    }
  }
  const header = new DataView(out.buffer, 0, HEADER_BYTES);
  header.setUint32(0, segments, true);
  offsets.forEach((offset, i) => header.setUint32(4 + 4 * i, offset, true));
  return out.slice(0, length);
}
