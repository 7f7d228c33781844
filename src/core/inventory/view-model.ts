// The inventory as the screen shows it, computed where the rows live (the inventory worker): the
// selection (rule at its level, then hand decisions), per-series sums, the tree, counts, the rows in
// view (tree scope), their sorted order, and the few rows the page draws. The page never holds the rows.
import { columnValue, formatCell, isIndexedColumn, sortedOrder } from './columns';
import { decideRows, type DecidableRow, type RowDecisions, type SelectionLevel } from './decide';
import { inventoryCsv } from './inventory-csv';
import { preflightReport, type PreflightReport } from './preflight';
import type { RuleError } from './rules';
import { sumSeries } from './series-sums';
import { buildInventoryTree, type TreePatient } from './tree';

/** A stored inventory row as the view needs it (the store's InstanceRecord fits). */
export interface ViewRecord extends DecidableRow {
  fileId: string;
  seriesKey: string;
  studyKey: string;
  patientKey: string;
  flags: string[];
}

export type ViewMode = 'series' | 'instances';
export type ViewScope = { level: 'patient' | 'study' | 'series'; key: string };
export type ViewSort = { column: string; direction: 'asc' | 'desc' };

/** Everything the page chooses; the model answers with a summary and, on request, rows. */
export interface ViewQuery {
  rule: string;
  level: SelectionLevel;
  mode: ViewMode;
  scope?: ViewScope;
  sort?: ViewSort;
  columns: string[];
}

export interface ViewTotals {
  patients: number;
  studies: number;
  series: number;
  instances: number;
  bytes: number;
}

export interface ViewSummary {
  found: Omit<ViewTotals, 'bytes'>;
  /** What the selection takes. */
  selected: ViewTotals;
  /** Series the rule matches. */
  matched: number;
  hasRule: boolean;
  error?: RuleError;
  /** Instances per Modality ('—' when absent), largest first. */
  modalities: [string, number][];
  tree: TreePatient[];
  /** Rows in view (series or images, after the tree scope). */
  rowCount: number;
  /** Series with a decision made by hand. */
  decidedByHand: number;
  /** Chosen columns no row holds yet (read by the next scan). */
  missingColumns: string[];
}

/** One drawn row: display-ready cells, nothing the page has to compute. */
export interface ViewRow {
  position: number;
  seriesKey: string;
  /** The image's file id (by image) or undefined (by series). */
  fileId?: string;
  /** Modality, number and description of the series, for labels. */
  seriesName: string;
  cells: string[];
  instanceCount: number;
  flags: string[];
  selected: boolean;
  matches: boolean;
  decision: 'include' | 'exclude' | 'mixed' | undefined;
}

interface SeriesEntry {
  key: string;
  first: number;
  indices: Uint32Array;
  studyKey: string;
  patientKey: string;
}

interface SeriesState {
  flags: string[];
  sliceThickness: [number, number] | undefined;
  matches: boolean;
  selected: boolean;
  decision: ViewRow['decision'];
}

/** Sorts numerically for these columns (as the table aligns them right). */
export const NUMERIC_COLUMNS: ReadonlySet<string> = new Set([
  'SeriesNumber',
  'InstanceNumber',
  'SliceThickness',
  'Rows',
  'Columns',
]);

function thickness(range: [number, number] | undefined): string {
  if (!range) return '';
  return range[0] === range[1] ? `${range[0]}` : `${range[0]}–${range[1]}`;
}

function nameOf(row: ViewRecord): string {
  const number = row.SeriesNumber !== undefined ? `#${row.SeriesNumber} ` : '';
  return `${row.Modality ?? ''} ${number}${row.SeriesDescription ?? '(no description)'}`.trim();
}

/** Holds the rows; recomputes only what a changed query part needs (decisions, order, view). */
export class InventoryViewModel {
  #rows: ViewRecord[] = [];
  #series: SeriesEntry[] = [];
  #seriesIndex = new Map<string, number>();
  #decisions: RowDecisions | undefined;
  #decisionsKey = '';
  #seriesStates: SeriesState[] = [];
  #view: Uint32Array = new Uint32Array(0);
  #viewKey = '';
  #order: Uint32Array | undefined;
  #orderKey = '';
  #query: ViewQuery | undefined;

  get size(): number {
    return this.#rows.length;
  }

  /** Replaces the rows (after a read of the store); everything is recomputed on the next query. */
  setRows(rows: ViewRecord[]): void {
    this.#rows = rows;
    const byKey = new Map<string, number[]>();
    for (let i = 0; i < rows.length; i++) {
      const list = byKey.get(rows[i].seriesKey);
      if (list) list.push(i);
      else byKey.set(rows[i].seriesKey, [i]);
    }
    this.#series = [...byKey].map(([key, list]) => ({
      key,
      first: list[0],
      indices: Uint32Array.from(list),
      studyKey: rows[list[0]].studyKey,
      patientKey: rows[list[0]].patientKey,
    }));
    this.#seriesIndex = new Map(this.#series.map((s, i) => [s.key, i]));
    this.#invalidate();
  }

  /** Sets or clears the hand decision of some rows (the store write is the caller's). */
  decide(fileIds: ReadonlySet<string>, decision: 'include' | 'exclude' | undefined): void {
    for (const row of this.#rows) {
      if (!fileIds.has(row.fileId)) continue;
      if (decision === undefined) delete row.decision;
      else row.decision = decision;
    }
    this.#invalidate();
  }

  /** File ids of a series, or of every row with a hand decision. */
  fileIdsOf(target: { seriesKey: string } | 'decided'): string[] {
    if (target === 'decided')
      return this.#rows.filter((r) => r.decision !== undefined).map((r) => r.fileId);
    const s = this.#series[this.#seriesIndex.get(target.seriesKey) ?? -1];
    return s ? Array.from(s.indices, (i) => this.#rows[i].fileId) : [];
  }

  #invalidate(): void {
    this.#decisionsKey = '';
    this.#viewKey = '';
    this.#orderKey = '';
  }

  /** Applies a query; returns the summary. The heavy parts are cached by the query parts they read. */
  query(query: ViewQuery): ViewSummary {
    this.#query = query;
    const rows = this.#rows;
    const decisionsKey = `${query.level}\u0000${query.rule}`;
    if (this.#decisionsKey !== decisionsKey || !this.#decisions) {
      this.#decisions = decideRows(rows, query.rule, query.level, {
        series: (i) => rows[i].seriesKey,
        study: (i) => rows[i].studyKey,
      });
      this.#seriesStates = this.#series.map((s) => this.#seriesState(s));
      this.#decisionsKey = decisionsKey;
      this.#viewKey = '';
      this.#orderKey = '';
    }
    const decisions = this.#decisions;
    const viewKey = `${query.mode}\u0000${query.scope?.level ?? ''}\u0000${query.scope?.key ?? ''}`;
    if (this.#viewKey !== viewKey) {
      this.#view = this.#viewOf(query);
      this.#viewKey = viewKey;
      this.#orderKey = '';
    }
    const orderKey = query.sort
      ? `${viewKey}\u0000${query.sort.column}\u0000${query.sort.direction}`
      : '';
    if (this.#orderKey !== orderKey) {
      this.#order = query.sort ? this.#sortView(query.mode, query.sort) : undefined;
      this.#orderKey = orderKey;
    }
    return this.#summary(query, decisions);
  }

  #seriesState(s: SeriesEntry): SeriesState {
    const sums = sumSeries(this.#rows, s.indices, this.#decisions!);
    return {
      flags: sums.flags,
      sliceThickness: sums.sliceThickness,
      matches: sums.matches,
      selected: sums.selectedCount > 0,
      decision: sums.decision,
    };
  }

  /** Positions in view: series indices (by series) or row indices in series order (by image). */
  #viewOf(query: ViewQuery): Uint32Array {
    const scope = query.scope;
    const inScope = (s: SeriesEntry) =>
      !scope ||
      (scope.level === 'series'
        ? s.key === scope.key
        : scope.level === 'study'
          ? s.studyKey === scope.key
          : s.patientKey === scope.key);
    const chosen: number[] = [];
    for (let k = 0; k < this.#series.length; k++) if (inScope(this.#series[k])) chosen.push(k);
    if (query.mode === 'series') return Uint32Array.from(chosen);
    let n = 0;
    for (const k of chosen) n += this.#series[k].indices.length;
    const out = new Uint32Array(n);
    let at = 0;
    for (const k of chosen) {
      out.set(this.#series[k].indices, at);
      at += this.#series[k].indices.length;
    }
    return out;
  }

  #sortView(mode: ViewMode, sort: ViewSort): Uint32Array {
    const view = this.#view;
    const rows = this.#rows;
    if (mode === 'instances')
      return sortedOrder(
        view.length,
        (p) => columnValue(rows[view[p]], sort.column),
        sort.direction,
      );
    return sortedOrder(
      view.length,
      (p) => {
        const s = this.#series[view[p]];
        return sort.column === '#images'
          ? s.indices.length
          : columnValue(rows[s.first], sort.column);
      },
      sort.direction,
    );
  }

  #summary(query: ViewQuery, decisions: RowDecisions): ViewSummary {
    const rows = this.#rows;
    const { selected } = decisions;
    const found = { patients: new Set<string>(), studies: new Set<string>() };
    const taken = { patients: new Set<string>(), studies: new Set<string>() };
    const modalities = new Map<string, number>();
    let instances = 0;
    let bytes = 0;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      found.patients.add(row.PatientID ?? '');
      found.studies.add(row.studyKey);
      const modality = row.Modality || '—';
      modalities.set(modality, (modalities.get(modality) ?? 0) + 1);
      if (selected[i] === 1) {
        instances++;
        bytes += row.fileSize;
        taken.patients.add(row.PatientID ?? '');
        taken.studies.add(row.studyKey);
      }
    }
    const first = rows[0];
    return {
      found: {
        patients: found.patients.size,
        studies: found.studies.size,
        series: this.#series.length,
        instances: rows.length,
      },
      selected: {
        patients: taken.patients.size,
        studies: taken.studies.size,
        series: this.#seriesStates.filter((s) => s.selected).length,
        instances,
        bytes,
      },
      matched: this.#seriesStates.filter((s) => s.matches).length,
      hasRule: decisions.hasRule,
      ...(decisions.error ? { error: decisions.error } : {}),
      modalities: [...modalities].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])),
      tree: buildInventoryTree(rows, decisions.selected, decisions.matches),
      rowCount: this.#view.length,
      decidedByHand: this.#seriesStates.filter((s) => s.decision !== undefined).length,
      missingColumns: first
        ? query.columns.filter(
            (c) => !isIndexedColumn(c) && !(first.extra !== undefined && c in first.extra),
          )
        : [],
    };
  }

  /** The rows at view positions [from, to) of the last query, ready to draw. */
  window(from: number, to: number): ViewRow[] {
    const query = this.#query;
    const decisions = this.#decisions;
    if (!query || !decisions) return [];
    const end = Math.min(to, this.#view.length);
    const out: ViewRow[] = [];
    for (let position = Math.max(0, from); position < end; position++) {
      const at = this.#order ? this.#order[position] : position;
      out.push(
        query.mode === 'series'
          ? this.#seriesRow(position, this.#view[at], query.columns)
          : this.#imageRow(position, this.#view[at], query.columns, decisions),
      );
    }
    return out;
  }

  #seriesRow(position: number, k: number, columns: readonly string[]): ViewRow {
    const s = this.#series[k];
    const state = this.#seriesStates[k];
    const first = this.#rows[s.first];
    return {
      position,
      seriesKey: s.key,
      seriesName: nameOf(first),
      cells: columns.map((c) =>
        c === 'SliceThickness'
          ? thickness(state.sliceThickness)
          : formatCell(columnValue(first, c)),
      ),
      instanceCount: s.indices.length,
      flags: state.flags,
      selected: state.selected,
      matches: state.matches,
      decision: state.decision,
    };
  }

  #imageRow(position: number, i: number, columns: readonly string[], d: RowDecisions): ViewRow {
    const row = this.#rows[i];
    return {
      position,
      seriesKey: row.seriesKey,
      fileId: row.fileId,
      seriesName: nameOf(row),
      cells: columns.map((c) => formatCell(columnValue(row, c))),
      instanceCount: 1,
      flags: row.flags,
      selected: d.selected[i] === 1,
      matches: d.matches[i] === 1,
      decision: row.decision,
    };
  }

  /** The inventory CSV of every row with the last query's selection. */
  csv(columns: readonly string[]): string {
    const d = this.#decisions;
    if (!d) return '';
    return inventoryCsv(this.#rows, columns, d.selected, d.matches);
  }

  /** The pre-flight report of the last query's selection. */
  preflight(): PreflightReport {
    return preflightReport(this.#rows, this.#decisions?.selected);
  }
}
