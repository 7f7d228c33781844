// Writes many rows in bounded bulkPut calls so one huge folder never builds one huge transaction,
// and reads a whole table in pages, giving the event loop a turn between pages so a page stays
// responsive (a 100,000-row read in one go blocks the main thread for seconds while it is decoded).
import type { Table } from 'dexie';

export const PUT_BATCH_SIZE = 2000;
/** Rows decoded per read: about 20–60 ms of main-thread work on a slow machine. */
export const READ_PAGE_SIZE = 2000;

export async function bulkPutInBatches<T, K>(
  table: Table<T, K>,
  rows: readonly T[],
  size = PUT_BATCH_SIZE,
): Promise<void> {
  for (let start = 0; start < rows.length; start += size) {
    await table.bulkPut(rows.slice(start, start + size));
  }
}

/** Lets other tasks (input, rendering, other writes) run: scheduler.yield where there is one, else a timer. */
export function yieldToEventLoop(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  if (typeof scheduler?.yield === 'function') return scheduler.yield();
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Reads every row of a table in primary-key order, `size` rows per read transaction, yielding
 * between reads. Rows written meanwhile may or may not be seen (each page is its own snapshot).
 */
export async function readAllInPages<T, K extends string | number>(
  table: Table<T, K>,
  options: { size?: number; pause?: () => Promise<void>; onPage?: (rows: T[]) => void } = {},
): Promise<T[]> {
  const size = options.size ?? READ_PAGE_SIZE;
  const pause = options.pause ?? yieldToEventLoop;
  const primaryKey = table.schema.primKey.keyPath as string;
  const out: T[] = [];
  let last: K | undefined;
  for (;;) {
    const page =
      last === undefined
        ? await table.orderBy(':id').limit(size).toArray()
        : await table.where(':id').above(last).limit(size).toArray();
    for (const row of page) out.push(row);
    options.onPage?.(page);
    if (page.length < size) return out;
    last = (page[page.length - 1] as Record<string, unknown>)[primaryKey] as K;
    await pause();
  }
}
