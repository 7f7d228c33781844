// Applies a rule at instance, series or study level over inventory rows.

import {
  rowValue,
  seriesKeyOf,
  studyKeyOf,
  type InstanceRow,
  type SeriesKey,
  type StudyKey,
} from './index';
import { evaluateRule, type Rule, type RuleValue } from './rules';

/**
 * How a group of instances matches: 'any' (the default) selects a series when at least one of its
 * instances matches; 'all' only when every instance does. 'any' is the default because a rule is
 * usually about what a series is (CT, thin slices), and one odd instance (a localizer, a missing
 * SliceThickness) should not drop the series silently; QA flags report the odd ones.
 */
export type Quantifier = 'any' | 'all';

export interface SelectOptions {
  quantifier?: Quantifier;
  /** Where a rule reads values; defaults to the row's columns and `extra`. */
  valueFor?: (row: InstanceRow, keywordPath: string) => RuleValue;
}

/** True when the rule holds for this instance. */
export function matchInstance(
  rule: Rule,
  row: InstanceRow,
  valueOf: (row: InstanceRow, keywordPath: string) => RuleValue = rowValue,
): boolean {
  return evaluateRule(rule, (p) => valueOf(row, p));
}

function groupBy<K>(
  rows: readonly InstanceRow[],
  keyOf: (r: InstanceRow) => K,
): Map<K, InstanceRow[]> {
  const groups = new Map<K, InstanceRow[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const list = groups.get(key);
    if (list) list.push(row);
    else groups.set(key, [row]);
  }
  return groups;
}

function matchGroup(rule: Rule, rows: InstanceRow[], options: SelectOptions): boolean {
  const test = (r: InstanceRow): boolean => matchInstance(rule, r, options.valueFor ?? rowValue);
  return (options.quantifier ?? 'any') === 'all' ? rows.every(test) : rows.some(test);
}

/** The series that match a rule (see Quantifier). */
export function selectSeries(
  rows: readonly InstanceRow[],
  rule: Rule,
  options: SelectOptions = {},
): Set<SeriesKey> {
  const out = new Set<SeriesKey>();
  for (const [key, group] of groupBy(rows, seriesKeyOf))
    if (matchGroup(rule, group, options)) out.add(key);
  return out;
}

/** The studies that match a rule: a study matches when its instances do, with the same quantifier. */
export function selectStudies(
  rows: readonly InstanceRow[],
  rule: Rule,
  options: SelectOptions = {},
): Set<StudyKey> {
  const out = new Set<StudyKey>();
  for (const [key, group] of groupBy(rows, studyKeyOf))
    if (matchGroup(rule, group, options)) out.add(key);
  return out;
}

/** Groups rows by series (insertion order of first appearance). */
export function groupSeries(rows: readonly InstanceRow[]): Map<SeriesKey, InstanceRow[]> {
  return groupBy(rows, seriesKeyOf);
}

/** Groups rows by study (insertion order of first appearance). */
export function groupStudies(rows: readonly InstanceRow[]): Map<StudyKey, InstanceRow[]> {
  return groupBy(rows, studyKeyOf);
}
