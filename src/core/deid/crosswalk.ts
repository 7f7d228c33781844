// The crosswalk key file: original ↔ new identifiers as CSV (the MIDI-B 'id_old,id_new' format).

import { toCsv } from '../csv/csv';

/**
 * One row per pair under the header 'id_old,id_new', sorted by the old id and deduplicated so the
 * same map always gives the same bytes (RFC 4180 quoting by core/csv). Used for UIDs and for
 * patients; it holds PHI and belongs in the key file the user exports on purpose, never in a package.
 */
export function crosswalkCsv(rows: Iterable<readonly [string, string]>): string {
  const unique = new Map<string, readonly [string, string]>();
  for (const row of rows) unique.set(`${row[0]}\u0000${row[1]}`, [row[0], row[1]]);
  const sorted = [...unique.values()].sort((a, b) =>
    a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0,
  );
  return toCsv(['id_old', 'id_new'], sorted);
}
