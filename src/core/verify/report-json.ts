// The report as JSON text with a fixed key order, so the same report always gives the same bytes.
import type { DumpRow } from '../review/dump';
import type { CheckResult, Finding, OcrCandidate, VerifyReport } from './types';

function finding(f: Finding): Finding {
  return { check: f.check, path: f.path, message: f.message, severity: f.severity };
}

function check(c: CheckResult): CheckResult {
  return {
    id: c.id,
    title: c.title,
    status: c.status,
    counts: { checked: c.counts.checked, failed: c.counts.failed, warnings: c.counts.warnings },
    findings: c.findings.map(finding),
    omittedFindings: c.omittedFindings,
    ...(c.note !== undefined ? { note: c.note } : {}),
  };
}

function row(d: DumpRow): DumpRow {
  return {
    path: d.path,
    vr: d.vr,
    value: d.value,
    count: d.count,
    risk: d.risk,
    reason: d.reason,
    score: d.score,
    examples: [...d.examples],
  };
}

function candidate(o: OcrCandidate): OcrCandidate {
  return {
    path: o.path,
    reasons: [...o.reasons],
    state: o.state,
    ...(o.kind !== undefined ? { kind: o.kind } : {}),
    ...(o.modality !== undefined ? { modality: o.modality } : {}),
    ...(o.redacted !== undefined
      ? {
          redacted: o.redacted.map((b) => ({
            x: b.x,
            y: b.y,
            w: b.w,
            h: b.h,
            ...(b.frame !== undefined ? { frame: b.frame } : {}),
          })),
        }
      : {}),
    ...(o.frames !== undefined ? { frames: o.frames } : {}),
    ...(o.framesRead !== undefined ? { framesRead: o.framesRead } : {}),
  };
}

/** Pretty JSON (2 spaces, trailing newline) with the keys in the order of the VerifyReport type. */
export function reportJson(report: VerifyReport): string {
  const ordered: VerifyReport = {
    verdict: report.verdict,
    ...(report.recipeSha256 !== undefined ? { recipeSha256: report.recipeSha256 } : {}),
    ...(report.packageRecipeSha256 !== undefined
      ? { packageRecipeSha256: report.packageRecipeSha256 }
      : {}),
    files: report.files,
    bytes: report.bytes,
    dicomFiles: report.dicomFiles,
    checks: report.checks.map(check),
    sampleSeed: report.sampleSeed,
    sample: [...report.sample],
    ...(report.sampleReview !== undefined
      ? {
          sampleReview: report.sampleReview.map((d) => ({
            path: d.path,
            decision: d.decision,
            ...(d.note !== undefined ? { note: d.note } : {}),
          })),
        }
      : {}),
    ocr: { state: report.ocr.state, entries: report.ocr.entries.map(candidate) },
    dumpTotal: report.dumpTotal,
    dump: report.dump.map(row),
  };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}
