// The dataset section of a recipe: the Creative Commons licences Cleanroom knows by SPDX id (names and
// URLs only, shipped as data: no network) and the placeholders a readme template may use.

export interface KnownLicence {
  /** SPDX identifier. */
  id: string;
  name: string;
  /** The licence deed (human-readable summary). */
  url: string;
  /** The full legal code. */
  legalCode: string;
}

/** Names and URLs as published by Creative Commons (creativecommons.org); SPDX ids from spdx.org/licenses. */
export const CREATIVE_COMMONS_LICENCES: readonly KnownLicence[] = [
  {
    id: 'CC0-1.0',
    name: 'CC0 1.0 Universal (Public Domain Dedication)',
    url: 'https://creativecommons.org/publicdomain/zero/1.0/',
    legalCode: 'https://creativecommons.org/publicdomain/zero/1.0/legalcode',
  },
  ...(
    [
      ['BY', 'by', 'Attribution'],
      ['BY-SA', 'by-sa', 'Attribution-ShareAlike'],
      ['BY-NC', 'by-nc', 'Attribution-NonCommercial'],
      ['BY-NC-SA', 'by-nc-sa', 'Attribution-NonCommercial-ShareAlike'],
      ['BY-ND', 'by-nd', 'Attribution-NoDerivatives'],
      ['BY-NC-ND', 'by-nc-nd', 'Attribution-NonCommercial-NoDerivatives'],
    ] as const
  ).map(([id, path, words]) => ({
    id: `CC-${id}-4.0`,
    name: `Creative Commons ${words} 4.0 International`,
    url: `https://creativecommons.org/licenses/${path}/4.0/`,
    legalCode: `https://creativecommons.org/licenses/${path}/4.0/legalcode`,
  })),
];

export function knownLicence(id: string): KnownLicence | undefined {
  const wanted = id.trim().toUpperCase();
  return CREATIVE_COMMONS_LICENCES.find((l) => l.id.toUpperCase() === wanted);
}

/** SPDX-style identifier: letters, digits, '.', '-', '+'. */
export const LICENCE_ID = /^[A-Za-z0-9][A-Za-z0-9.+-]*$/;

/** What `{{placeholder}}` may name in a dataset readme template. */
export const README_PLACEHOLDERS = [
  'name',
  'description',
  'packageName',
  'site',
  'date',
  'patients',
  'studies',
  'series',
  'instances',
  'modalities',
  'labels',
  'licence',
  'licenceName',
  'licenceUrl',
] as const;

export type ReadmePlaceholder = (typeof README_PLACEHOLDERS)[number];

/** The `{{name}}` placeholders of a template, in order of appearance (spaces inside the braces allowed). */
export function readmePlaceholders(template: string): string[] {
  return [...template.matchAll(/\{\{\s*([^{}]*?)\s*\}\}/g)].map((m) => m[1]);
}
