// The profile module's public face: the Profile contract, its compiler, and the recipe format.
export type {
  Action,
  AllowListExtensions,
  ElementRule,
  MethodCode,
  Profile,
  ProfileOptions,
  RuleContext,
  SafePrivateAttribute,
} from './types';
export {
  BASIC_PROFILE_CODE,
  CLEAN_PIXEL_DATA_CODE,
  ProfileError,
  compileProfile,
  resolveAttributeName,
} from './compile-profile';
export { ALLOW_LIST, REQUIRED_BY_IOD_KEPT, allowListKeywords } from './allow-list';
export { SAFE_PRIVATE, NEVER_SAFE_CREATORS } from './safe-private';
export {
  RECIPE_SCHEMA,
  RECIPE_VERSION,
  canonicalRecipeJson,
  defaultRecipe,
  parseVolumeSize,
  recipeHash,
  validateRecipe,
  type Override,
  type Recipe,
  type RecipeError,
  type RecipeValidation,
} from './recipe';
