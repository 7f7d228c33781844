// The unique-value dump: every distinct value left at every element path of the de-identified
// output, with counts, example files and its risk, ready for a person to read (and for CSV).
import type { VR } from '../dicom/types';
import {
  compareRanked,
  rankValue,
  type IdentifierToken,
  type RankedValue,
  type Risk,
} from './rank';

/** One value found at one element path of one output file. */
export interface ValueOccurrence {
  /** 'StudyDescription', 'RequestAttributesSequence > RequestedProcedureDescription', '(0009,xx10) "ACME"'. */
  path: string;
  vr: VR;
  value: string;
  isPrivate: boolean;
  /** Written by Cleanroom (pseudonym, keyed hash, shifted date, new UID, dummy value). */
  generated?: boolean;
  /**
   * The original text when cleaning masked an identifier in it: only for ranking (whose
   * identifier it was); the dump never keeps it, so rows, CSV and store hold output values only.
   */
  maskedFrom?: string;
}

export interface DumpRow {
  path: string;
  vr: VR;
  value: string;
  count: number;
  risk: Risk;
  reason: string;
  score: number;
  /** Up to three output entry paths (de-identified) where the value occurs. */
  examples: string[];
}

const MAX_EXAMPLES = 3;

/** One distinct value as accumulated; plain data, so an export can save it (IndexedDB, JSON). */
export interface DumpStateEntry {
  path: string;
  vr: VR;
  value: string;
  count: number;
  ranked: RankedValue;
  /** In the order they were met (package order), at most three. */
  examples: string[];
}

const copyEntry = (e: DumpStateEntry): DumpStateEntry => ({
  ...e,
  ranked: { ...e.ranked },
  examples: [...e.examples],
});

/** Accumulates occurrences file by file; memory grows with distinct values, not with files. */
export class ValueDump {
  private readonly entries = new Map<string, DumpStateEntry>();

  /** A dump that goes on from a saved state (an export resumed at a volume boundary). */
  static restore(state: readonly DumpStateEntry[]): ValueDump {
    const dump = new ValueDump();
    for (const e of state) dump.entries.set(`${e.path}\u0000${e.vr}\u0000${e.value}`, copyEntry(e));
    return dump;
  }

  /** A copy of the state, to save with a finished volume. */
  snapshot(): DumpStateEntry[] {
    return [...this.entries.values()].map(copyEntry);
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
        maskedFrom: o.maskedFrom,
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
      // The same value may be harmless for one patient and another patient's name: keep the worst.
      if (
        compareRanked(
          { ranked, path: '', value: '' },
          { ranked: entry.ranked, path: '', value: '' },
        ) < 0
      ) {
        entry.ranked = ranked;
      }
      if (entry.examples.length < MAX_EXAMPLES && !entry.examples.includes(context.example)) {
        entry.examples.push(context.example);
      }
    }
  }

  get size(): number {
    return this.entries.size;
  }

  /** Every distinct value, most dangerous first. */
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
