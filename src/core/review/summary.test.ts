// The review summary a package carries: reviewers, time, counts per decision, recipe hash, and a
// decisions CSV that never carries a value the review took out.
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../csv/csv';
import type { ReviewDecision } from './decision';
import {
  buildReviewSummary,
  renderReviewDecisionsCsv,
  renderReviewSummaryJson,
  REVIEW_DECISIONS_CSV_COLUMNS,
} from './summary';

const T = Date.UTC(2025, 0, 2, 3, 4, 5);
const decisions: ReviewDecision[] = [
  {
    path: 'SeriesDescription',
    value: 'CHEST 5MM',
    action: 'accept',
    reviewer: 'Ana',
    decidedAt: T,
  },
  {
    path: 'StudyDescription',
    value: 'CT for Doe^Jane',
    action: 'replace',
    replacement: 'CT',
    reviewer: 'Ben ',
    decidedAt: T + 60_000,
  },
  { path: '(0009,1010) "ACME"', value: 'MRN-1', action: 'remove', reviewer: 'Ana', decidedAt: T },
  { path: 'ImageComments', value: 'call 555-1234', action: 'blank', reviewer: 'Ana', decidedAt: T },
  { path: 'ProtocolName', action: 'accept', reviewer: 'Ana', decidedAt: T },
];
const counts = { distinct: 40, needPerson: 6, reviewed: 5, high: 2, medium: 8, low: 30 };

describe('review summary', () => {
  it('names every reviewer, the last decision time, counts per decision and the recipe hash', () => {
    const s = buildReviewSummary({
      decisions,
      counts,
      recipeSha256: 'ab'.repeat(32),
      dryRun: { finishedAt: T - 1000, files: 23 },
    });
    expect(s.reviewers).toEqual(['Ana', 'Ben']);
    expect(s.reviewedAt).toBe(new Date(T + 60_000).toISOString());
    expect(s.decisions).toEqual({ accept: 1, replace: 1, blank: 1, remove: 1, acceptElement: 1 });
    expect(s.values).toMatchObject({ needPerson: 6, reviewed: 5, notReviewed: 1 });
    expect(s.complete).toBe(false);
    expect(s.recipeSha256).toBe('ab'.repeat(32));
    expect(JSON.parse(renderReviewSummaryJson(s))).toEqual(s);
  });

  it('with no decision: no reviewer, no time, complete only when nothing needs a person', () => {
    const none = buildReviewSummary({
      decisions: [],
      counts: { ...counts, needPerson: 0, reviewed: 0 },
      recipeSha256: '0',
      dryRun: { finishedAt: T, files: 1 },
    });
    expect(none).toMatchObject({ reviewers: [], reviewedAt: null, complete: true });
  });

  it('decisions CSV: one row per decision with reviewer and time, never a value the review took out', () => {
    const text = renderReviewDecisionsCsv(decisions);
    const [header, ...rows] = parseCsv(text);
    expect(header).toEqual([...REVIEW_DECISIONS_CSV_COLUMNS]);
    expect(rows).toHaveLength(5);
    for (const gone of ['CT for Doe^Jane', 'MRN-1', 'call 555-1234'])
      expect(text).not.toContain(gone);
    expect(rows.find((r) => r[0] === 'StudyDescription')).toEqual([
      'StudyDescription',
      '',
      'replace',
      'CT',
      'Ben',
      new Date(T + 60_000).toISOString(),
    ]);
    expect(rows.find((r) => r[0] === 'SeriesDescription')?.[1]).toBe('CHEST 5MM');
    expect(rows.find((r) => r[0] === 'ProtocolName')?.slice(1, 3)).toEqual([
      '(every value)',
      'accept element',
    ]);
  });
});
