// The export's unique-value dump, with a state that can be saved at a volume boundary and restored
// on resume. Same rule as core/review ValueDump (the tests pin it): counts, the worst ranking of a
// value, and its first three example paths in package order.
import {
  compareRanked,
  rankValue,
  type IdentifierToken,
  type RankedValue,
} from '../core/review/rank';
import type { DumpRow, ValueOccurrence } from '../core/review/dump';
import type { VR } from '../core/dicom/types';

const MAX_EXAMPLES = 3;

/** One distinct value as saved in the export job (plain data: IndexedDB and JSON can hold it). */
export interface DumpStateEntry {
  path: string;
  vr: VR;
  value: string;
  count: number;
  ranked: RankedValue;
  /** In the order they were met (package order), at most three. */
  examples: string[];
}

export class ExportDump {
  private readonly entries = new Map<string, DumpStateEntry>();

  static restore(state: readonly DumpStateEntry[]): ExportDump {
    const dump = new ExportDump();
    for (const e of state)
      dump.entries.set(`${e.path}\u0000${e.vr}\u0000${e.value}`, {
        ...e,
        ranked: { ...e.ranked },
        examples: [...e.examples],
      });
    return dump;
  }

  add(
    occurrences: Iterable<ValueOccurrence>,
    context: { tokens: readonly IdentifierToken[]; pseudonym?: string; example: string },
  ): void {
    for (const o of occurrences) {
      const key = `${o.path}\u0000${o.vr}\u0000${o.value}`;
      const ranked = rankValue(o.value, o.vr, {
        tokens: context.tokens,
        isPrivate: o.isPrivate,
        pseudonym: context.pseudonym,
        path: o.path,
        generated: o.generated,
      });
      const entry = this.entries.get(key);
      if (!entry) {
        this.entries.set(key, {
          path: o.path,
          vr: o.vr,
          value: o.value,
          count: 1,
          ranked,
          examples: [context.example],
        });
        continue;
      }
      entry.count++;
      const worse =
        compareRanked(
          { ranked, path: '', value: '' },
          { ranked: entry.ranked, path: '', value: '' },
        ) < 0;
      if (worse) entry.ranked = ranked;
      if (entry.examples.length < MAX_EXAMPLES && !entry.examples.includes(context.example))
        entry.examples.push(context.example);
    }
  }

  /** A copy of the state, to save with a finished volume. */
  snapshot(): DumpStateEntry[] {
    return [...this.entries.values()].map((e) => ({
      ...e,
      ranked: { ...e.ranked },
      examples: [...e.examples],
    }));
  }

  /** Every distinct value, most dangerous first (as ValueDump.rows). */
  rows(): DumpRow[] {
    return [...this.entries.values()]
      .sort((a, b) => compareRanked(a, b))
      .map((e) => ({
        path: e.path,
        vr: e.vr,
        value: e.value,
        count: e.count,
        risk: e.ranked.risk,
        reason: e.ranked.reason,
        score: e.ranked.score,
        examples: [...e.examples].sort(),
      }));
  }
}
