// One series summed from its rows and the selection's per-row flags: counts, bytes, the union of QA
// flags, the SliceThickness range, whether the rule matches it, and the hand decision it shares.
import type { DecidableRow, RowDecisions } from './decide';

export interface SeriesSums {
  instanceCount: number;
  bytes: number;
  /** Union of the QA flags of its rows, sorted. */
  flags: string[];
  /** Smallest and largest SliceThickness, when any row has one. */
  sliceThickness: [number, number] | undefined;
  /** True when the rule takes any of its rows (or there is no rule). */
  matches: boolean;
  /** Rows the selection takes. */
  selectedCount: number;
  /** The hand decision shared by all its rows; 'mixed' when they differ; undefined when none. */
  decision: 'include' | 'exclude' | 'mixed' | undefined;
}

/** Sums the rows at `indices` (a non-empty series) with the selection `decisions` of all rows. */
export function sumSeries(
  rows: readonly (DecidableRow & { flags?: readonly string[] })[],
  indices: ArrayLike<number>,
  decisions: Pick<RowDecisions, 'matches' | 'selected'>,
): SeriesSums {
  const { matches, selected } = decisions;
  const flags = new Set<string>();
  const sums: SeriesSums = {
    instanceCount: indices.length,
    bytes: 0,
    flags: [],
    sliceThickness: undefined,
    matches: false,
    selectedCount: 0,
    decision: rows[indices[0]]?.decision,
  };
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k];
    const row = rows[i];
    sums.bytes += row.fileSize;
    if (sums.decision !== row.decision) sums.decision = 'mixed';
    for (const flag of row.flags ?? []) flags.add(flag);
    const t = row.SliceThickness;
    if (t !== undefined) {
      const [lo, hi] = sums.sliceThickness ?? [t, t];
      sums.sliceThickness = [Math.min(lo, t), Math.max(hi, t)];
    }
    if (matches[i] === 1) sums.matches = true;
    if (selected[i] === 1) sums.selectedCount++;
  }
  sums.flags = [...flags].sort();
  return sums;
}
