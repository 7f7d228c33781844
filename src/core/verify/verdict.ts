// The verdict from the checks, and the hook a later step (pixel OCR) uses to put its own result in.
import type { CheckResult, SampleDecision, VerifyReport } from './types';

/**
 * 'fail' when any check failed or a person failed an image of the visual sample; warnings and
 * checks not available do not fail a package.
 */
export function verdictOf(
  checks: readonly CheckResult[],
  sampleReview: readonly SampleDecision[] = [],
): VerifyReport['verdict'] {
  return checks.some((c) => c.status === 'fail') || sampleReview.some((d) => d.decision === 'fail')
    ? 'fail'
    : 'pass';
}

/**
 * The report with a person's decisions on the visual sample (only paths of the sample, in sample
 * order) and the verdict recomputed.
 */
export function recordSampleReview(
  report: VerifyReport,
  decisions: readonly SampleDecision[],
): VerifyReport {
  const byPath = new Map(decisions.map((d) => [d.path, d]));
  const sampleReview = report.sample
    .map((path) => byPath.get(path))
    .filter((d): d is SampleDecision => d !== undefined)
    .map((d) => ({
      path: d.path,
      decision: d.decision,
      ...(d.note !== undefined && d.note.trim() !== '' ? { note: d.note.trim() } : {}),
    }));
  return { ...report, sampleReview, verdict: verdictOf(report.checks, sampleReview) };
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
  return { ...report, checks, verdict: verdictOf(checks, report.sampleReview) };
}
