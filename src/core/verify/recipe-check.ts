// Which recipe a package is checked against (the organizer's, else the package's own), and whether they agree.
import { compileProfile, ProfileError } from '../profile/compile-profile';
import { recipeHash, validateRecipe, type Recipe } from '../profile/recipe';
import type { Profile } from '../profile/types';
import type { PackageDocuments } from './documents';
import type { CheckRecorder } from './recorder';

export interface RecipeResolution {
  /** The recipe the content checks use: the organizer's, else the package's. */
  recipe?: Recipe;
  profile?: Profile;
  recipeSha256?: string;
  packageRecipeSha256?: string;
}

function short(hash: string): string {
  return hash.slice(0, 12);
}

function describeErrors(errors: { path: string; message: string }[]): string {
  const shown = errors.slice(0, 3).map((e) => `${e.path}: ${e.message}`);
  const more = errors.length > 3 ? ` (and ${errors.length - 3} more)` : '';
  return `${shown.join('; ')}${more}`;
}

/** Resolves the recipe and records the 'recipe-matches' check. */
export async function resolveRecipe(
  docs: PackageDocuments,
  organizer: Recipe | undefined,
  check: CheckRecorder,
): Promise<RecipeResolution> {
  let packageRecipe: Recipe | undefined;
  let fileHash: string | undefined;
  if (docs.recipePresent) {
    check.checked++;
    if (docs.recipeProblem !== undefined) check.add('recipe.json', docs.recipeProblem);
    else {
      const valid = validateRecipe(docs.recipeJson);
      if (valid.ok) {
        packageRecipe = valid.recipe;
        fileHash = await recipeHash(valid.recipe);
      } else {
        check.add(
          'recipe.json',
          `recipe.json is not a valid recipe: ${describeErrors(valid.errors)}.`,
        );
      }
    }
  }
  const recorded = docs.manifest?.recipe;
  let packageRecipeSha256 = recorded?.sha256 ?? fileHash;
  if (recorded !== undefined) {
    check.checked++;
    if (fileHash !== undefined && recorded.sha256 !== undefined && recorded.sha256 !== fileHash) {
      check.add(
        'recipe.json',
        `recipe.json (SHA-256 ${short(fileHash)}…) is not the recipe the manifest records (${short(recorded.sha256)}…).`,
      );
    }
    if (packageRecipe === undefined && recorded.content !== undefined) {
      const valid = validateRecipe(recorded.content);
      if (valid.ok) {
        packageRecipe = valid.recipe;
        packageRecipeSha256 ??= await recipeHash(valid.recipe);
      } else if (!docs.recipePresent) {
        check.add(
          'manifest.json',
          `The recipe in manifest.json is not valid: ${describeErrors(valid.errors)}.`,
        );
      }
    }
  }

  const resolution: RecipeResolution = {
    ...(packageRecipeSha256 !== undefined ? { packageRecipeSha256 } : {}),
  };
  if (organizer !== undefined) {
    const organizerHash = await recipeHash(organizer);
    resolution.recipe = organizer;
    resolution.recipeSha256 = organizerHash;
    if (packageRecipeSha256 === undefined) {
      check.add(
        docs.recipePresent ? 'recipe.json' : '(package)',
        'The package records no usable recipe; it was checked against the recipe given.',
        'warn',
      );
    } else if (packageRecipeSha256 !== organizerHash) {
      check.add(
        docs.recipePresent ? 'recipe.json' : 'manifest.json',
        `The package was made with a different recipe (SHA-256 ${short(packageRecipeSha256)}…) than the one given (${short(organizerHash)}…); it was checked against the recipe given.`,
      );
    }
  } else if (packageRecipe !== undefined) {
    resolution.recipe = packageRecipe;
    resolution.recipeSha256 = fileHash ?? packageRecipeSha256;
  } else if (check.checked === 0) {
    check.notAvailable('The package holds no recipe and none was given.');
  }

  if (resolution.recipe !== undefined) {
    try {
      resolution.profile = compileProfile(
        resolution.recipe.deid.options,
        resolution.recipe.deid.allowList,
      );
    } catch (error) {
      const problems =
        error instanceof ProfileError ? error.problems.join('; ') : 'it cannot be compiled';
      check.add(
        organizer !== undefined ? '(recipe given)' : 'recipe.json',
        `The recipe's profile cannot be built: ${problems}.`,
      );
    }
  }
  return resolution;
}
