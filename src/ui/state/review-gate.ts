// The export gate of the review, read live from the store (`reviewGate`, a store any screen can
// read), and the review summary the package carries. The rule itself is review-gate-rule.ts.
import { liveQuery } from 'dexie';
import { readable, type Readable } from 'svelte/store';
import { recipeHash, type Recipe } from '../../core/profile/recipe';
import {
  buildReviewSummary,
  renderReviewDecisionsCsv,
  renderReviewSummaryJson,
  type ReviewSummary,
} from '../../core/review/summary';
import { getSetting } from '../../store';
import { db } from './db';
import { loadRecipe } from './inventory.svelte';
import { CHECKING, evaluateReviewGate, type ReviewGate } from './review-gate-rule';
import { DecisionBook, decisionKey } from './review-list';
import { loadDecisions, loadDump } from './review-store';
import { selectedInstances } from './review-files';

export {
  evaluateReviewGate,
  reviewBasisKey,
  type ReviewGate,
  type ReviewGateInput,
  type ReviewGateState,
} from './review-gate-rule';

/** Reads everything the gate depends on from the store (for liveQuery). */
export async function readReviewGate(): Promise<ReviewGate> {
  const [dump, decisions, recipe, reviewer] = await Promise.all([
    loadDump(),
    loadDecisions(),
    loadRecipe(),
    getSetting(db, 'reviewerName'),
  ]);
  let selected = -1;
  try {
    selected = (await selectedInstances(recipe)).length;
  } catch {
    // A broken selection rule selects nothing: the gate says the list changed.
  }
  return evaluateReviewGate({ dump, decisions, recipe, selected, reviewer });
}

/**
 * The gate as a Svelte store, live while anyone subscribes (`$reviewGate.open`). The Export
 * button is disabled while `!$reviewGate.open`.
 */
export const reviewGate: Readable<ReviewGate> = readable<ReviewGate>(CHECKING, (set) => {
  const subscription = liveQuery(readReviewGate).subscribe({
    next: set,
    error: () =>
      set({ ...CHECKING, message: 'The review could not be read. Reload the page and try again.' }),
  });
  return () => subscription.unsubscribe();
});

export interface ReviewPackageFiles {
  summary: ReviewSummary;
  /** review.json */
  json: string;
  /** review-decisions.csv: one row per decision, without the values the review took out. */
  csv: string;
}

/**
 * The review summary for a package written with `recipe` (the export calls this once, with the
 * recipe it writes). Undefined when no dry run was made.
 */
export async function readReviewPackageFiles(
  recipe: Recipe,
): Promise<ReviewPackageFiles | undefined> {
  const [dump, decisions] = await Promise.all([loadDump(), loadDecisions()]);
  if (!dump) return undefined;
  const { reviewed, needed } = new DecisionBook(
    new Map(decisions.map((d) => [decisionKey(d.path, d.value), d])),
  ).counts(dump.rows);
  const risks = { high: 0, medium: 0, low: 0 };
  for (const r of dump.rows) risks[r.risk]++;
  const summary = buildReviewSummary({
    decisions,
    counts: { distinct: dump.rows.length, needPerson: needed, reviewed, ...risks },
    recipeSha256: await recipeHash(recipe),
    dryRun: { finishedAt: dump.finishedAt, files: dump.files },
  });
  return {
    summary,
    json: renderReviewSummaryJson(summary),
    csv: renderReviewDecisionsCsv(decisions),
  };
}
