// Collects one check's findings and counts while the package streams by, and turns them into its result.
import type { CheckId, CheckResult, Finding, Severity } from './types';

export const CHECK_TITLES: Readonly<Record<CheckId, string>> = {
  'manifest-present': 'Manifest present and readable',
  'checksums-match': 'Every listed file has its size and SHA-256',
  'no-missing-files': 'No listed file is missing',
  'no-extra-files': 'No file outside the manifest',
  'recipe-matches': 'Recipe recorded, valid, and the one expected',
  'every-file-parses': 'Every file reads as DICOM',
  'elements-allowed': 'Only standard elements the recipe keeps',
  'private-elements-safe': 'Only private elements from the safe list',
  'identity-removed': 'Marked de-identified (PatientIdentityRemoved, CID 7050 codes)',
  'uids-pseudonymous': 'UIDs are pseudonymous (2.25 or a site root)',
  'one-pseudonym-per-study': "One pseudonym per study, in the recipe's form",
  'references-resolve': 'References to images point inside the package',
  'high-risk-values': 'No high-risk values left in the metadata',
  'pixels-ocr': 'No burned-in text in pixel data (OCR)',
};

export class CheckRecorder {
  /** How many things the check looked at. */
  checked = 0;
  private failed = 0;
  private warnings = 0;
  private readonly failures: Finding[] = [];
  private readonly warns: Finding[] = [];
  private unavailable: string | undefined;
  private note: string | undefined;

  constructor(
    readonly id: CheckId,
    private readonly maxFindings: number,
  ) {}

  add(path: string, message: string, severity: Severity = 'fail'): void {
    const list = severity === 'fail' ? this.failures : this.warns;
    if (severity === 'fail') this.failed++;
    else this.warnings++;
    // Memory stays bounded however bad the package is: only the counts keep growing.
    if (list.length < this.maxFindings) list.push({ check: this.id, path, message, severity });
  }

  /** The check could not run; `why` says so in plain words. */
  notAvailable(why: string): void {
    this.unavailable = why;
  }

  get isAvailable(): boolean {
    return this.unavailable === undefined;
  }

  /** A remark shown with the result (what the check could not see). */
  remark(text: string): void {
    this.note = text;
  }

  result(): CheckResult {
    const findings = [...this.failures, ...this.warns].slice(0, this.maxFindings);
    const status =
      this.unavailable !== undefined ? 'not-available' : this.failed > 0 ? 'fail' : 'pass';
    const note = this.unavailable ?? this.note;
    return {
      id: this.id,
      title: CHECK_TITLES[this.id],
      status,
      counts: { checked: this.checked, failed: this.failed, warnings: this.warnings },
      findings,
      omittedFindings: this.failed + this.warnings - findings.length,
      ...(note !== undefined ? { note } : {}),
    };
  }
}
