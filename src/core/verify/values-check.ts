// The package's unique-value dump (the review's ranking) and the 'high-risk-values' findings drawn from it.
import { isPrivateTag, type DataElement } from '../dicom/types';
import { ValueDump, type DumpRow, type ValueOccurrence } from '../review/dump';
import type { CheckRecorder } from './recorder';
import type { Severity } from './types';
import { visibleValue, type ElementVisit } from './walk';

const MAX_QUOTE = 200;
/** The keyed 16-hex-digit value Cleanroom writes for AccessionNumber and StudyID (pseudonyms.ts). */
const KEYED_IDENTIFIER = /^[0-9A-F]{16}$/;
const KEYED_PATHS = new Set(['AccessionNumber', 'StudyID']);
/** What the engine's cleaning (C) writes in place of a masked identifier (review/rank names it). */
const CLEANING_MASK = '***';

/** Every value of one file, as the app's dump lists it. */
export function valueOccurrences(
  visits: readonly ElementVisit[],
  littleEndian: boolean,
): ValueOccurrence[] {
  const out: ValueOccurrence[] = [];
  for (const v of visits) {
    const value = visibleValue(v, littleEndian);
    if (value === undefined) continue;
    out.push({ path: v.path, vr: v.el.vr, value, isPrivate: isPrivateTag(v.el.tag) });
  }
  return out;
}

/**
 * Occurrences of values in private elements that 'private-elements-safe' already failed (its
 * finding quotes the value). A dump row all of whose occurrences are such is not reported again by
 * 'high-risk-values': one element, one finding. A row that also occurs elsewhere still is.
 */
export class JudgedValues {
  private readonly counts = new Map<string, number>();
  private readonly key = (path: string, vr: string, value: string): string =>
    `${path}\u0000${vr}\u0000${value}`;

  /** Counts the values of one file's visits that lie in (or inside) a rejected element. */
  add(
    visits: readonly ElementVisit[],
    littleEndian: boolean,
    rejected: ReadonlySet<DataElement>,
  ): void {
    if (rejected.size === 0) return;
    for (const v of visits) {
      if (!rejected.has(v.el) && !v.ancestors.some((a) => rejected.has(a))) continue;
      const value = visibleValue(v, littleEndian);
      if (value === undefined) continue;
      const key = this.key(v.path, v.el.vr, value);
      this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    }
  }

  /** True when every occurrence of the row was failed by the private-element check. */
  covers(row: DumpRow): boolean {
    return (this.counts.get(this.key(row.path, row.vr, row.value)) ?? 0) >= row.count;
  }
}

/**
 * How bad a 'high' value is. Names (a PN with a value that is not the pseudonym, Family^Given,
 * a title and a name), e-mail addresses, phone numbers, street addresses and dates in free text
 * fail; "looks like an identifier" (six or more letters and digits) only warns, because device
 * serial numbers and software versions look the same. Unknown reasons fail (the safe side).
 * Not findings at all: the keyed 16-hex-digit AccessionNumber/StudyID Cleanroom writes, and code
 * values (CodeValue) in code sequences.
 */
export function severityOf(row: DumpRow): Severity | undefined {
  if (row.risk !== 'high') return undefined;
  if (KEYED_PATHS.has(row.path) && KEYED_IDENTIFIER.test(row.value)) return undefined;
  // A person-name element that is not the pseudonym fails whatever it looks like.
  if (row.vr === 'PN') return 'fail';
  // The mask the site's cleaning left where it removed an identifier: nothing identifying is left,
  // but an organizer should see where the site's text held one.
  if (row.reason.startsWith(`holds ${CLEANING_MASK}`)) return 'warn';
  if (!row.reason.startsWith('looks like an identifier')) return 'fail';
  // A code value ('113100' in a code sequence) is an identifier by design, of a concept, not a person.
  return row.path === 'CodeValue' || row.path.endsWith(' > CodeValue') ? undefined : 'warn';
}

function quote(value: string): string {
  return value.length > MAX_QUOTE ? `"${value.slice(0, MAX_QUOTE)}…"` : `"${value}"`;
}

/**
 * Records 'high-risk-values' from the dump's rows (most dangerous first). Rows `judged` covers
 * (values only in private elements 'private-elements-safe' failed) are left to that check.
 */
export function checkHighRiskValues(
  rows: readonly DumpRow[],
  check: CheckRecorder,
  judged?: JudgedValues,
): void {
  check.checked = rows.length;
  let leftOut = 0;
  for (const row of rows) {
    if (row.risk !== 'high') break; // rows are sorted: every high row comes first
    const severity = severityOf(row);
    if (severity === undefined) continue;
    if (judged?.covers(row)) {
      leftOut++;
      continue;
    }
    const files = row.count === 1 ? '1 time' : `${row.count} times`;
    const others = row.examples.slice(1);
    const also = others.length > 0 ? `; also in ${others.join(', ')}` : '';
    check.add(
      row.examples[0] ?? '(package)',
      `${row.path} [${row.vr}] ${quote(row.value)} (${files}${also}): ${row.reason}.`,
      severity,
    );
  }
  if (leftOut > 0)
    check.remark(
      `${leftOut} high-risk value${leftOut === 1 ? ' is' : 's are'} reported under private-elements-safe instead: ${leftOut === 1 ? 'it is' : 'they are'} only in private elements that check fails, and its findings quote ${leftOut === 1 ? 'it' : 'them'}.`,
    );
}

export { ValueDump };
