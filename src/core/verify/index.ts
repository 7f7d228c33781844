// The verify module's public face: verifyPackage, the package sources, and the report in JSON and HTML.
export {
  verifyPackage,
  DEFAULT_MAX_FINDINGS,
  DEFAULT_SAMPLE_SEED,
  DEFAULT_SAMPLE_SIZE,
  DEFAULT_OCR_SAMPLE_FRACTION,
  DEFAULT_OCR_SAMPLE_MINIMUM,
} from './verify-package';
export {
  ocrImage,
  ocrContext,
  ocrCheckResult,
  runOcrCheck,
  skipOcrCheck,
  lookOf,
  insideRedaction,
  type OcrBoxFinding,
  type OcrDeps,
  type OcrImageResult,
  type OcrReader,
  type OcrRunOptions,
} from './ocr-check';
export {
  zipSource,
  blobSource,
  type PackageEntry,
  type PackageSource,
  type ZipVolumeSource,
} from './source';
export { reportJson } from './report-json';
export { recordSampleReview, replaceCheck, verdictOf } from './verdict';
export { reportHtml } from './report-html';
export { PACKAGE_DOCUMENTS, isPackageDocument } from './documents';
export { CHECK_TITLES } from './recorder';
export {
  CHECK_IDS,
  type CheckCounts,
  type CheckId,
  type CheckResult,
  type CheckStatus,
  type Finding,
  type OcrCandidate,
  type OcrState,
  type RedactedBox,
  type SampleDecision,
  type Severity,
  type VerifyOptions,
  type VerifyReport,
} from './types';
