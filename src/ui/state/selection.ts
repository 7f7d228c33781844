// The inventory as the screen shows it: rows grouped by series once per read, then decided with the
// recipe's selection (the rule at its level, then decisions made by hand), exactly as the export.
// The per-series sums are core's sumSeries, the same the inventory worker's view model shows.
import type { SeriesKey } from '../../core/inventory';
import { decideRows, type RowDecisions, type SelectionLevel } from '../../core/inventory/decide';
import { sumSeries } from '../../core/inventory/series-sums';
import type { Decision, FileId, InstanceRecord } from '../../store';

/** One series: the indices of its rows in the inventory (grouped once per read of the store). */
export interface SeriesGroup {
  key: SeriesKey;
  indices: Uint32Array;
}

/** How one series stands: what the rule says, what the user said, and the outcome. */
export interface SeriesSelection {
  key: SeriesKey;
  /** The first instance seen: the series-level columns (Modality, SeriesDescription, ...) come from it. */
  first: InstanceRecord;
  indices: Uint32Array;
  fileIds: FileId[];
  instanceCount: number;
  bytes: number;
  /** Union of the QA flags of its instances, sorted. */
  flags: string[];
  /** Smallest and largest SliceThickness, when any instance has one. */
  sliceThickness: [number, number] | undefined;
  /** True when the rule takes the series (or there is no rule). */
  matchesRule: boolean;
  /** The manual decision shared by all its instances; 'mixed' when they differ; undefined when none. */
  decision: Decision | 'mixed' | undefined;
  /** Instances of the series the selection takes. */
  selectedCount: number;
  selected: boolean;
}

export interface SelectionTotals {
  series: number;
  instances: number;
  bytes: number;
  studies: number;
  patients: number;
}

export interface InventorySelection {
  decisions: RowDecisions;
  series: SeriesSelection[];
  /** What the selection takes, counted over the instances it takes. */
  totals: SelectionTotals;
  /** Series the rule matches. */
  matched: number;
}

/** Groups rows by their stored series key, in order of first appearance. */
export function groupBySeries(rows: readonly InstanceRecord[]): SeriesGroup[] {
  const lists = new Map<SeriesKey, number[]>();
  for (let i = 0; i < rows.length; i++) {
    const key = rows[i].seriesKey;
    const list = lists.get(key);
    if (list) list.push(i);
    else lists.set(key, [i]);
  }
  return [...lists].map(([key, list]) => ({ key, indices: Uint32Array.from(list) }));
}

/**
 * Decides every row and sums per series. A rule that does not parse selects nothing but what was
 * included by hand: the caller shows the parse error instead.
 */
export function decideInventory(
  rows: readonly InstanceRecord[],
  groups: readonly SeriesGroup[],
  ruleText: string,
  level: SelectionLevel = 'series',
): InventorySelection {
  const decisions = decideRows(rows, ruleText, level, {
    series: (i) => rows[i].seriesKey,
    study: (i) => rows[i].studyKey,
  });
  const { selected } = decisions;
  const studies = new Set<string>();
  const patients = new Set<string>();
  const totals: SelectionTotals = { series: 0, instances: 0, bytes: 0, studies: 0, patients: 0 };
  let matched = 0;
  const series = groups.map((group): SeriesSelection => {
    const sums = sumSeries(rows, group.indices, decisions);
    const fileIds: FileId[] = [];
    for (const i of group.indices) {
      fileIds.push(rows[i].fileId);
      if (selected[i] !== 1) continue;
      totals.instances++;
      totals.bytes += rows[i].fileSize;
      studies.add(rows[i].studyKey);
      patients.add(rows[i].PatientID ?? '');
    }
    const entry: SeriesSelection = {
      key: group.key,
      first: rows[group.indices[0]],
      indices: group.indices,
      fileIds,
      instanceCount: sums.instanceCount,
      bytes: sums.bytes,
      flags: sums.flags,
      sliceThickness: sums.sliceThickness,
      matchesRule: sums.matches,
      decision: sums.decision,
      selectedCount: sums.selectedCount,
      selected: sums.selectedCount > 0,
    };
    if (entry.selected) totals.series++;
    if (entry.matchesRule) matched++;
    return entry;
  });
  totals.studies = studies.size;
  totals.patients = patients.size;
  return { decisions, series, totals, matched };
}

/** Instance counts per Modality (absent Modality counts under '—'), largest first. */
export function countByModality(instances: readonly InstanceRecord[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const row of instances) {
    const modality = row.Modality || '—';
    counts.set(modality, (counts.get(modality) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

/** decideInventory at series level, keyed by series (for callers that look series up by key). */
export function decideSeries(
  instances: readonly InstanceRecord[],
  ruleText: string,
): { series: Map<SeriesKey, SeriesSelection>; totals: SelectionTotals } {
  const decided = decideInventory(instances, groupBySeries(instances), ruleText);
  return { series: new Map(decided.series.map((s) => [s.key, s])), totals: decided.totals };
}
