// The Review step's state: the stored value list, the reviewer's decisions (saved at once, and
// written into the recipe as overrides), and whether the list is older than the recipe.
import type { DumpRow } from '../../core/review/dump';
import { loadRecipe } from './inventory.svelte';
import { DecisionBook, decisionKey, orderByElement, type ValueDecision } from './review-list';
import {
  loadDecisions,
  loadDump,
  recipeKeyOf,
  saveDecisions,
  type StoredDump,
} from './review-store';

class ReviewState {
  /** The last dry run (raw: 50,000 rows are not made deeply reactive). */
  dump = $state.raw<StoredDump | undefined>();
  /** Its rows grouped by element, most dangerous element first. */
  ordered: DumpRow[] = $derived(this.dump ? orderByElement(this.dump.rows) : []);
  decisions = $state.raw<ReadonlyMap<string, ValueDecision>>(new Map());
  book: DecisionBook = $derived(new DecisionBook(this.decisions));
  /** True when the recipe changed (a decision, the rule, an option) since the list was made. */
  stale = $state(false);
  loaded = $state(false);
  /** A failed save, in plain words. */
  error = $state<string | undefined>();
  #writes: Promise<void> = Promise.resolve();

  /** Reads the stored list and decisions (each visit: another tab may have changed them). */
  async load(): Promise<void> {
    const [dump, decisions] = await Promise.all([loadDump(), loadDecisions()]);
    this.dump = dump;
    this.decisions = new Map(decisions.map((d) => [decisionKey(d.path, d.value), d]));
    this.loaded = true;
    await this.checkStale();
  }

  /** Shows a freshly finished dry run. */
  show(dump: StoredDump): void {
    this.dump = dump;
    this.stale = false;
  }

  async checkStale(): Promise<void> {
    const dump = this.dump;
    this.stale = dump !== undefined && dump.recipeKey !== recipeKeyOf(await loadRecipe());
  }

  /** Records decisions (a value's or a whole element's), replacing earlier ones on the same key. */
  decide(list: readonly ValueDecision[]): void {
    this.#change((next) => {
      for (const d of list) next.set(decisionKey(d.path, d.value), d);
    });
  }

  /** Forgets the decision on a value (or, with no value, on the whole element). */
  undo(path: string, value?: string): void {
    this.#change((next) => next.delete(decisionKey(path, value)));
  }

  #change(edit: (next: Map<string, ValueDecision>) => void): void {
    const before = [...this.decisions.values()];
    const next = new Map(this.decisions);
    edit(next);
    this.decisions = next;
    const after = [...next.values()];
    // Saves run one after another, so the recipe always ends with the last decision.
    this.#writes = this.#writes.then(async () => {
      try {
        await saveDecisions(before, after);
        this.error = undefined;
        await this.checkStale();
      } catch (e) {
        this.error = `Your last decision could not be saved (${e instanceof Error ? e.name : 'error'}).`;
      }
    });
  }

  /** Resolves when every decision made so far is stored. */
  saved(): Promise<void> {
    return this.#writes;
  }
}

export const review = new ReviewState();
