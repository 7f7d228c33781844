// Public surface of pixel decoding: describe the pixel module, split and decode frames, 8-bit views.
export { PixelError } from './pixel-error';
export type { PixelErrorCode } from './pixel-error';
export { describePixels, LEGIBLE_PIXEL_BYTES, tooSmallForText } from './describe-pixels';
export { decodeFrame, jpeg2000Codestream } from './decode-frame';
export { frameCodestreams } from './frame-codestreams';
export type { ExtendedOffsets } from './frame-codestreams';
export { toGray8, toRgba8 } from './display';
export type { Window } from './display';
export { pixelCodingOf } from './syntaxes';
export type { PixelCoding } from './syntaxes';
export { decodeJpeg } from './jpeg-decode';
export { decodeRleFrame } from './rle';
export { codecSetFromModules } from './wasm-codecs';
export type { CodecModules } from './wasm-codecs';
