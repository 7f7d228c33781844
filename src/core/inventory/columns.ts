// Table columns named by DICOM keyword paths: checking a path, reading and showing a cell, ordering cells.
import {
  rowValue,
  ROW_KEYWORDS,
  tagForPathStep,
  type ElementValue,
  type InstanceRow,
} from './index';
import { PATH_SEPARATOR } from './rules';

/** Columns the inventory shows before the user chooses others. */
export const DEFAULT_COLUMNS: readonly string[] = [
  'PatientID',
  'StudyDate',
  'Modality',
  'SeriesNumber',
  'SeriesDescription',
  'SliceThickness',
  'Manufacturer',
];

export type ColumnCheck = { ok: true; path: string } | { ok: false; message: string };

/**
 * Checks a column path typed by a person: keywords or (gggg,eeee) tags joined by ' > ' for sequence
 * items. Spaces around '>' are normalised. The message names the step, which is a keyword, not a value.
 */
export function checkColumnPath(text: string): ColumnCheck {
  const steps = text
    .split('>')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (steps.length === 0)
    return { ok: false, message: 'Type a DICOM keyword, e.g. SliceThickness.' };
  for (const step of steps) {
    if (tagForPathStep(step) === undefined)
      return {
        ok: false,
        message: `"${step}" is not a DICOM keyword or a (gggg,eeee) tag. Keywords are written like SliceThickness.`,
      };
  }
  return { ok: true, path: steps.join(PATH_SEPARATOR) };
}

/** True when every scan reads the column; other paths are read when a scan is asked for them. */
export function isIndexedColumn(path: string): boolean {
  return ROW_KEYWORDS.includes(path);
}

/** True when the row holds a value (or a recorded absence) for the path. */
export function rowHasColumn(row: InstanceRow, path: string): boolean {
  return isIndexedColumn(path) || (row.extra !== undefined && path in row.extra);
}

export function columnValue(row: InstanceRow, path: string): ElementValue {
  return rowValue(row, path);
}

/** A cell as text: several values joined with '\' as DICOM writes them; absent is ''. */
export function formatCell(value: ElementValue): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) return value.join('\\');
  return String(value);
}

/** Sort key of a value: numbers as numbers, the rest as text; several values by the first. */
function sortKey(value: ElementValue): number | string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  if (first === undefined) return undefined;
  if (typeof first === 'number') return first;
  const trimmed = first.trim();
  if (trimmed === '') return undefined;
  const n = Number(trimmed);
  return Number.isFinite(n) && /^[-+]?[\d.]/.test(trimmed) ? n : trimmed.toUpperCase();
}

/** Orders two values: absent last, numbers before text, numbers numerically, text by code units. */
export function compareValues(a: ElementValue, b: ElementValue): number {
  return compareKeys(sortKey(a), sortKey(b));
}

function compareKeys(a: number | string | undefined, b: number | string | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return 1;
  if (b === undefined) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The order of `count` items sorted by a column (stable; ties keep the given order). Keys are read
 * once per item, so sorting 100,000 rows costs one pass of reads plus the sort.
 */
export function sortedOrder(
  count: number,
  valueAt: (index: number) => ElementValue,
  direction: 'asc' | 'desc' = 'asc',
): Uint32Array {
  const keys = new Array<number | string | undefined>(count);
  for (let i = 0; i < count; i++) keys[i] = sortKey(valueAt(i));
  const order = new Uint32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  const sign = direction === 'asc' ? 1 : -1;
  // Absent values stay last in both directions: a person looks for the values first.
  order.sort((i, j) => {
    const a = keys[i];
    const b = keys[j];
    if (a === undefined || b === undefined) return compareKeys(a, b) || i - j;
    return sign * compareKeys(a, b) || i - j;
  });
  return order;
}
