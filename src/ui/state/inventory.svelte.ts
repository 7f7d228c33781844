// The Inventory's state: the recipe (rule, level, expectations; import and export), the chosen
// columns, and the rows read from the store in pages so a 100,000-file inventory never blocks the page.
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
import { rebuildAggregates } from '../../pipeline/scan-aggregates';
import { expectationsOf } from '../../pipeline/selection';
import { getSetting, setSetting, type InstanceRecord } from '../../store';
import { readAllInPages } from '../../store/batch';
import { db } from './db';
import { throttledQuery } from './live.svelte';
import { groupBySeries, type SeriesGroup } from './selection';

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
  await rebuildAggregates(db, expectationsOf(checked.recipe));
  return { ok: true, name: checked.recipe.name };
}

/** The current recipe as the file an organizer sends (canonical JSON, the form its hash is taken of). */
export async function exportRecipe(): Promise<{ name: string; text: string }> {
  const recipe = await loadRecipe();
  const name = `${recipe.name.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '') || 'recipe'}.recipe.json`;
  return { name, text: `${canonicalRecipeJson(recipe)}\n` };
}

const COLUMNS_KEY = 'cleanroom.inventory.columns';

/** The table's columns (DICOM keyword paths), kept in this browser for the next visit. */
class ColumnState {
  list = $state<string[]>(readColumns());

  add(path: string): void {
    if (this.list.includes(path)) return;
    this.list = [...this.list, path];
    this.#store();
  }

  remove(path: string): void {
    this.list = this.list.filter((c) => c !== path);
    this.#store();
  }

  move(path: string, by: -1 | 1): void {
    const i = this.list.indexOf(path);
    const j = i + by;
    if (i < 0 || j < 0 || j >= this.list.length) return;
    const next = [...this.list];
    [next[i], next[j]] = [next[j], next[i]];
    this.list = next;
    this.#store();
  }

  reset(): void {
    this.list = [...DEFAULT_COLUMNS];
    this.#store();
  }

  #store(): void {
    try {
      localStorage.setItem(COLUMNS_KEY, JSON.stringify(this.list));
    } catch {
      /* storage full or disabled: the choice lasts for this visit */
    }
  }
}

function readColumns(): string[] {
  try {
    const stored: unknown = JSON.parse(localStorage.getItem(COLUMNS_KEY) ?? 'null');
    if (Array.isArray(stored) && stored.every((c) => typeof c === 'string')) return stored;
  } catch {
    /* fall through to the defaults */
  }
  return [...DEFAULT_COLUMNS];
}

export const columns = new ColumnState();

/** How often the inventory is read again while the store changes (a scan writes every few ms). */
const RELOAD_THROTTLE_MS = 1500;

/**
 * The instances as the screen shows them: read in pages (yielding between pages), grouped by series
 * once per read, and read again at most every RELOAD_THROTTLE_MS while the store changes.
 */
export class InventoryRows {
  rows = $state.raw<InstanceRecord[] | undefined>(undefined);
  groups = $state.raw<SeriesGroup[]>([]);
  /** Rows read so far during a read, for a progress line. */
  reading = $state(0);

  /** Starts reading; returns the function that stops. Call from an $effect. */
  subscribe(): () => void {
    return throttledQuery(
      () =>
        readAllInPages(db.instances, {
          onPage: (page) => {
            this.reading += page.length;
          },
        }),
      RELOAD_THROTTLE_MS,
      (rows) => {
        this.reading = 0;
        this.groups = groupBySeries(rows);
        this.rows = rows;
      },
    );
  }

  /** Applies a decision made here to the rows at once (the store write follows and is read back). */
  applyDecision(fileIds: ReadonlySet<string>, decision: 'include' | 'exclude' | undefined): void {
    if (!this.rows) return;
    this.rows = this.rows.map((row) => {
      if (!fileIds.has(row.fileId)) return row;
      const next = { ...row };
      if (decision === undefined) delete next.decision;
      else next.decision = decision;
      return next;
    });
  }
}
