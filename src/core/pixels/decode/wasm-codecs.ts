// Wraps the emscripten modules of the @cornerstonejs codecs (CharLS, OpenJPEG, libjpeg-turbo) as a
// CodecSet. The platform loads the modules (wasm bytes or URL); this part is pure and shared.
import type { CodecSet, DecodedCodestream } from '../types';

interface FrameInfo {
  width: number;
  height: number;
  bitsPerSample: number;
  componentCount: number;
  isSigned?: boolean;
}

/** The embind decoder classes the three packages expose (encoded bytes in, decoded bytes out). */
export interface WasmDecoder {
  getEncodedBuffer(length: number): Uint8Array;
  getDecodedBuffer(): Uint8Array;
  decode(): void;
  getFrameInfo(): FrameInfo;
  getInterleaveMode?(): number;
  delete(): void;
}

export interface CodecModules {
  charls?: { JpegLSDecoder: new () => WasmDecoder };
  openjpeg?: { J2KDecoder: new () => WasmDecoder };
  libjpegTurbo?: { JPEGDecoder: new () => WasmDecoder };
}

/** Copies the decoder's output out of wasm memory into samples of the right type, interleaved. */
function run(
  Decoder: new () => WasmDecoder,
  bytes: Uint8Array,
  planarWhenNone: boolean,
): DecodedCodestream {
  const decoder = new Decoder();
  try {
    decoder.getEncodedBuffer(bytes.length).set(bytes);
    decoder.decode();
    const info = decoder.getFrameInfo();
    const raw = decoder.getDecodedBuffer();
    const signed = !!info.isSigned;
    const n = info.width * info.height * info.componentCount;
    let data: DecodedCodestream['data'];
    if (info.bitsPerSample <= 8) data = new Uint8Array(raw.subarray(0, n));
    else {
      const copy = raw.slice(0, n * 2);
      data = signed ? new Int16Array(copy.buffer, 0, n) : new Uint16Array(copy.buffer, 0, n);
    }
    // CharLS returns component planes when the stream is not interleaved (interleave mode 0).
    if (planarWhenNone && info.componentCount > 1 && decoder.getInterleaveMode?.() === 0) {
      const pixels = info.width * info.height;
      const out = new (data.constructor as new (k: number) => typeof data)(n);
      for (let c = 0; c < info.componentCount; c++) {
        for (let i = 0; i < pixels; i++) out[i * info.componentCount + c] = data[c * pixels + i];
      }
      data = out;
    }
    return {
      width: info.width,
      height: info.height,
      components: info.componentCount,
      bitsPerSample: info.bitsPerSample,
      signed,
      data,
    };
  } finally {
    decoder.delete();
  }
}

/** A CodecSet over whichever modules were loaded. */
export function codecSetFromModules(m: CodecModules): CodecSet {
  const set: CodecSet = {};
  const { charls, openjpeg, libjpegTurbo } = m;
  if (charls) set.decodeJpegLs = async (b) => run(charls.JpegLSDecoder, b, true);
  if (openjpeg) set.decodeJpeg2000 = async (b) => run(openjpeg.J2KDecoder, b, false);
  if (libjpegTurbo) set.decodeJpeg8 = async (b) => run(libjpegTurbo.JPEGDecoder, b, false);
  return set;
}
