// The verification report's shape: checks, their findings, the value dump, the sample and the OCR queue.
import type { Recipe } from '../profile/recipe';
import type { DumpRow } from '../review/dump';

/** Every check, in the order the report lists them. */
export const CHECK_IDS = [
  'manifest-present',
  'checksums-match',
  'no-missing-files',
  'no-extra-files',
  'recipe-matches',
  'every-file-parses',
  'elements-allowed',
  'private-elements-safe',
  'identity-removed',
  'uids-pseudonymous',
  'one-pseudonym-per-study',
  'references-resolve',
  'high-risk-values',
  'pixels-ocr',
] as const;

export type CheckId = (typeof CHECK_IDS)[number];

/**
 * 'not-available': the check could not run (no manifest, no recipe). 'not-run': the check was not
 * run (OCR turned off by the person, or not run yet); the note says why. Neither fails a package.
 */
export type CheckStatus = 'pass' | 'fail' | 'not-available' | 'not-run';

/** 'fail' findings fail their check and the verdict; 'warn' findings are for a person to look at. */
export type Severity = 'fail' | 'warn';

export interface Finding {
  check: CheckId;
  /** Entry path inside the package ('SITE-000001/01/0001_CT/00001.dcm', 'manifest.json'). */
  path: string;
  /** Plain words; may quote de-identified values from the package (that is what an organizer needs). */
  message: string;
  severity: Severity;
}

export interface CheckCounts {
  /** How many things the check looked at (files, elements, UIDs, values: see README). */
  checked: number;
  /** Findings of severity 'fail', all of them, including any left out of `findings`. */
  failed: number;
  /** Findings of severity 'warn', all of them. */
  warnings: number;
}

export interface CheckResult {
  id: CheckId;
  title: string;
  status: CheckStatus;
  counts: CheckCounts;
  /** At most `maxFindingsPerCheck` findings, failures first, in package order. */
  findings: Finding[];
  /** Findings counted but not listed (over `maxFindingsPerCheck`). */
  omittedFindings: number;
  /** Why the check is not available, or what it could not see. */
  note?: string;
}

/** A rectangle of an image that the package's redaction log says was blacked out. */
export interface RedactedBox {
  x: number;
  y: number;
  w: number;
  h: number;
  /** Undefined: every frame. */
  frame?: number;
}

/** What the OCR step did with one queued image. */
export type OcrState = 'not run yet' | 'read' | 'could not read';

/** An image the OCR step reads: every high-risk image and a seeded random sample of the rest. */
export interface OcrCandidate {
  path: string;
  /** Why it is queued: the high-risk reasons, or 'random sample (seed N)'. */
  reasons: string[];
  state: OcrState;
  /** 'high-risk': every word but safe tokens is a finding; 'sample': only date, ID and name shapes. */
  kind?: 'high-risk' | 'sample';
  /** The image's Modality (chooses the safe tokens). */
  modality?: string;
  /** Boxes the package's redaction log lists for this image: text inside them is not a finding. */
  redacted?: RedactedBox[];
  /** Frames in the image, and distinct frames OCR read (identical frames are read once). */
  frames?: number;
  framesRead?: number;
}

/** A person's decision on one image of the visual sample. */
export interface SampleDecision {
  path: string;
  decision: 'pass' | 'fail';
  /** What the person saw (their words; may describe the image, never needed for a pass). */
  note?: string;
}

export interface VerifyReport {
  verdict: 'pass' | 'fail';
  /** Decisions on the visual sample, once a person looked (a 'fail' fails the verdict). */
  sampleReview?: SampleDecision[];
  checks: CheckResult[];
  /** Every entry of the package (volumes together), documents included. */
  files: number;
  /** Bytes of every entry (uncompressed). */
  bytes: number;
  /** Entries read as DICOM (not the package's own documents). */
  dicomFiles: number;
  /** Distinct values left in the package, most dangerous first (at most `dumpLimit`). */
  dump: DumpRow[];
  /** How many distinct values there are in all (dump may hold fewer). */
  dumpTotal: number;
  /** Entry paths for a person to look at, secondary captures, dose sheets and ultrasound first. */
  sample: string[];
  sampleSeed: number;
  /**
   * What the pixel OCR step reads and what it did: 'not run yet' (verifyPackage alone), 'done'
   * (runOcrCheck), 'off' (turned off: skipOcrCheck). The 'pixels-ocr' check is 'not-run' until done.
   */
  ocr: { state: 'not run yet' | 'done' | 'off'; entries: OcrCandidate[] };
  /** SHA-256 of the recipe the package was checked against (canonical JSON, as recipeHash). */
  recipeSha256?: string;
  /** SHA-256 the package records for the recipe that made it (manifest, else its recipe.json). */
  packageRecipeSha256?: string;
}

export interface VerifyOptions {
  /** The organizer's recipe; otherwise the package's recipe.json (or the recipe in its manifest). */
  recipe?: Recipe;
  /** UID roots a site may use instead of 2.25 (e.g. '1.2.826.0.1.3680043.10.999'). */
  siteUidRoots?: string[];
  /** Seed of the visual sample and of the random part of the OCR queue (default 1). */
  sampleSeed?: number;
  /** Size of the visual sample (default 20). */
  sampleSize?: number;
  /** Share of the images that are not high risk that OCR reads (default 0.05). */
  ocrSampleFraction?: number;
  /** ...but at least this many of them, when there are (default 20). */
  ocrSampleMinimum?: number;
  /** Findings listed per check (default 500); the counts always cover all of them. */
  maxFindingsPerCheck?: number;
  /** Rows of the value dump kept in the report (default: all). */
  dumpLimit?: number;
  /** Called after each entry: entries done, entries in the package. */
  onProgress?(done: number, total: number): void;
}
