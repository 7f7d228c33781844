// Our own JPEG decoder for DICOM: baseline and extended sequential DCT (8- and 12-bit) and lossless
// process 14; Huffman coding only. Reads the marker segments (ITU-T T.81 annex B) and runs each scan.
import { BitReader, buildHuffmanTable } from './jpeg-huffman';
import { decodeDctScan } from './jpeg-dct';
import type { JpegComponent, JpegFrame, JpegTables, ScanHeader } from './jpeg-frame';
import { decodeLosslessScan } from './jpeg-lossless';
import { upsampleComponent } from './jpeg-upsample';
import { PixelError } from './pixel-error';

export interface JpegImage {
  width: number;
  height: number;
  components: number;
  precision: number;
  lossless: boolean;
  /** Samples interleaved, in the codestream's own colour space (no colour conversion). */
  data: Uint8Array | Uint16Array;
  /** What the codestream says about its colour space, for the caller's decision. */
  adobeTransform?: number;
  jfif: boolean;
  componentIds: number[];
  /** True when a component is subsampled (sampling factors differ). */
  subsampled: boolean;
}

function fail(message: string): never {
  throw new PixelError('codec-failed', `JPEG: ${message}`);
}

function readFrame(seg: Uint8Array, marker: number): JpegFrame {
  if (seg.length < 6) fail('the frame header is too short.');
  const precision = seg[0];
  const height = (seg[1] << 8) | seg[2];
  const width = (seg[3] << 8) | seg[4];
  const n = seg[5];
  if (height === 0 || width === 0) fail('the frame has no lines (DNL is not supported).');
  if (n < 1 || n > 4 || seg.length < 6 + 3 * n)
    fail('the frame header lists no usable components.');
  const process = (marker - 0xc0) as 0 | 1 | 3;
  if (process === 3 ? precision < 2 || precision > 16 : precision !== 8 && precision !== 12) {
    fail(`sample precision ${precision} is not allowed for this process.`);
  }
  const raw = [];
  for (let i = 0; i < n; i++) {
    const hv = seg[7 + 3 * i];
    raw.push({ id: seg[6 + 3 * i], h: hv >> 4 || 1, v: hv & 15 || 1, tq: seg[8 + 3 * i] & 3 });
  }
  const hmax = Math.max(...raw.map((c) => c.h));
  const vmax = Math.max(...raw.map((c) => c.v));
  const unit = process === 3 ? 1 : 8;
  const mcusX = Math.ceil(width / (hmax * unit));
  const mcusY = Math.ceil(height / (vmax * unit));
  const components: JpegComponent[] = raw.map((c) => {
    const stride = mcusX * c.h * unit;
    const rows = mcusY * c.v * unit;
    return {
      ...c,
      width: Math.ceil((width * c.h) / hmax),
      height: Math.ceil((height * c.v) / vmax),
      stride,
      rows,
      plane: new Uint16Array(stride * rows),
      pred: 0,
    };
  });
  return { process, precision, width, height, components, hmax, vmax, mcusX, mcusY };
}

function readScan(seg: Uint8Array, frame: JpegFrame): ScanHeader {
  const n = seg[0];
  if (n < 1 || n > 4 || seg.length < 4 + 2 * n) fail('the scan header is malformed.');
  const components = [];
  for (let i = 0; i < n; i++) {
    const comp = frame.components.find((c) => c.id === seg[1 + 2 * i]);
    if (!comp) fail('a scan names a component the frame does not have.');
    const t = seg[2 + 2 * i];
    components.push({ comp, td: t >> 4, ta: t & 15 });
  }
  const a = seg[3 + 2 * n];
  return { components, ss: seg[1 + 2 * n], se: seg[2 + 2 * n], ah: a >> 4, al: a & 15 };
}

function readHuffmanTables(seg: Uint8Array, tables: JpegTables): void {
  let p = 0;
  while (p < seg.length) {
    if (p + 17 > seg.length) fail('a Huffman table is cut short.');
    const tc = seg[p] >> 4;
    const th = seg[p] & 15;
    const counts = seg.subarray(p + 1, p + 17);
    const total = counts.reduce((s, c) => s + c, 0);
    if (p + 17 + total > seg.length || th > 3) fail('a Huffman table is malformed.');
    const table = buildHuffmanTable(counts, seg.subarray(p + 17, p + 17 + total));
    if (tc === 0) tables.dc[th] = table;
    else tables.ac[th] = table;
    p += 17 + total;
  }
}

function readQuantTables(seg: Uint8Array, tables: JpegTables): void {
  let p = 0;
  while (p < seg.length) {
    const pq = seg[p] >> 4;
    const tq = seg[p] & 15;
    const size = pq === 0 ? 64 : 128;
    if (tq > 3 || p + 1 + size > seg.length) fail('a quantization table is malformed.');
    const q = new Int32Array(64);
    for (let i = 0; i < 64; i++) {
      q[i] = pq === 0 ? seg[p + 1 + i] : (seg[p + 1 + 2 * i] << 8) | seg[p + 2 + 2 * i];
    }
    tables.quant[tq] = q;
    p += 1 + size;
  }
}

const SOF_NAMES: Record<number, string> = {
  0xc2: 'progressive DCT',
  0xc5: 'hierarchical',
  0xc6: 'hierarchical',
  0xc7: 'hierarchical',
  0xc9: 'arithmetic-coded',
  0xca: 'arithmetic-coded',
  0xcb: 'arithmetic-coded',
  0xcd: 'arithmetic-coded',
  0xce: 'arithmetic-coded',
  0xcf: 'arithmetic-coded',
};

/** Decodes one JPEG codestream (one DICOM frame). Throws PixelError 'codec-failed' when it cannot. */
export function decodeJpeg(bytes: Uint8Array): JpegImage {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8)
    fail('the data does not start with SOI.');
  const tables: JpegTables = { dc: [], ac: [], quant: [], restartInterval: 0 };
  let frame: JpegFrame | undefined;
  let adobeTransform: number | undefined;
  let jfif = false;
  let scans = 0;
  let p = 2;
  while (p + 1 < bytes.length) {
    if (bytes[p] !== 0xff) {
      p++; // tolerate stray bytes between segments
      continue;
    }
    const marker = bytes[p + 1];
    if (marker === 0xff) {
      p++;
      continue;
    }
    if (marker === 0xd9) break;
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      p += 2;
      continue;
    }
    if (p + 4 > bytes.length) break;
    const length = (bytes[p + 2] << 8) | bytes[p + 3];
    if (length < 2 || p + 2 + length > bytes.length)
      fail(`a marker segment at byte ${p} runs past the end.`);
    const seg = bytes.subarray(p + 4, p + 2 + length);
    p += 2 + length;
    if (marker === 0xc0 || marker === 0xc1 || marker === 0xc3) frame = readFrame(seg, marker);
    else if (SOF_NAMES[marker]) fail(`${SOF_NAMES[marker]} JPEG is not supported.`);
    else if (marker === 0xc4) readHuffmanTables(seg, tables);
    else if (marker === 0xdb) readQuantTables(seg, tables);
    else if (marker === 0xdd) tables.restartInterval = seg.length >= 2 ? (seg[0] << 8) | seg[1] : 0;
    else if (
      marker === 0xe0 &&
      seg.length >= 5 &&
      String.fromCharCode(...seg.subarray(0, 5)) === 'JFIF\0'
    ) {
      jfif = true;
    } else if (
      marker === 0xee &&
      seg.length >= 12 &&
      String.fromCharCode(...seg.subarray(0, 5)) === 'Adobe'
    ) {
      adobeTransform = seg[11];
    } else if (marker === 0xda) {
      if (!frame) fail('a scan comes before the frame header.');
      const scan = readScan(seg, frame);
      const reader = new BitReader(bytes, p);
      if (frame.process === 3) decodeLosslessScan(reader, frame, tables, scan);
      else decodeDctScan(reader, frame, tables, scan);
      p = reader.endOfSegment();
      scans++;
    }
  }
  if (!frame || scans === 0) fail('the codestream holds no frame or no scan.');
  return assemble(frame, adobeTransform, jfif);
}

function assemble(frame: JpegFrame, adobeTransform: number | undefined, jfif: boolean): JpegImage {
  const { width, height, components } = frame;
  const n = components.length;
  const full = components.map((c) => upsampleComponent(c, frame.hmax, frame.vmax, width, height));
  const data =
    frame.precision <= 8 ? new Uint8Array(width * height * n) : new Uint16Array(width * height * n);
  if (n === 1) data.set(full[0]);
  else {
    for (let c = 0; c < n; c++) {
      const src = full[c];
      for (let i = 0, o = c; i < src.length; i++, o += n) data[o] = src[i];
    }
  }
  return {
    width,
    height,
    components: n,
    precision: frame.precision,
    lossless: frame.process === 3,
    data,
    adobeTransform,
    jfif,
    componentIds: components.map((c) => c.id),
    subsampled: components.some((c) => c.h !== frame.hmax || c.v !== frame.vmax),
  };
}

/** What the header of a JPEG codestream says, read without decoding it. */
export interface JpegHeader {
  process: number;
  precision: number;
  components: number;
  componentIds: number[];
  subsampled: boolean;
  adobeTransform?: number;
  jfif: boolean;
}

/** Reads markers up to the first SOS: the frame header and the colour hints (APP0 JFIF, APP14 Adobe). */
export function readJpegHeader(bytes: Uint8Array): JpegHeader | undefined {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return undefined;
  let jfif = false;
  let adobeTransform: number | undefined;
  let p = 2;
  while (p + 3 < bytes.length) {
    if (bytes[p] !== 0xff) {
      p++;
      continue;
    }
    const marker = bytes[p + 1];
    if (marker === 0xff || marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7)) {
      p += marker === 0xff ? 1 : 2;
      continue;
    }
    const length = (bytes[p + 2] << 8) | bytes[p + 3];
    const seg = bytes.subarray(p + 4, Math.min(bytes.length, p + 2 + length));
    if (
      marker === 0xe0 &&
      seg.length >= 5 &&
      String.fromCharCode(...seg.subarray(0, 5)) === 'JFIF\0'
    )
      jfif = true;
    if (
      marker === 0xee &&
      seg.length >= 12 &&
      String.fromCharCode(...seg.subarray(0, 5)) === 'Adobe'
    )
      adobeTransform = seg[11];
    if (
      marker >= 0xc0 &&
      marker <= 0xcf &&
      marker !== 0xc4 &&
      marker !== 0xc8 &&
      marker !== 0xcc &&
      seg.length >= 6
    ) {
      const n = seg[5];
      const ids: number[] = [];
      const hv: number[] = [];
      for (let i = 0; i < n && 8 + 3 * i < seg.length; i++) {
        ids.push(seg[6 + 3 * i]);
        hv.push(seg[7 + 3 * i]);
      }
      return {
        process: marker - 0xc0,
        precision: seg[0],
        components: n,
        componentIds: ids,
        subsampled: hv.some((x) => x !== hv[0]),
        adobeTransform,
        jfif,
      };
    }
    if (marker === 0xda || marker === 0xd9) return undefined;
    p += 2 + length;
  }
  return undefined;
}

/**
 * Whether a 3-component JPEG holds YCbCr that must become RGB. The codestream's own markers win
 * (APP14 Adobe transform flag, then JFIF, then component ids 'R','G','B'); else the DICOM
 * PhotometricInterpretation (YBR_* = YCbCr); RGB that is chroma-subsampled is really YCbCr.
 */
export function jpegHoldsYcbcr(
  h: Pick<JpegHeader, 'components' | 'componentIds' | 'subsampled' | 'adobeTransform' | 'jfif'>,
  photometric: string,
): boolean {
  if (h.components !== 3) return false;
  if (h.adobeTransform !== undefined) return h.adobeTransform !== 0;
  if (h.jfif) return true;
  const [a, b, c] = h.componentIds;
  if (a === 0x52 && b === 0x47 && c === 0x42) return false;
  if (photometric.startsWith('YBR')) return true;
  return h.subsampled;
}

/** What IJG libjpeg (and so libjpeg-turbo) assumes about a 3-component JPEG's colour space. */
export function libjpegAssumesYcbcr(h: JpegHeader): boolean {
  if (h.components !== 3) return false;
  if (h.jfif) return true;
  if (h.adobeTransform !== undefined) return h.adobeTransform !== 0;
  const [a, b, c] = h.componentIds;
  return !(a === 0x52 && b === 0x47 && c === 0x42);
}
