// The export gate's rule (issue "Review gate" rule 4) as plain data: export stays locked until
// every value of a free-text or private element in the last dry run is reviewed or its element
// accepted, by a named reviewer, on a dry run of the current selection and settings.
import { canonicalRecipeJson, type Recipe } from '../../core/profile/recipe';
import type { DumpRow } from '../../core/review/dump';
import { DecisionBook, decisionKey, type ValueDecision } from './review-list';

export type ReviewGateState =
  'checking' | 'no-dry-run' | 'changed' | 'values-open' | 'no-reviewer' | 'open';

export interface ReviewGate {
  open: boolean;
  state: ReviewGateState;
  /** Values of free-text or private elements covered by a decision, and how many there are. */
  reviewed: number;
  needed: number;
  /** One plain sentence for the Export screen (no value from any file). */
  message: string;
}

/**
 * What a dry run's values depend on, apart from the review's own decisions: the selection, the
 * options, the allow-list and the organizer's overrides. A decision never makes the list wrong
 * (a replacement is reviewed by whoever typed it; a blank or removed value is gone), so deciding
 * does not close the gate; changing anything else does.
 */
export function reviewBasisKey(recipe: Recipe, decisions: Iterable<ValueDecision>): string {
  const ours = new Set<string>();
  for (const d of decisions) if (d.value !== undefined) ours.add(decisionKey(d.path, d.value));
  const others = (recipe.deid.overrides ?? []).filter(
    (o) => o.value === undefined || !ours.has(decisionKey(o.path, o.value)),
  );
  const { overrides: _ours, ...deid } = recipe.deid;
  void _ours;
  return canonicalRecipeJson({ selection: recipe.selection, deid, overrides: others });
}

export interface ReviewGateInput {
  dump: { rows: readonly DumpRow[]; files: number; basisKey?: string } | undefined;
  decisions: readonly ValueDecision[];
  recipe: Recipe;
  /** Files the selection takes now (a new scan or a changed choice makes the list old). */
  selected: number;
  reviewer: string | undefined;
}

export const CHECKING: ReviewGate = {
  open: false,
  state: 'checking',
  reviewed: 0,
  needed: 0,
  message: 'Checking the review…',
};

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The gate's rule. */
export function evaluateReviewGate(input: ReviewGateInput): ReviewGate {
  const { dump } = input;
  if (!dump)
    return {
      open: false,
      state: 'no-dry-run',
      reviewed: 0,
      needed: 0,
      message:
        'Export is locked until someone has checked the values left in the headers. Run the dry run on the Review screen first.',
    };
  const { reviewed, needed } = new DecisionBook(
    new Map(input.decisions.map((d) => [decisionKey(d.path, d.value), d])),
  ).counts(dump.rows);
  if (
    dump.basisKey !== reviewBasisKey(input.recipe, input.decisions) ||
    dump.files !== input.selected
  )
    return {
      open: false,
      state: 'changed',
      reviewed,
      needed,
      message:
        'The selection or the de-identification settings changed after the last dry run, so the reviewed list is not what would be exported. Run the dry run again on the Review screen and check the new values.',
    };
  if (reviewed < needed)
    return {
      open: false,
      state: 'values-open',
      reviewed,
      needed,
      message: `Export is locked: ${plural(needed - reviewed, 'value')} of ${needed} that need a person ${needed - reviewed === 1 ? 'is' : 'are'} not reviewed yet. Finish them on the Review screen.`,
    };
  if (needed > 0 && !input.reviewer?.trim())
    return {
      open: false,
      state: 'no-reviewer',
      reviewed,
      needed,
      message:
        'Export is locked until the reviewer’s name is filled in on the Review screen: it goes into the package report with the decisions.',
    };
  return {
    open: true,
    state: 'open',
    reviewed,
    needed,
    message:
      needed === 0
        ? 'No value left needs a person: nothing is free text or private.'
        : `All ${plural(needed, 'value')} that need a person are reviewed.`,
  };
}
