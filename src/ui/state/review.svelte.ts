// The Review step's state: the stored value list, the reviewer's decisions (saved at once, and
// written into the recipe as overrides), and whether the list is older than the recipe.
import type { DumpRow } from '../../core/review/dump';
import { loadRecipe } from './inventory.svelte';
import { DecisionBook, decisionKey, orderByElement, type ValueDecision } from './review-list';
import {
  loadDecisions,
  loadDump,
  loadReviewerName,
  recipeKeyOf,
  saveDecisions,
  saveReviewerName,
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
  /** The reviewer's name: every decision records it, and the package report names it. */
  reviewer = $state('');
  /** Set when a decision was asked for before a name was typed (the screen focuses the name box). */
  needsName = $state(false);
  #writes: Promise<void> = Promise.resolve();

  /** Reads the stored list and decisions (each visit: another tab may have changed them). */
  async load(): Promise<void> {
    const [dump, decisions, reviewer] = await Promise.all([
      loadDump(),
      loadDecisions(),
      loadReviewerName(),
    ]);
    this.dump = dump;
    this.reviewer = reviewer;
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

  /** Keeps the reviewer's name (typed on the screen) for the next decisions and the report. */
  setReviewer(name: string): void {
    this.reviewer = name;
    if (name.trim()) this.needsName = false;
    this.#writes = this.#writes
      .then(() => saveReviewerName(name.trim()))
      .catch(() => {
        this.error = 'Your name could not be saved.';
      });
  }

  /**
   * Records decisions (a value's or a whole element's), replacing earlier ones on the same key,
   * each with the reviewer's name and the time. Without a name nothing is recorded.
   */
  decide(list: readonly ValueDecision[]): boolean {
    const reviewer = this.reviewer.trim();
    if (!reviewer) {
      this.needsName = true;
      return false;
    }
    const decidedAt = Date.now();
    this.#change((next) => {
      for (const d of list) next.set(decisionKey(d.path, d.value), { ...d, reviewer, decidedAt });
    });
    return true;
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
