// Which rows a selection takes, for a whole inventory at once: the rule at its level, then the
// decisions made by hand. Same semantics as pipeline/selection (the export's), laid out as flags per
// row so a table of 100,000 rows can highlight and count without a second pass over the rule.
import { seriesKeyOf, studyKeyOf, type InstanceRow } from './index';
import { parseRule, type RuleError } from './rules';
import { matchInstance } from './select';

export type SelectionLevel = 'instance' | 'series' | 'study';

export interface DecidableRow extends InstanceRow {
  decision?: 'include' | 'exclude';
}

export interface RowDecisions {
  /** 1 where the rule takes the row at its level (decisions by hand ignored); all 1 with no rule. */
  matches: Uint8Array;
  /** 1 where the selection takes the row: a decision by hand, else the rule. */
  selected: Uint8Array;
  /** Set when the rule does not parse: then nothing matches and only rows included by hand are taken. */
  error?: RuleError;
  /** False when there is no rule (every row matches). */
  hasRule: boolean;
}

/** Decides every row; `keyOf` lets the caller reuse keys it already stored. */
export function decideRows(
  rows: readonly DecidableRow[],
  ruleText: string | undefined,
  level: SelectionLevel = 'series',
  keys: { series?: (i: number) => string; study?: (i: number) => string } = {},
): RowDecisions {
  const n = rows.length;
  const matches = new Uint8Array(n);
  const selected = new Uint8Array(n);
  const text = ruleText?.trim() ?? '';
  let error: RuleError | undefined;
  if (text === '') matches.fill(1);
  else {
    const parsed = parseRule(text);
    if (!parsed.ok) error = parsed.error;
    else if (level === 'instance') {
      for (let i = 0; i < n; i++) matches[i] = matchInstance(parsed.rule, rows[i]) ? 1 : 0;
    } else {
      const groupOf =
        level === 'series'
          ? (keys.series ?? ((i: number) => seriesKeyOf(rows[i])))
          : (keys.study ?? ((i: number) => studyKeyOf(rows[i])));
      // A group matches when any row does: once one row matched, its other rows need no evaluation.
      const groupMatch = new Map<string, boolean>();
      const groupIds = new Array<string>(n);
      for (let i = 0; i < n; i++) {
        const key = groupOf(i);
        groupIds[i] = key;
        if (groupMatch.get(key) === true) continue;
        groupMatch.set(key, matchInstance(parsed.rule, rows[i]));
      }
      for (let i = 0; i < n; i++) matches[i] = groupMatch.get(groupIds[i]) ? 1 : 0;
    }
  }
  for (let i = 0; i < n; i++) {
    const decision = rows[i].decision;
    selected[i] = decision === 'include' ? 1 : decision === 'exclude' ? 0 : matches[i];
  }
  return { matches, selected, hasRule: text !== '', ...(error ? { error } : {}) };
}
