// The selection rule of the inventory: typed in the rule box, kept in the recipe (settings table)
// so the export uses the same rule and a reload shows it again.
import { defaultRecipe, validateRecipe, type Recipe } from '../../core/profile/recipe';
import { parseRule, type ParseResult } from '../../core/inventory/rules';
import { getSetting, setSetting } from '../../store';
import { db } from './db';

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
}

export const selectionRule = new RuleState();
