// The Inventory's state: the recipe (rule, level, expectations; import and export), the chosen
// columns (in the project's store), and the view of the rows, which live in the inventory worker so a
// 100,000-file inventory is sorted, filtered and decided off the page's thread.
import * as Comlink from 'comlink';
import {
  canonicalRecipeJson,
  defaultRecipe,
  validateRecipe,
  type Recipe,
  type RecipeError,
} from '../../core/profile/recipe';
import { parseRule, type ParseResult } from '../../core/inventory/rules';
import { DEFAULT_COLUMNS } from '../../core/inventory/columns';
import type { SelectionLevel } from '../../core/inventory/decide';
import type { PreflightReport } from '../../core/inventory/preflight';
import type { ViewQuery, ViewRow, ViewSummary } from '../../core/inventory/view-model';
import { scanWorkers } from './pools';
import { expectationsOf } from '../../pipeline/selection';
import { getSetting, setSetting } from '../../store';
import type { DecisionTarget, InventoryViewApi } from '../../../workers/inventory-view-api';
import { db } from './db';
import { throttledQuery } from './live.svelte';

/** The stored recipe, or the default one when none is stored or the stored one is invalid. */
export async function loadRecipe(): Promise<Recipe> {
  const text = await getSetting(db, 'recipe');
  if (text === undefined) return defaultRecipe();
  try {
    const checked = validateRecipe(JSON.parse(text));
    return checked.ok ? checked.recipe : defaultRecipe();
  } catch {
    return defaultRecipe();
  }
}

class RuleState {
  text = $state('');
  /** The recipe's selection level: where the rule applies. */
  level = $state<SelectionLevel>('series');
  /** False from a keystroke until the rule is stored in the recipe. */
  saved = $state(true);
  /** The parse of the text; `undefined` when the box is empty (no rule: everything selected). */
  readonly parsed: ParseResult | undefined = $derived(
    this.text.trim() === '' ? undefined : parseRule(this.text),
  );
  #loaded = false;

  /** Fills the box from the stored recipe once per page load. */
  async load(): Promise<void> {
    if (this.#loaded) return;
    this.#loaded = true;
    const recipe = await loadRecipe();
    if (this.text === '') this.text = recipe.selection.rule ?? '';
    this.level = recipe.selection.level ?? 'series';
  }

  /** Stores the rule in the recipe when it parses (or is empty); a half-typed rule is not stored. */
  async save(): Promise<void> {
    if (this.parsed && !this.parsed.ok) return;
    const text = this.text;
    const recipe = await loadRecipe();
    const rule = this.text.trim();
    const selection = { ...recipe.selection };
    if (rule === '') delete selection.rule;
    else selection.rule = rule;
    await setSetting(db, 'recipe', JSON.stringify({ ...recipe, selection }));
    // A keystroke during the write schedules another save; only the latest text counts as saved.
    if (this.text === text) this.saved = true;
  }

  /** Shows a recipe's rule and level (after an import). */
  show(recipe: Recipe): void {
    this.#loaded = true;
    this.text = recipe.selection.rule ?? '';
    this.level = recipe.selection.level ?? 'series';
    this.saved = true;
  }
}

export const selectionRule = new RuleState();

/** The outcome of loading a recipe file, in words a person can act on. */
export type RecipeImport =
  { ok: true; name: string } | { ok: false; title: string; errors: RecipeError[] };

/**
 * Validates a recipe file's text and, when it is valid, makes it the current recipe: its rule and
 * level drive the selection and its expectations the QA flags (recomputed at once).
 */
export async function importRecipe(text: string): Promise<RecipeImport> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    const where = e instanceof SyntaxError ? ` (${e.message.replace(/"[^"]*"/g, '…')})` : '';
    return {
      ok: false,
      title: 'This file is not a recipe: it is not valid JSON.',
      errors: [{ path: '(file)', message: `The JSON could not be read${where}.` }],
    };
  }
  const checked = validateRecipe(json);
  if (!checked.ok)
    return {
      ok: false,
      title: `This recipe has ${checked.errors.length} problem${checked.errors.length === 1 ? '' : 's'}; nothing was changed.`,
      errors: checked.errors,
    };
  await setSetting(db, 'recipe', JSON.stringify(checked.recipe));
  selectionRule.show(checked.recipe);
  // On a scan worker's thread: with 100,000 instances the read-back would block the page.
  await scanWorkers().call('rebuildAggregates', [db.name, expectationsOf(checked.recipe)]);
  return { ok: true, name: checked.recipe.name };
}

/** The current recipe as the file an organizer sends (canonical JSON, the form its hash is taken of). */
export async function exportRecipe(): Promise<{ name: string; text: string }> {
  const recipe = await loadRecipe();
  const name = `${recipe.name.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '') || 'recipe'}.recipe.json`;
  return { name, text: `${canonicalRecipeJson(recipe)}\n` };
}

/** Where columns were kept before they moved into the project's store (read once, then removed). */
const LEGACY_COLUMNS_KEY = 'cleanroom.inventory.columns';

function isColumnList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((c) => typeof c === 'string');
}

/**
 * The table's columns (DICOM keyword paths), kept in the project's store (settings
 * `inventoryColumns`) so they travel with the project and a reload restores them.
 */
class ColumnState {
  list = $state<string[]>([...DEFAULT_COLUMNS]);
  /** Set by the first change made here: a later read of the store must not undo it. */
  #touched = false;
  readonly ready: Promise<void>;

  constructor() {
    // Read at once (the module loads with the app), so a scan started later sees the stored columns.
    this.ready = typeof indexedDB === 'undefined' ? Promise.resolve() : this.#load();
  }

  async #load(): Promise<void> {
    try {
      let stored: unknown = await getSetting(db, 'inventoryColumns');
      if (stored === undefined) stored = takeLegacyColumns();
      if (isColumnList(stored) && !this.#touched) {
        this.list = stored;
        if (stored.length > 0) await setSetting(db, 'inventoryColumns', stored);
      }
    } catch {
      /* the store cannot be read: the defaults stand for this visit */
    }
  }

  add(path: string): void {
    if (this.list.includes(path)) return;
    this.#set([...this.list, path]);
  }

  remove(path: string): void {
    this.#set(this.list.filter((c) => c !== path));
  }

  move(path: string, by: -1 | 1): void {
    const i = this.list.indexOf(path);
    const j = i + by;
    if (i < 0 || j < 0 || j >= this.list.length) return;
    const next = [...this.list];
    [next[i], next[j]] = [next[j], next[i]];
    this.#set(next);
  }

  reset(): void {
    this.#set([...DEFAULT_COLUMNS]);
  }

  #set(list: string[]): void {
    this.#touched = true;
    this.list = list;
    setSetting(db, 'inventoryColumns', [...list]).catch(() => {
      /* storage full or closed: the choice lasts for this visit */
    });
  }
}

/** Columns a previous version kept in localStorage, removed from there once read. */
function takeLegacyColumns(): string[] | undefined {
  try {
    const stored: unknown = JSON.parse(localStorage.getItem(LEGACY_COLUMNS_KEY) ?? 'null');
    localStorage.removeItem(LEGACY_COLUMNS_KEY);
    return isColumnList(stored) ? stored : undefined;
  } catch {
    return undefined;
  }
}

export const columns = new ColumnState();

/** How often the inventory is read again while the store changes (a scan writes every few ms). */
const RELOAD_THROTTLE_MS = 1500;
/** Rows fetched above and below the drawn ones, so a short scroll needs no round trip. */
const WINDOW_MARGIN = 60;

/** Runs `work` between two performance marks, so a trace (or a test) sees how long each step took. */
async function measured<T>(name: string, work: () => Promise<T>): Promise<T> {
  const start = performance.now();
  try {
    return await work();
  } finally {
    performance.measure(name, { start, end: performance.now() });
  }
}

let viewWorker: Comlink.Remote<InventoryViewApi> | undefined;

/** The inventory worker, started on first use and kept for the page's life. */
function inventoryWorker(): Comlink.Remote<InventoryViewApi> {
  viewWorker ??= Comlink.wrap<InventoryViewApi>(
    new Worker(new URL('../../../workers/inventory-view.worker.ts', import.meta.url), {
      type: 'module',
      name: 'inventory',
    }),
  );
  return viewWorker;
}

/**
 * The Inventory screen's view of the rows, which live in the inventory worker: the worker reads the
 * store (again at most every RELOAD_THROTTLE_MS while it changes), decides, sorts and filters; the
 * page keeps the summary and the few rows it draws.
 */
export class InventoryView {
  /** Undefined until the first read and query are done. */
  summary = $state.raw<ViewSummary | undefined>(undefined);
  /** Rows around the drawn range, from position `from`. */
  window = $state.raw<{ from: number; rows: ViewRow[] }>({ from: 0, rows: [] });
  /** True while a query is being answered (sorting or deciding 100,000 rows takes a moment). */
  busy = $state(false);
  #query: ViewQuery | undefined;
  #loaded = false;
  #range: [number, number] = [0, 0];
  #seq = 0;

  /** Starts reading; returns the function that stops. Call from an $effect. */
  subscribe(): () => void {
    return throttledQuery(
      () => measured('inventory:reload', () => inventoryWorker().reload()),
      RELOAD_THROTTLE_MS,
      () => {
        this.#loaded = true;
        void this.#refresh();
      },
      undefined,
      ['instances'],
    );
  }

  /** The page's choices (rule, level, mode, scope, sort, columns). */
  setQuery(query: ViewQuery): void {
    this.#query = query;
    void this.#refresh();
  }

  /** The positions the table draws; rows outside the window are fetched. */
  setRange(from: number, to: number): void {
    this.#range = [from, to];
    const { from: have, rows } = this.window;
    if (from < have || to > have + rows.length) void this.#fetch(this.#seq);
  }

  rowAt(position: number): ViewRow | undefined {
    const row = this.window.rows[position - this.window.from];
    return row?.position === position ? row : undefined;
  }

  async decide(target: DecisionTarget, decision: 'include' | 'exclude' | undefined): Promise<void> {
    await inventoryWorker().decide(target, decision);
    await this.#refresh();
  }

  csv(): Promise<string> {
    return inventoryWorker().csv([...columns.list]);
  }

  preflight(): Promise<PreflightReport> {
    return inventoryWorker().preflight();
  }

  async #refresh(): Promise<void> {
    const query = this.#query;
    if (!this.#loaded || !query) return;
    const seq = ++this.#seq;
    this.busy = true;
    try {
      const summary = await measured('inventory:view', () =>
        inventoryWorker().view($state.snapshot(query) as ViewQuery),
      );
      if (seq !== this.#seq) return;
      await this.#fetch(seq);
      if (seq !== this.#seq) return;
      this.summary = summary;
    } finally {
      if (seq === this.#seq) this.busy = false;
    }
  }

  async #fetch(seq: number): Promise<void> {
    const from = Math.max(0, this.#range[0] - WINDOW_MARGIN);
    const rows = await inventoryWorker().rows(from, this.#range[1] + WINDOW_MARGIN);
    if (seq === this.#seq) this.window = { from, rows };
  }
}
