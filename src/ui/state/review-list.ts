// The Review list as plain data: decisions on dumped values, which values need a person, the
// element grouping, the search, and the recipe overrides the decisions become. No runes, no store.
import type { DumpRow } from '../../core/review/dump';
import { FREE_TEXT_VRS } from '../../core/review/rank';
import type { VR } from '../../core/dicom/types';
import type { Override, Recipe } from '../../core/profile/recipe';
import type { ReviewDecision } from '../../core/review/decision';

export type { ReviewAction } from '../../core/review/decision';

/**
 * A reviewer's decision on one value at one element path, or (value undefined) on the whole
 * element, with the reviewer's name and the time (core/review/decision.ts).
 */
export type ValueDecision = ReviewDecision;

/** Decisions by key (see decisionKey). */
export type Decisions = ReadonlyMap<string, ValueDecision>;

export function decisionKey(path: string, value?: string): string {
  return value === undefined ? `${path}\u0001` : `${path}\u0000${value}`;
}

function put<K>(
  index: Map<string, Map<K, ValueDecision>>,
  path: string,
  value: K,
  decision: ValueDecision,
): void {
  const atPath = index.get(path) ?? new Map<K, ValueDecision>();
  index.set(path, atPath);
  atPath.set(value, decision);
}

/** Values that are coded or numbers: they cannot hold a name typed by a person. */
const CODED_OR_NUMERIC: ReadonlySet<string> = new Set([
  'CS', 'AE', 'UI', 'AS', 'UR', 'DS', 'IS', 'US', 'SS', 'UL', 'SL', 'UV', 'SV', 'FL', 'FD',
]); // prettier-ignore

/** True when any segment of the path is a private element (odd group), e.g. '(0009,1010) "ACME"'. */
export function isPrivatePath(path: string): boolean {
  return path.split(' > ').some((segment) => {
    const m = /^\(([0-9A-Fa-f]{4}),/.exec(segment.trim());
    return m !== null && (parseInt(m[1], 16) & 1) === 1;
  });
}

/** Free text (LO LT ST UT SH PN UC) and private elements need a person to read them. */
export function needsPerson(row: Pick<DumpRow, 'path' | 'vr'>): boolean {
  return FREE_TEXT_VRS.has(row.vr as VR) || isPrivatePath(row.path);
}

export function isCodedOrNumeric(row: Pick<DumpRow, 'path' | 'vr'>): boolean {
  return CODED_OR_NUMERIC.has(row.vr) && !isPrivatePath(row.path);
}

/** Looks up the decision that covers a row, in constant time per row. */
export class DecisionBook {
  /** path → value → decision; the whole element's decision under `undefined`. Nested maps: no key strings per lookup. */
  readonly #byPath = new Map<string, Map<string | undefined, ValueDecision>>();
  readonly #replacedWith = new Map<string, Map<string, ValueDecision>>();
  constructor(readonly decisions: Decisions) {
    for (const d of decisions.values()) {
      put(this.#byPath, d.path, d.value, d);
      if (d.action === 'replace') put(this.#replacedWith, d.path, d.replacement ?? '', d);
    }
  }

  /**
   * The row's own decision, the whole element's, or, for a value a reviewer typed as a
   * replacement at the same path, that replace decision (what a person wrote was read).
   */
  for(row: Pick<DumpRow, 'path' | 'value'>): ValueDecision | undefined {
    const atPath = this.#byPath.get(row.path);
    return (
      atPath?.get(row.value) ??
      atPath?.get(undefined) ??
      this.#replacedWith.get(row.path)?.get(row.value)
    );
  }

  /** "N of M values that need a person are reviewed". */
  counts(rows: readonly DumpRow[]): { reviewed: number; needed: number } {
    let reviewed = 0;
    let needed = 0;
    const privatePath = new Map<string, boolean>();
    for (const row of rows) {
      let isPrivate = privatePath.get(row.path);
      if (isPrivate === undefined) privatePath.set(row.path, (isPrivate = isPrivatePath(row.path)));
      if (!FREE_TEXT_VRS.has(row.vr) && !isPrivate) continue;
      needed++;
      if (this.for(row)) reviewed++;
    }
    return { reviewed, needed };
  }

  /** Accept decisions for every coded or numeric value without a decision yet. */
  acceptCodedAndNumeric(rows: readonly DumpRow[]): ValueDecision[] {
    return rows
      .filter((r) => isCodedOrNumeric(r) && this.for(r) === undefined)
      .map((r) => ({ path: r.path, value: r.value, action: 'accept' as const }));
  }
}

/**
 * Rows grouped by element, elements ordered by their most dangerous value (the dump is ranked,
 * so first appearance is the worst), values in ranked order inside each element.
 */
export function orderByElement(rows: readonly DumpRow[]): DumpRow[] {
  const groups = new Map<string, DumpRow[]>();
  for (const row of rows) {
    const list = groups.get(row.path);
    if (list) list.push(row);
    else groups.set(row.path, [row]);
  }
  return [...groups.values()].flat();
}

/** Case-insensitive search over path, value and reason; an empty query keeps everything. */
export function searchRows(rows: readonly DumpRow[], query: string): readonly DumpRow[] {
  const q = query.trim().toLowerCase();
  if (q === '') return rows;
  return rows.filter(
    (r) =>
      r.path.toLowerCase().includes(q) ||
      r.value.toLowerCase().includes(q) ||
      r.reason.toLowerCase().includes(q),
  );
}

/** The overrides decisions become: accept is no override (only "reviewed"); the others name path and exact value. */
export function overridesOf(decisions: Iterable<ValueDecision>): Override[] {
  const out: Override[] = [];
  for (const d of decisions) {
    if (d.action === 'accept' || d.value === undefined) continue;
    const o: Override = { path: d.path, value: d.value, action: d.action };
    if (d.action === 'replace') o.replacement = d.replacement ?? '';
    out.push(o);
  }
  return out.sort((a, b) => compare(a.path, b.path) || compare(a.value ?? '', b.value ?? ''));
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The recipe with the review's overrides in place: overrides for a path and value the review
 * decided on (before or now) are replaced; the organizer's other overrides stay, after ours, so a
 * value-level decision wins over a path-wide one.
 */
export function withReviewOverrides(
  recipe: Recipe,
  before: Iterable<ValueDecision>,
  after: Iterable<ValueDecision>,
): Recipe {
  const ours = overridesOf(after);
  const decided = new Set<string>();
  for (const d of [...before, ...after])
    if (d.value !== undefined) decided.add(decisionKey(d.path, d.value));
  const others = (recipe.deid.overrides ?? []).filter(
    (o) => o.value === undefined || !decided.has(decisionKey(o.path, o.value)),
  );
  const overrides = [...ours, ...others];
  const { overrides: _old, ...rest } = recipe.deid;
  void _old;
  return { ...recipe, deid: overrides.length > 0 ? { ...rest, overrides } : rest };
}
