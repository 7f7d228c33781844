// The before/after listing of one file on the Review screen: finds the file a dump example names
// (an output entry path) in the current plan and lists every element with the value read, the
// value written, the action and the rule. Original values live only in the returned rows, on
// this screen: never logged, never stored.
import type { ExplainAction, ExplainRow } from '../../core/deid/explain';
import { explainPlannedFile } from '../../pipeline/dump';
import type { PlannedFile } from '../../pipeline/plan';
import type { DeidSetup } from '../../../workers/deid-api';
import { loadRecipe } from './inventory.svelte';
import { planReview } from './review-plan';

export interface BeforeAfterRow {
  path: string;
  vr: string;
  /** The value read ('' when the element was added). */
  before: string;
  /** The value written, or undefined when the element is not in the output. */
  after: string | undefined;
  action: ExplainAction;
  /** 'Removed', 'Cleaned', … in plain words. */
  label: string;
  /** The rule behind it, as the engine cites it. */
  reason: string;
  changed: boolean;
}

const LABELS: Record<ExplainAction, string> = {
  X: 'Removed',
  Z: 'Emptied',
  D: 'Dummy value',
  K: 'Kept',
  C: 'Cleaned',
  U: 'New UID',
  pseudonym: 'Pseudonym',
  shift: 'Date shifted',
  override: 'Your decision',
  added: 'Added',
};

/** Rows as the screen shows them, in the engine's order (the file's order, marks last). */
export function beforeAfterRows(explain: readonly ExplainRow[]): BeforeAfterRow[] {
  return explain.map((row) => ({
    path: row.path,
    vr: row.vr,
    before: row.before ?? '',
    after: row.after,
    action: row.action,
    label: LABELS[row.action] ?? row.action,
    reason: row.reason,
    changed: row.after !== row.before,
  }));
}

/** The plan is made once per list (its examples name entry paths of that plan); the overrides are read each time. */
let cached: { key: number; byEntry: Map<string, PlannedFile>; setup: DeidSetup } | undefined;

/**
 * The before/after rows of the file the dump names `entryPath`, with the current recipe. Throws
 * an Error whose message is a plain sentence when the file is no longer in the selection.
 */
export async function explainEntry(
  entryPath: string,
  listMadeAt: number,
): Promise<BeforeAfterRow[]> {
  if (cached?.key !== listMadeAt) {
    const plan = await planReview(`explain-${listMadeAt}`);
    cached = {
      key: listMadeAt,
      byEntry: new Map(plan.planned.map((p) => [p.entryPath, p])),
      setup: plan.setup,
    };
  }
  const planned = cached.byEntry.get(entryPath);
  if (!planned)
    throw new Error(
      'This file is not in the selection any more. Run the dry run again to see the current files.',
    );
  // Decisions change the recipe's overrides after the plan was made: use the current ones.
  const overrides = (await loadRecipe()).deid.overrides;
  return beforeAfterRows(await explainPlannedFile(planned, { ...cached.setup, overrides }));
}
