// The values a de-identified file still holds, read from its explain rows: what the dry run
// gathers per file for the unique-value dump (the worker's face calls this; no logic there).
import type { VR } from '../dicom/types';
import type { ExplainRow } from '../deid/explain';
import { SCRUB_MASK } from '../deid/tokens';
import type { ValueOccurrence } from './dump';

/** Binary and sequence summaries ('<OB 12 bytes>', '<2 items>') are not values a person reads. */
const VALUE_NOT_SHOWN = /^<.*>$/;

/** Explain actions whose output value Cleanroom wrote itself, never a value from the input. */
const GENERATED_ACTIONS: ReadonlySet<string> = new Set(['U', 'D', 'pseudonym', 'shift', 'added']);

/**
 * True when cleaning masked a patient identifier in this element ('CT for SMITH' → 'CT for ***'):
 * the review shows such values first, because a person typed a name there and may have typed more.
 */
export function isMaskedByCleaning(row: Pick<ExplainRow, 'before' | 'after' | 'action'>): boolean {
  return (
    row.action !== 'override' &&
    row.before !== undefined &&
    row.after !== undefined &&
    row.after.includes(SCRUB_MASK) &&
    !row.before.includes(SCRUB_MASK)
  );
}

/**
 * One occurrence per element written with a readable value. `maskedFrom` carries the original
 * text of a masked value so the ranking can say whose identifier it was; the dump never keeps it.
 */
export function valuesLeft(explain: readonly ExplainRow[]): ValueOccurrence[] {
  const values: ValueOccurrence[] = [];
  for (const row of explain) {
    if (row.after === undefined || row.vr === 'SQ' || VALUE_NOT_SHOWN.test(row.after)) continue;
    const occurrence: ValueOccurrence = {
      path: row.path,
      vr: row.vr as VR,
      value: row.after,
      isPrivate: (row.tag >>> 16) % 2 === 1,
      generated: GENERATED_ACTIONS.has(row.action),
    };
    if (isMaskedByCleaning(row)) occurrence.maskedFrom = row.before;
    values.push(occurrence);
  }
  return values;
}
