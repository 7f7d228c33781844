// The review summary a package carries: who reviewed, when, what they decided (counts per
// decision) and on which dry run and recipe, as JSON and as a CSV audit trail of the decisions.
import { toCsv } from '../csv/csv';
import type { ReviewAction, ReviewDecision } from './decision';

export interface ReviewValueCounts {
  /** Distinct values the dry run left (every path and value). */
  distinct: number;
  /** Of those, values of free-text or private elements: the ones a person must read. */
  needPerson: number;
  /** Of those, values a decision covers (its own, its element's, or a typed replacement). */
  reviewed: number;
  high: number;
  medium: number;
  low: number;
}

export interface ReviewSummaryInput {
  decisions: readonly ReviewDecision[];
  counts: ReviewValueCounts;
  /** SHA-256 (hex) of the recipe the package is written with (core/profile recipeHash). */
  recipeSha256: string;
  /** The dry run the decisions were made on. */
  dryRun: { finishedAt: number; files: number };
}

export interface ReviewSummary {
  schema: 'cleanroom-review';
  version: 1;
  /** Every name that made a decision, sorted; empty when nobody reviewed. */
  reviewers: string[];
  /** The last decision's time (ISO 8601), or null when there is none. */
  reviewedAt: string | null;
  dryRun: { finishedAt: string; files: number };
  recipeSha256: string;
  values: ReviewValueCounts & { notReviewed: number };
  /** Value decisions per action; `acceptElement` counts whole elements accepted. */
  decisions: Record<ReviewAction, number> & { acceptElement: number };
  /** True when every value that needs a person is covered by a decision. */
  complete: boolean;
}

/** The summary's columns for the CSV audit trail, one row per decision. */
export const REVIEW_DECISIONS_CSV_COLUMNS = [
  'path',
  'value',
  'action',
  'replacement',
  'reviewer',
  'decided_at',
] as const;

const iso = (ms: number): string => new Date(ms).toISOString();

export function buildReviewSummary(input: ReviewSummaryInput): ReviewSummary {
  const decisions = { accept: 0, replace: 0, blank: 0, remove: 0, acceptElement: 0 };
  const reviewers = new Set<string>();
  let last: number | undefined;
  for (const d of input.decisions) {
    if (d.value === undefined) decisions.acceptElement++;
    else decisions[d.action]++;
    const name = d.reviewer?.trim();
    if (name) reviewers.add(name);
    if (d.decidedAt !== undefined && (last === undefined || d.decidedAt > last)) last = d.decidedAt;
  }
  const notReviewed = Math.max(0, input.counts.needPerson - input.counts.reviewed);
  return {
    schema: 'cleanroom-review',
    version: 1,
    reviewers: [...reviewers].sort(),
    reviewedAt: last === undefined ? null : iso(last),
    dryRun: { finishedAt: iso(input.dryRun.finishedAt), files: input.dryRun.files },
    recipeSha256: input.recipeSha256,
    values: { ...input.counts, notReviewed },
    decisions,
    complete: notReviewed === 0,
  };
}

/** review.json's text: two-space JSON and a final newline. */
export function renderReviewSummaryJson(summary: ReviewSummary): string {
  return `${JSON.stringify(summary, null, 2)}\n`;
}

/**
 * review-decisions.csv: one row per decision, sorted by path and value. A value the reviewer
 * replaced, blanked or removed is left out (only its path and the action): the package must not
 * carry what the review took out of it. Accepted values are in the package anyway.
 */
export function renderReviewDecisionsCsv(decisions: readonly ReviewDecision[]): string {
  const rows = [...decisions]
    .sort(
      (a, b) =>
        compare(a.path, b.path) ||
        compare(a.value ?? '', b.value ?? '') ||
        compare(a.action, b.action),
    )
    .map((d) => [
      d.path,
      d.action === 'accept' ? (d.value ?? '(every value)') : '',
      d.value === undefined ? 'accept element' : d.action,
      d.action === 'replace' ? (d.replacement ?? '') : '',
      d.reviewer?.trim() ?? '',
      d.decidedAt === undefined ? '' : iso(d.decidedAt),
    ]);
  return toCsv(REVIEW_DECISIONS_CSV_COLUMNS, rows);
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
