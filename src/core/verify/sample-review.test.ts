// A person's decisions on the visual sample: recorded in sample order, in the JSON and HTML
// reports, and a failed image fails the verdict.
import { describe, expect, it } from 'vitest';
import { CHECK_IDS, type VerifyReport } from './types';
import { recordSampleReview, replaceCheck } from './verdict';
import { reportJson } from './report-json';
import { reportHtml } from './report-html';

function report(): VerifyReport {
  return {
    verdict: 'pass',
    checks: CHECK_IDS.map((id) => ({
      id,
      title: id,
      status: 'pass',
      counts: { checked: 1, failed: 0, warnings: 0 },
      findings: [],
      omittedFindings: 0,
    })),
    files: 3,
    bytes: 10,
    dicomFiles: 2,
    dump: [],
    dumpTotal: 0,
    sample: ['A/1.dcm', 'B/2.dcm'],
    sampleSeed: 1,
    ocr: { state: 'not run yet', entries: [] },
  };
}

describe('recordSampleReview', () => {
  it('a failed sample image fails the verdict and is in the JSON and HTML reports with its note', () => {
    const r = recordSampleReview(report(), [
      { path: 'B/2.dcm', decision: 'fail', note: ' name in the corner ' },
      { path: 'A/1.dcm', decision: 'pass' },
      { path: 'not/in/sample.dcm', decision: 'fail' },
    ]);
    expect(r.verdict).toBe('fail');
    expect(r.sampleReview).toEqual([
      { path: 'A/1.dcm', decision: 'pass' },
      { path: 'B/2.dcm', decision: 'fail', note: 'name in the corner' },
    ]);
    expect(JSON.parse(reportJson(r)).sampleReview).toEqual(r.sampleReview);
    const html = reportHtml(r);
    expect(html).toContain('<td>FAIL</td><td>name in the corner</td>');
  });

  it('passing every sample image keeps a passing verdict; a later check result keeps the decisions', () => {
    const r = recordSampleReview(report(), [{ path: 'A/1.dcm', decision: 'pass' }]);
    expect(r.verdict).toBe('pass');
    expect(reportHtml(r)).toContain('not looked at');
    const failed = recordSampleReview(report(), [{ path: 'A/1.dcm', decision: 'fail' }]);
    const replaced = replaceCheck(failed, { ...failed.checks[0] });
    expect(replaced.verdict).toBe('fail');
  });
});
