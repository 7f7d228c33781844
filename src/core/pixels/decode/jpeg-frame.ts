// The state a JPEG decode builds from its marker segments: frame header, components, tables (ITU-T T.81 B.2).
import type { HuffmanTable } from './jpeg-huffman';

export interface JpegComponent {
  id: number;
  /** Horizontal and vertical sampling factors (T.81 A.1.1). */
  h: number;
  v: number;
  /** Quantization table selector. */
  tq: number;
  /** Samples per line and lines of this component before upsampling: ceil(X·h/Hmax), ceil(Y·v/Vmax). */
  width: number;
  height: number;
  /** Allocated plane: whole MCUs (DCT: blocks of 8) so every decoded block fits. */
  stride: number;
  rows: number;
  plane: Uint16Array;
  /** Running DC prediction (DCT) of the current scan. */
  pred: number;
}

export interface JpegFrame {
  /** SOF marker number: 0 baseline, 1 extended sequential, 3 lossless. */
  process: 0 | 1 | 3;
  precision: number;
  width: number;
  height: number;
  components: JpegComponent[];
  hmax: number;
  vmax: number;
  /** MCUs per line and per column of an interleaved scan. */
  mcusX: number;
  mcusY: number;
}

export interface JpegTables {
  dc: (HuffmanTable | undefined)[];
  ac: (HuffmanTable | undefined)[];
  /** Quantization tables in zig-zag order, as stored in DQT. */
  quant: (Int32Array | undefined)[];
  restartInterval: number;
}

export interface ScanHeader {
  components: { comp: JpegComponent; td: number; ta: number }[];
  /** Ss: spectral start, or the lossless predictor selection value. */
  ss: number;
  se: number;
  ah: number;
  /** Al: successive approximation low bit, or the lossless point transform. */
  al: number;
}
