// The verdict from the checks, and the hook a later step (pixel OCR) uses to put its own result in.
import type { CheckResult, VerifyReport } from './types';

/** 'fail' when any check failed; warnings and checks not available do not fail a package. */
export function verdictOf(checks: readonly CheckResult[]): VerifyReport['verdict'] {
  return checks.some((c) => c.status === 'fail') ? 'fail' : 'pass';
}

/**
 * The report with one check's result replaced (same id, same place) and the verdict recomputed:
 * how the OCR step, once it has read `report.ocr.entries`, turns 'pixels-ocr' into pass or fail.
 */
export function replaceCheck(report: VerifyReport, result: CheckResult): VerifyReport {
  if (!report.checks.some((c) => c.id === result.id)) {
    throw new RangeError(`the report has no check ${result.id}`);
  }
  const checks = report.checks.map((c) => (c.id === result.id ? result : c));
  return { ...report, checks, verdict: verdictOf(checks) };
}
