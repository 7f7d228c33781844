// The plan the Review step runs on: the current selection, its files, each patient's pseudonym,
// date shift and identifiers, and the de-identification setup (shared by the dry run and the
// before/after listing, so both see exactly what the export will do).
import { importSecret } from '../../core/deid/keyed-hash';
import type { Recipe } from '../../core/profile/recipe';
import { rowIdentifierTokens } from '../../pipeline/identifiers';
import { planEntries, planPatients, type PlannedFile } from '../../pipeline/plan';
import { assignedPseudonyms } from '../../store';
import type { DeidSetup } from '../../../workers/deid-api';
import { db } from './db';
import { loadRecipe } from './inventory.svelte';
import { runFilesOf, selectedInstances, SelectionProblem } from './review-files';
import { projectSecretBytes } from './review-store';

export interface ReviewPlan {
  recipe: Recipe;
  planned: PlannedFile[];
  setup: DeidSetup;
}

export async function planReview(setupId: string): Promise<ReviewPlan> {
  const recipe = await loadRecipe();
  const rows = await selectedInstances(recipe);
  if (rows.length === 0)
    throw new SelectionProblem('Nothing is selected. Choose series in the Inventory first.');
  const files = await runFilesOf(rows);
  const secret = await projectSecretBytes();
  const key = await importSecret(secret);
  const patients = await planPatients(
    rows,
    rowIdentifierTokens,
    recipe,
    key,
    await assignedPseudonyms(db),
  );
  return {
    recipe,
    planned: planEntries(files, patients),
    setup: {
      id: setupId,
      options: recipe.deid.options,
      allowList: recipe.deid.allowList,
      overrides: recipe.deid.overrides,
      secret: secret.slice().buffer,
    },
  };
}
