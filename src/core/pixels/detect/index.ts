// Burned-in text detection: the public surface of core/pixels/detect.

export type { OcrEngine, OcrInput, OcrWord, PhiContext } from './types';
export { textLikelihood, type TextLikelihood } from './prefilter';
export { prepareForOcr, mapToFrame, type PrepareOptions } from './prepare';
export { classifyWords, REASONS } from './classify';
export { defaultSafeTokens } from './safe-tokens';
export {
  findBurnedInText,
  dedupFrames,
  type BurnedInTextResult,
  type FindOptions,
} from './find-burned-in-text';
export { unreadTextBoxes, type SafetyNetOptions } from './safety-net';
export { findTextBlobs, type TextBlob } from './text-blobs';
export { encodePgm } from './pgm';
export { wordsFromPage, type TesseractPageLike } from './tesseract-page';
