// A patient's original identifiers, gathered from the inventory rows of all their files: the
// tokens that cleaning removes from descriptions and that the review ranking looks for.
import { dateTokens, idTokens, nameTokens, placeTokens } from '../core/deid/tokens';
import type { InstanceRow } from '../core/inventory';
import type { IdentifierToken } from '../core/review/rank';

/** Keyword → what its value is, as the review screen says it ("matches the patient's name"). */
const SOURCES: readonly [keyword: string, kind: string, tokens: (value: string) => string[]][] = [
  ['PatientName', 'name', nameTokens],
  ['OtherPatientNames', 'name', nameTokens],
  ['PatientBirthName', 'name', nameTokens],
  ['PatientMotherBirthName', "mother's name", nameTokens],
  ['PatientID', 'ID', idTokens],
  ['OtherPatientIDs', 'ID', idTokens],
  ['MedicalRecordLocator', 'ID', idTokens],
  ['PatientTelephoneNumbers', 'telephone number', idTokens],
  ['PatientBirthDate', 'birth date', dateTokens],
  ['AccessionNumber', 'accession number', idTokens],
  ['PatientAddress', 'address', placeTokens],
  ['InstitutionName', 'institution', placeTokens],
  ['InstitutionAddress', 'institution address', placeTokens],
  ['InstitutionalDepartmentName', 'department', placeTokens],
  ['StationName', 'station name', placeTokens],
  ['ReferringPhysicianName', 'physician (a staff name)', nameTokens],
  ['PerformingPhysicianName', 'physician (a staff name)', nameTokens],
  ['NameOfPhysiciansReadingStudy', 'physician (a staff name)', nameTokens],
  ['RequestingPhysician', 'physician (a staff name)', nameTokens],
  ['OperatorsName', 'operator (a staff name)', nameTokens],
];

/** Keywords that name the site, not the patient (see SITE_KINDS in core/deid/identifiers). */
const SITE_SOURCES: ReadonlySet<string> = new Set([
  'InstitutionName',
  'InstitutionAddress',
  'InstitutionalDepartmentName',
  'StationName',
]);

export function isSiteToken(token: IdentifierToken): boolean {
  return token.source !== undefined && SITE_SOURCES.has(token.source);
}

/**
 * A patient's tokens as a de-identification job takes them: the patient's own, and the site's,
 * which are not cleaned from the device's identity (Manufacturer and the like).
 */
export function jobIdentifiers(tokens: readonly IdentifierToken[]): {
  identifiers: string[];
  siteIdentifiers: string[];
} {
  const identifiers: string[] = [];
  const siteIdentifiers: string[] = [];
  for (const t of tokens) (isSiteToken(t) ? siteIdentifiers : identifiers).push(t.token);
  return { identifiers, siteIdentifiers };
}

/** The keyword paths the scan reads into `row.extra` so identifiers can be gathered. */
export const IDENTIFIER_PATHS: string[] = SOURCES.map(([keyword]) => keyword);

function valuesOf(row: InstanceRow, keyword: string): string[] {
  const value = (row as unknown as Record<string, unknown>)[keyword] ?? row.extra?.[keyword];
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.flatMap((v) => String(v).split('\\')).filter((v) => v.trim() !== '');
}

/** Tokens of one row; the first kind seen wins, so the patient's own name outranks a staff name. */
export function rowIdentifierTokens(row: InstanceRow): IdentifierToken[] {
  const out = new Map<string, IdentifierToken>();
  for (const [keyword, kind, tokens] of SOURCES) {
    for (const value of valuesOf(row, keyword)) {
      for (const token of tokens(value))
        if (!out.has(token)) out.set(token, { token, kind, source: keyword });
    }
  }
  return [...out.values()];
}
