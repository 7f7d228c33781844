// The inventory grouped by series, with what the selection takes: pipeline/selection decides per
// instance (the rule at its level, then decisions made by hand), exactly as the export will.
import { seriesKeyOf, type SeriesKey } from '../../core/inventory';
import { compileSelection } from '../../pipeline/selection';
import type { Decision, FileId, InstanceRecord } from '../../store';

/** How one series stands: what the rule says, what the user said, and the outcome. */
export interface SeriesSelection {
  key: SeriesKey;
  /** The first instance seen: the series-level columns (Modality, SeriesDescription, ...) come from it. */
  first: InstanceRecord;
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
  series: Map<SeriesKey, SeriesSelection>;
  /** What the selection takes, counted over the instances it takes. */
  totals: SelectionTotals;
}

/**
 * Groups instances by series and decides each instance with the recipe's selection semantics.
 * A rule that does not parse selects nothing: the caller shows the parse error instead.
 */
export function decideSeries(
  instances: readonly InstanceRecord[],
  ruleText: string,
): InventorySelection {
  const compiled = compileSelection(instances, { rule: ruleText, level: 'series' });
  const selected = compiled.ok ? compiled.selected : () => false;
  const series = new Map<SeriesKey, SeriesSelection>();
  const studies = new Set<string>();
  const patients = new Set<string>();
  const totals: SelectionTotals = { series: 0, instances: 0, bytes: 0, studies: 0, patients: 0 };
  for (const row of instances) {
    const key = seriesKeyOf(row);
    let entry = series.get(key);
    if (!entry) {
      entry = {
        key,
        first: row,
        fileIds: [],
        instanceCount: 0,
        bytes: 0,
        flags: [],
        sliceThickness: undefined,
        matchesRule: selected({ ...row, decision: undefined }),
        decision: row.decision,
        selectedCount: 0,
        selected: false,
      };
      series.set(key, entry);
    }
    entry.fileIds.push(row.fileId);
    entry.instanceCount++;
    entry.bytes += row.fileSize;
    if (entry.decision !== row.decision) entry.decision = 'mixed';
    for (const flag of row.flags) if (!entry.flags.includes(flag)) entry.flags.push(flag);
    const t = row.SliceThickness;
    if (t !== undefined) {
      const [lo, hi] = entry.sliceThickness ?? [t, t];
      entry.sliceThickness = [Math.min(lo, t), Math.max(hi, t)];
    }
    if (selected(row)) {
      entry.selectedCount++;
      totals.instances++;
      totals.bytes += row.fileSize;
      studies.add(row.studyKey);
      patients.add(row.PatientID ?? '');
    }
  }
  for (const entry of series.values()) {
    entry.flags.sort();
    entry.selected = entry.selectedCount > 0;
    if (entry.selected) totals.series++;
  }
  totals.studies = studies.size;
  totals.patients = patients.size;
  return { series, totals };
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
