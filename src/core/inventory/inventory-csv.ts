// The inventory table as CSV: one row per instance with the chosen columns, its series and whether
// the selection takes it. It holds original identifiers: it stays at the site.
import { toCsv, type CsvCell } from '../csv/csv';
import { formatCell } from './columns';
import { rowValue, type InstanceRow } from './index';

/** Columns every inventory CSV starts with, before the chosen ones. */
export const INVENTORY_CSV_LEAD = [
  'path',
  'SeriesInstanceUID',
  'selected',
  'matches_rule',
  'qa_flags',
];

export function inventoryCsv(
  rows: readonly (InstanceRow & { flags?: readonly string[] })[],
  columns: readonly string[],
  selected: Uint8Array,
  matches: Uint8Array,
): string {
  const chosen = columns.filter((c) => !INVENTORY_CSV_LEAD.includes(c));
  const header = [...INVENTORY_CSV_LEAD, ...chosen];
  const lines = function* (): Generator<CsvCell[]> {
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      yield [
        row.path,
        row.SeriesInstanceUID,
        selected[i] === 1 ? 'yes' : 'no',
        matches[i] === 1 ? 'yes' : 'no',
        (row.flags ?? []).join(' '),
        ...chosen.map((c) => formatCell(rowValue(row, c))),
      ];
    }
  };
  return toCsv(header, lines());
}
