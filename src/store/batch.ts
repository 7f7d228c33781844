// Writes many rows in bounded bulkPut calls so one huge folder never builds one huge transaction.
import type { Table } from 'dexie';

export const PUT_BATCH_SIZE = 2000;

export async function bulkPutInBatches<T, K>(
  table: Table<T, K>,
  rows: readonly T[],
  size = PUT_BATCH_SIZE,
): Promise<void> {
  for (let start = 0; start < rows.length; start += size) {
    await table.bulkPut(rows.slice(start, start + size));
  }
}
