// LICENSE.txt and README.md for a package: Creative Commons notices from data, the recipe's own text, filled placeholders.
import { describe, expect, it } from 'vitest';
import { defaultRecipe, type Recipe } from '../profile/recipe';
import { buildDatasetReport } from './build-report';
import {
  DEFAULT_README,
  datasetLicence,
  readmeValues,
  renderLicence,
  renderReadme,
} from './licence';
import type { ReportRow } from './types';

const recipe = (dataset: Recipe['dataset']): Recipe => ({
  ...defaultRecipe(),
  name: 'Lung nodules',
  dataset,
});

describe('renderLicence', () => {
  it('a Creative Commons id gives a notice with the licence name, deed and legal code URLs', () => {
    const text = renderLicence(
      datasetLicence(recipe({ licence: { id: 'CC-BY-4.0' } })),
      'Lung nodules',
    )!;
    expect(text).toBe(
      'The dataset "Lung nodules" is licensed under the Creative Commons Attribution 4.0 International licence (SPDX: CC-BY-4.0).\n\n' +
        'Summary: https://creativecommons.org/licenses/by/4.0/\n' +
        'Full legal text: https://creativecommons.org/licenses/by/4.0/legalcode\n',
    );
  });

  it("the recipe's own text is written as given; an old string licence reads as the id", () => {
    expect(renderLicence({ id: 'LicenseRef-x', text: 'Research use only.' })).toBe(
      'Research use only.\n',
    );
    expect(datasetLicence(recipe({ licence: 'CC0-1.0' }))).toEqual({ id: 'CC0-1.0' });
    expect(renderLicence(datasetLicence(recipe({ licence: 'CC0-1.0' })))).toContain(
      'CC0 1.0 Universal',
    );
    expect(datasetLicence(recipe({ licence: 'Use it kindly, please.' }))?.text).toBe(
      'Use it kindly, please.',
    );
    expect(renderLicence(undefined)).toBeUndefined();
  });
});

describe('renderReadme', () => {
  const rows: ReportRow[] = [
    { patient: 'S-1', study: 'a', series: 'a1', values: { Modality: 'CT' } },
    { patient: 'S-1', study: 'a', series: 'a1', values: { Modality: 'CT' } },
    { patient: 'S-2', study: 'b', series: 'b1', values: { Modality: 'MR' } },
  ];
  const labels = {
    labels: new Map([
      ['S-1', 'pos'],
      ['S-2', 'neg'],
    ]),
    keyColumn: 'PatientID' as const,
  };

  it('fills every placeholder from the report, the recipe, the site and the date', () => {
    const r = recipe({
      licence: { id: 'CC-BY-NC-4.0' },
      readme:
        '# {{name}}\n{{ patients }} patients, {{instances}} images ({{modalities}}); {{labels}}. {{site}}, {{date}}. {{licenceName}} {{licenceUrl}}',
    });
    const report = buildDatasetReport({ rows, labels, recipe: r, leakage: { permutations: 10 } });
    const text = renderReadme(
      r.dataset!.readme,
      readmeValues(report, r, { site: 'North', date: '2025-01-31' }),
    );
    expect(text).toBe(
      '# Lung nodules\n2 patients, 3 images (CT 2, MR 1); pos 1 patients, neg 1 patients. North, 2025-01-31. Creative Commons Attribution-NonCommercial 4.0 International https://creativecommons.org/licenses/by-nc/4.0/',
    );
  });

  it('without a template uses the default one, with no placeholder left', () => {
    const report = buildDatasetReport({ rows });
    const text = renderReadme(
      undefined,
      readmeValues(report, recipe(undefined), { site: 'X', date: 'D' }),
    );
    expect(DEFAULT_README).toContain('{{patients}}');
    expect(text).not.toMatch(/\{\{/);
    expect(text).toContain('- Patients: 2');
    expect(text).toContain('Licence: not stated');
  });
});
