// The recipe's dataset section: licence (SPDX id, Creative Commons known by name), readme template, expected counts; old recipes stay valid.
import { describe, expect, it } from 'vitest';
import { defaultRecipe, validateRecipe, type Recipe, type RecipeError } from './recipe';
import { CREATIVE_COMMONS_LICENCES, LICENCE_ID, knownLicence } from './dataset-licences';
import schema from './recipe.schema.json';

function errorsWith(dataset: unknown): RecipeError[] {
  const r = { ...defaultRecipe(), dataset } as unknown as Recipe;
  const v = validateRecipe(r);
  return v.ok ? [] : v.errors;
}

describe('recipe dataset section', () => {
  it('old recipes stay valid: no dataset, or licence and readme as plain strings', () => {
    expect(validateRecipe(defaultRecipe()).ok).toBe(true);
    expect(errorsWith({ licence: 'CC-BY-4.0', readme: 'Data of {{site}}' })).toEqual([]);
    expect(errorsWith({})).toEqual([]);
  });

  it('a Creative Commons licence needs only its id; another licence needs its text', () => {
    expect(errorsWith({ licence: { id: 'CC-BY-NC-4.0' }, readme: '# {{name}}' })).toEqual([]);
    expect(errorsWith({ licence: { id: 'cc0-1.0' } })).toEqual([]);
    expect(errorsWith({ licence: { id: 'MIT' } })).toEqual([
      {
        path: 'dataset.licence.text',
        message: expect.stringContaining('is required for "MIT"'),
      },
    ]);
    expect(
      errorsWith({ licence: { id: 'LicenseRef-Site', text: 'Use for research only.' } }),
    ).toEqual([]);
  });

  it('a licence id that is not SPDX-shaped, a missing id, an unknown key are reported at their path', () => {
    expect(errorsWith({ licence: { id: 'CC BY 4.0' } }).map((e) => e.path)).toEqual([
      'dataset.licence.id',
    ]);
    expect(errorsWith({ licence: { text: 'x' } }).map((e) => e.path)).toEqual([
      'dataset.licence.id',
    ]);
    expect(errorsWith({ licence: { id: 'CC0-1.0', url: 'x' } }).map((e) => e.path)).toEqual([
      'dataset.licence.url',
    ]);
  });

  it('an unknown readme placeholder is reported with the allowed ones', () => {
    expect(errorsWith({ readme: '{{ patients }} patients from {{hospital}}' })).toEqual([
      {
        path: 'dataset.readme',
        message: expect.stringMatching(/^unknown placeholder \{\{hospital\}\}; allowed: name, /),
      },
    ]);
  });

  it('expected counts are whole numbers of 0 or more', () => {
    expect(errorsWith({ expected: { patients: 100, byLabel: { pos: 30, neg: 70 } } })).toEqual([]);
    expect(
      errorsWith({ expected: { patients: -1, byModality: { CT: 1.5 } } }).map((e) => e.path),
    ).toEqual(['dataset.expected.patients', 'dataset.expected.byModality.CT']);
  });

  it('the schema allows both licence forms with the same id pattern as the validator', () => {
    const licence = schema.properties.dataset.properties.licence;
    expect(licence.oneOf.map((o) => o.type)).toEqual(['string', 'object']);
    expect(licence.oneOf[1].properties?.id.pattern).toBe(LICENCE_ID.source);
    expect(Object.keys(schema.properties.dataset.properties)).toEqual([
      'licence',
      'readme',
      'split',
      'expected',
    ]);
  });

  it('ships the seven Creative Commons licences by SPDX id with their URLs', () => {
    expect(CREATIVE_COMMONS_LICENCES.map((l) => l.id)).toEqual([
      'CC0-1.0',
      'CC-BY-4.0',
      'CC-BY-SA-4.0',
      'CC-BY-NC-4.0',
      'CC-BY-NC-SA-4.0',
      'CC-BY-ND-4.0',
      'CC-BY-NC-ND-4.0',
    ]);
    expect(knownLicence('CC-BY-4.0')?.url).toBe('https://creativecommons.org/licenses/by/4.0/');
    expect(knownLicence('CC-BY-NC-ND-4.0')?.legalCode).toBe(
      'https://creativecommons.org/licenses/by-nc-nd/4.0/legalcode',
    );
  });
});
