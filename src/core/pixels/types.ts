// The pixel data model every pixels module shares: how stored pixels are described, decoded frames,
// boxes on a frame, and the codec set that platforms supply (wasm codecs load differently in a
// browser worker and in Node, so core receives them rather than importing them).

/** What the image pixel module says about the stored pixels (PS3.3 C.7.6.3). */
export interface PixelDescription {
  rows: number;
  columns: number;
  samplesPerPixel: 1 | 3;
  bitsAllocated: 1 | 8 | 16 | 32;
  bitsStored: number;
  highBit: number;
  /** 0 unsigned, 1 two's complement. */
  pixelRepresentation: 0 | 1;
  /** PhotometricInterpretation as stored: MONOCHROME1, MONOCHROME2, RGB, YBR_FULL, YBR_FULL_422, PALETTE COLOR, YBR_RCT, YBR_ICT, ... */
  photometric: string;
  /** 0 interleaved (R1G1B1R2...), 1 planar (R...G...B...). Only meaningful for samplesPerPixel 3. */
  planarConfiguration: 0 | 1;
  numberOfFrames: number;
  transferSyntaxUID: string;
  /** Palette lookup tables for PALETTE COLOR, each entry already scaled to 0..65535. */
  palette?: { first: number; red: Uint16Array; green: Uint16Array; blue: Uint16Array };
  /** Modality LUT and VOI window from the header, when present (first value of each). */
  rescaleSlope?: number;
  rescaleIntercept?: number;
  windowCenter?: number;
  windowWidth?: number;
}

/**
 * One decoded frame in stored values, interleaved samples. Colour images are converted to RGB
 * (YBR_* and PALETTE COLOR are expanded); monochrome keeps its stored values and sign.
 */
export interface Frame {
  width: number;
  height: number;
  samplesPerPixel: 1 | 3;
  /** MONOCHROME1, MONOCHROME2 or RGB after decoding. */
  photometric: 'MONOCHROME1' | 'MONOCHROME2' | 'RGB';
  bitsStored: number;
  signed: boolean;
  data: Uint8Array | Uint16Array | Int16Array | Uint32Array | Int32Array;
}

/** An 8-bit view for OCR and display: 1 channel (grey) or 4 (RGBA, ready for ImageData). */
export interface Gray8 {
  width: number;
  height: number;
  data: Uint8Array;
}

/** A rectangle in frame pixels. `frame` undefined means every frame of the image. */
export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
  frame?: number;
}

/** Where a box came from, so that a reviewer and the redaction log can say why it is there. */
export type BoxSource = 'ocr' | 'template' | 'reviewer' | 'prefilter';

export interface FoundBox extends Box {
  source: BoxSource;
  /** Why this text is PHI (e.g. 'matches PatientName', 'date pattern', 'all text in a high-risk class'). Never the text itself. */
  reason: string;
  /** OCR confidence 0..100 when source is 'ocr'. */
  confidence?: number;
}

/** Decoders (and one lossless encoder) that a platform loads and hands to core. */
export interface CodecSet {
  /** JPEG baseline/extended with 8-bit samples (libjpeg-turbo wasm). */
  decodeJpeg8?(bytes: Uint8Array): Promise<DecodedCodestream>;
  /** JPEG-LS lossless and near-lossless (CharLS wasm). */
  decodeJpegLs?(bytes: Uint8Array): Promise<DecodedCodestream>;
  /** JPEG 2000 Part 1, lossless and lossy (OpenJPEG wasm). */
  decodeJpeg2000?(bytes: Uint8Array): Promise<DecodedCodestream>;
}

/** What a codec returns: samples interleaved, in the codestream's own colour space. */
export interface DecodedCodestream {
  width: number;
  height: number;
  components: number;
  bitsPerSample: number;
  signed: boolean;
  data: Uint8Array | Uint16Array | Int16Array;
}
