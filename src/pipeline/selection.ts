// Which instances a run takes: the recipe's selection rule at its level, then the user's manual
// include/exclude decisions on top. Shared by the Inventory screen, the export and the CLI.
import { parseRule, type RuleError } from '../core/inventory/rules';
import { matchInstance, selectSeries, selectStudies } from '../core/inventory/select';
import { seriesKeyOf, studyKeyOf, type InstanceRow } from '../core/inventory';
import type { Recipe } from '../core/profile/recipe';
import type { QaExpectations } from '../core/inventory/qa';

export interface SelectableRow extends InstanceRow {
  decision?: 'include' | 'exclude';
}

export type SelectionResult =
  { ok: true; selected: (row: SelectableRow) => boolean } | { ok: false; error: RuleError };

/** Compiles the recipe's selection into a predicate; no rule selects everything. */
export function compileSelection(
  rows: readonly SelectableRow[],
  selection: Recipe['selection'],
): SelectionResult {
  const text = selection.rule?.trim() ?? '';
  let byRule: (row: SelectableRow) => boolean = () => true;
  if (text !== '') {
    const parsed = parseRule(text);
    if (!parsed.ok) return { ok: false, error: parsed.error };
    const rule = parsed.rule;
    const level = selection.level ?? 'series';
    if (level === 'instance') byRule = (row) => matchInstance(rule, row);
    else if (level === 'series') {
      const keys = selectSeries(rows, rule);
      byRule = (row) => keys.has(seriesKeyOf(row));
    } else {
      const keys = selectStudies(rows, rule);
      byRule = (row) => keys.has(studyKeyOf(row));
    }
  }
  return {
    ok: true,
    selected: (row) =>
      row.decision === 'include' ? true : row.decision === 'exclude' ? false : byRule(row),
  };
}

/** The recipe's expectations as the QA flags read them ('any' contrast expects nothing). */
export function expectationsOf(recipe: Recipe): QaExpectations {
  const e = recipe.expectations ?? {};
  return { ...e, contrast: e.contrast === 'any' ? undefined : e.contrast };
}
