// Redaction of burned-in text: fill boxes in native or compressed pixel data; the RLE Lossless encoder.
export { redactPixels } from './redact-pixels';
export type { RedactionLogEntry, RedactionOptions, RedactionResult } from './redact-pixels';
export { encodeRleFrame, type RleFrameInput } from './rle-encode';
export { monochromeFill } from './fill';
export { planBoxes, type Rect } from './boxes';
export { RLE_LOSSLESS } from './header';
