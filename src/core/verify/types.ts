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

/** 'not-available': the check could not run (no manifest, no recipe, or not implemented yet). */
export type CheckStatus = 'pass' | 'fail' | 'not-available';

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

/** An image the OCR step would read. OCR is a later step: today every entry is 'not run yet'. */
export interface OcrCandidate {
  path: string;
  /** Why it is queued: the high-risk reasons, or 'random sample (seed N)'. */
  reasons: string[];
  state: 'not run yet';
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
  /** What the pixel OCR step would read; the 'pixels-ocr' check stays 'not-available' until it runs. */
  ocr: { state: 'not run yet'; entries: OcrCandidate[] };
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
  /** Size of the visual sample and of the random part of the OCR queue (default 20). */
  sampleSize?: number;
  /** Findings listed per check (default 500); the counts always cover all of them. */
  maxFindingsPerCheck?: number;
  /** Rows of the value dump kept in the report (default: all). */
  dumpLimit?: number;
  /** Called after each entry: entries done, entries in the package. */
  onProgress?(done: number, total: number): void;
}
