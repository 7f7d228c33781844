// The inventory worker's API: it reads the inventory from the store itself and owns the rows, so
// sorting, filtering and deciding 100,000 rows never run on the page's thread. The page sends its
// query and asks for the few rows it draws.
import type { PreflightReport } from '../src/core/inventory/preflight';
import {
  InventoryViewModel,
  type ViewQuery,
  type ViewRow,
  type ViewSummary,
} from '../src/core/inventory/view-model';
import { openDb, type CleanroomDb } from '../src/store/db';
import { setDecision } from '../src/store/instances';
import { readAllInPages } from '../src/store/batch';
import type { FileId } from '../src/store/types';

/** What a hand decision applies to: one series, one image, or every row decided by hand. */
export type DecisionTarget = { seriesKey: string } | { fileId: string } | 'decided';

export interface InventoryViewApi {
  /** Reads every instance from the store again; returns how many. */
  reload(): Promise<number>;
  /** Applies the page's query; the summary of what it shows. */
  view(query: ViewQuery): Promise<ViewSummary>;
  /** Rows at positions [from, to) of the last view, ready to draw. */
  rows(from: number, to: number): Promise<ViewRow[]>;
  /** Sets (or with undefined clears) a decision by hand, in the store and in the rows. */
  decide(target: DecisionTarget, decision: 'include' | 'exclude' | undefined): Promise<void>;
  /** The inventory CSV (every image, with the selection of the last view). */
  csv(columns: string[]): Promise<string>;
  preflight(): Promise<PreflightReport>;
}

/** The API over a database; `open` is how the worker reaches the store (tests pass their own). */
export function inventoryViewApi(
  open: () => Promise<CleanroomDb> = () => openDb(),
): InventoryViewApi {
  const model = new InventoryViewModel();
  let db: CleanroomDb | undefined;
  const store = async () => (db ??= await open());
  // Nothing to yield to in a worker: one page per read transaction is only for bounded transactions.
  const noPause = () => Promise.resolve();
  return {
    async reload() {
      model.setRows(
        await readAllInPages((await store()).instances, { size: 10_000, pause: noPause }),
      );
      return model.size;
    },
    async view(query) {
      return model.query(query);
    },
    async rows(from, to) {
      return model.window(from, to);
    },
    async decide(target, decision) {
      const ids =
        target === 'decided' || 'seriesKey' in target ? model.fileIdsOf(target) : [target.fileId];
      model.decide(new Set(ids), decision);
      await setDecision(await store(), ids as FileId[], decision);
    },
    async csv(columns) {
      return model.csv(columns);
    },
    async preflight() {
      return model.preflight();
    },
  };
}
