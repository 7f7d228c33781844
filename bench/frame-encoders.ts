// Node-side encoders for the burned-in text set: JPEG-LS (CharLS), JPEG 2000 (OpenJPEG) and JPEG
// baseline (libjpeg-turbo) through the full wasm builds of the codecs the app decodes with. Core
// stays free of wasm: it takes the codestreams these make as data (core/sample burnedTextDicom).
import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import {
  BURNED_TEXT_SYNTAXES,
  storedFramesOf,
  burnedTextDicom,
  type BurnedTextSyntax,
  type StoredFrames,
} from '../src/core/sample/burned-text-dicom';
import type { BurnedTextImage, MultiFrameTextImage } from '../src/core/sample/burned-text';

interface FrameInfo {
  width: number;
  height: number;
  bitsPerSample: number;
  componentCount: number;
  isSigned: boolean;
  isUsingColorTransform?: boolean;
}

interface WasmEncoder {
  getDecodedBuffer(info: FrameInfo): Uint8Array;
  encode(): void;
  getEncodedBuffer(): Uint8Array;
  setQuality?(quality: number): void;
  setProgressive?(progressive: boolean): void;
  setSubSampling?(subsample: boolean): void;
  setInterleaveMode?(mode: number): void;
  delete(): void;
}

type EncoderClass = new () => WasmEncoder;

interface EncoderModules {
  charls: { JpegLSEncoder: EncoderClass };
  openjpeg: { J2KEncoder: EncoderClass };
  libjpegTurbo: { JPEGEncoder: EncoderClass };
}

type Factory = (options: {
  wasmBinary: Uint8Array;
  print: () => void;
  printErr: () => void;
}) => Promise<unknown>;

let loaded: Promise<EncoderModules> | undefined;

/** The full (encode + decode) wasm builds, loaded once per process. */
function loadEncoders(): Promise<EncoderModules> {
  loaded ??= (async () => {
    const require = createRequire(import.meta.url);
    const load = async <T>(pkg: string): Promise<T> => {
      const factory = require(`${pkg}/wasmjs`) as Factory;
      const wasmBinary = new Uint8Array(await readFile(require.resolve(`${pkg}/wasm`)));
      return (await factory({ wasmBinary, print: () => {}, printErr: () => {} })) as T;
    };
    const [charls, openjpeg, libjpegTurbo] = await Promise.all([
      load<EncoderModules['charls']>('@cornerstonejs/codec-charls'),
      load<EncoderModules['openjpeg']>('@cornerstonejs/codec-openjpeg'),
      load<EncoderModules['libjpegTurbo']>('@cornerstonejs/codec-libjpeg-turbo-8bit'),
    ]);
    return { charls, openjpeg, libjpegTurbo };
  })();
  return loaded;
}

/** JPEG baseline quality (libjpeg's 0..100 scale): what a modality's "high quality" export uses. */
export const JPEG_QUALITY = 90;

function encodeOne(
  Encoder: EncoderClass,
  stored: StoredFrames,
  samples: Uint8Array | Uint16Array,
  quality?: number,
): Uint8Array {
  const encoder = new Encoder();
  try {
    const info: FrameInfo = {
      width: stored.width,
      height: stored.height,
      bitsPerSample: stored.bitsStored === 12 ? 16 : 8,
      componentCount: stored.samplesPerPixel,
      isSigned: false,
      // No reversible colour transform: the file says RGB.
      isUsingColorTransform: false,
    };
    const target = encoder.getDecodedBuffer(info);
    target.set(new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength));
    // CharLS reads interleaved samples (R G B R G B …) only in sample-interleave mode (2).
    if (stored.samplesPerPixel === 3) encoder.setInterleaveMode?.(2);
    if (quality !== undefined) {
      // Baseline (SOF0), not progressive; colour as YCbCr 4:2:2 (YBR_FULL_422), as devices write it.
      encoder.setProgressive?.(false);
      encoder.setQuality?.(quality);
      encoder.setSubSampling?.(stored.samplesPerPixel === 3);
    }
    encoder.encode();
    return encoder.getEncodedBuffer().slice();
  } finally {
    encoder.delete();
  }
}

/** One codestream per frame of `storedFramesOf(image, syntax)`; [] for native and RLE. */
export async function encodeFrames(
  image: BurnedTextImage | MultiFrameTextImage,
  syntax: BurnedTextSyntax,
): Promise<Uint8Array[]> {
  if (BURNED_TEXT_SYNTAXES[syntax].encoder !== 'platform') return [];
  const stored = storedFramesOf(image, syntax);
  const m = await loadEncoders();
  return stored.frames.map((f) =>
    syntax === 'jpeg-ls'
      ? encodeOne(m.charls.JpegLSEncoder, stored, f)
      : syntax === 'jpeg-2000'
        ? encodeOne(m.openjpeg.J2KEncoder, stored, f)
        : encodeOne(m.libjpegTurbo.JPEGEncoder, stored, f, JPEG_QUALITY),
  );
}

/** The image as a DICOM file in `syntax`, encoding with wasm where the syntax needs it. */
export async function burnedTextFile(
  image: BurnedTextImage | MultiFrameTextImage,
  syntax: BurnedTextSyntax,
): Promise<Uint8Array> {
  return burnedTextDicom(image, syntax, await encodeFrames(image, syntax));
}
