// The dataset's LICENSE.txt and README.md for a package, from the recipe's dataset section (no network, no clock).
import { knownLicence, type ReadmePlaceholder } from '../profile/dataset-licences';
import type { DatasetLicence, Recipe } from '../profile/recipe';
import type { DatasetReport } from './types';

/** The recipe's licence as an object: a plain string (older recipes) is the id when it looks like one, else the text. */
export function datasetLicence(
  recipe: Pick<Recipe, 'dataset'> | undefined,
): DatasetLicence | undefined {
  const l = recipe?.dataset?.licence;
  if (l === undefined) return undefined;
  if (typeof l !== 'string') return l;
  return /^[A-Za-z0-9][A-Za-z0-9.+-]*$/.test(l.trim())
    ? { id: l.trim() }
    : { id: 'LicenseRef-recipe', text: l };
}

/**
 * LICENSE.txt: the recipe's text when it gives one; for a Creative Commons id, a notice naming the
 * licence with its deed and legal-code URLs. Undefined when the recipe names no licence.
 */
export function renderLicence(
  licence: DatasetLicence | undefined,
  datasetName?: string,
): string | undefined {
  if (!licence) return undefined;
  if (licence.text !== undefined && licence.text.trim() !== '')
    return licence.text.endsWith('\n') ? licence.text : `${licence.text}\n`;
  const known = knownLicence(licence.id);
  const subject = datasetName ? `The dataset "${datasetName}"` : 'This dataset';
  if (!known) return `${subject} is licensed under ${licence.id}.\n`;
  return [
    `${subject} is licensed under the ${known.name} licence (SPDX: ${known.id}).`,
    '',
    `Summary: ${known.url}`,
    `Full legal text: ${known.legalCode}`,
    '',
  ].join('\n');
}

export const DEFAULT_README = `# {{name}}

{{description}}

De-identified DICOM data prepared with Cleanroom at {{site}}.

- Patients: {{patients}}
- Studies: {{studies}}
- Series: {{series}}
- Images: {{instances}}
- Modalities: {{modalities}}
- Labels: {{labels}}

Licence: {{licenceName}} ({{licence}}) {{licenceUrl}}

The manifest (manifest.json, manifest.csv) lists every file with its SHA-256; recipe.json is the
recipe the package was made with; dataset-report.json and dataset-report.html describe what it
holds.
`;

export type ReadmeValues = Partial<Record<ReadmePlaceholder, string | number>>;

/** Placeholder values from a dataset report, the recipe and caller-given site and date. */
export function readmeValues(
  report: DatasetReport | undefined,
  recipe: Recipe | undefined,
  extra: { site?: string; date?: string } = {},
): ReadmeValues {
  const licence = datasetLicence(recipe);
  const known = licence ? knownLicence(licence.id) : undefined;
  const t = report?.composition.totals;
  const modality = report?.composition.dimensions.find((d) => d.name === 'Modality')?.rows ?? [];
  const labels = report?.composition.prevalence ?? [];
  return {
    name: recipe?.name ?? report?.title ?? '',
    description: recipe?.description ?? '',
    packageName: recipe?.package.name ?? '',
    site: extra.site ?? 'the contributing site',
    date: extra.date ?? '',
    patients: t?.patients ?? '',
    studies: t?.studies ?? '',
    series: t?.series ?? '',
    instances: t?.instances ?? '',
    modalities: modality.map((m) => `${m.key} ${m.instances}`).join(', '),
    labels: labels.length
      ? labels.map((l) => `${l.label} ${l.patients} patients`).join(', ')
      : 'none',
    licence: licence?.id ?? 'not stated',
    licenceName: known?.name ?? licence?.id ?? 'not stated',
    licenceUrl: known?.url ?? '',
  };
}

/** README.md: the template (the recipe's, else DEFAULT_README) with every {{placeholder}} filled; unknown ones are left as written. */
export function renderReadme(template: string | undefined, values: ReadmeValues): string {
  const text = template ?? DEFAULT_README;
  return text.replace(/\{\{\s*([^{}]*?)\s*\}\}/g, (all, name: string) => {
    const v = values[name as ReadmePlaceholder];
    return v === undefined ? all : String(v);
  });
}
