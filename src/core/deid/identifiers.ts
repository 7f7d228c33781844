// Collects one patient's original identifiers from a data set as tokens, for the C action, review ranking and OCR.

import { tagForKeyword } from '../dicom/dictionary';
import { decodeText, charsetsOf } from '../dicom/text';
import type { Dataset, Tag } from '../dicom/types';
import {
  dateTokens,
  idTokens,
  mergeTokenSets,
  nameTokens,
  placeTokens,
  type TokenSet,
} from './tokens';

export { findTokens, mergeTokenSets, scrubText, SCRUB_MASK, type TokenSet } from './tokens';

/** What an identifier token stood for (the review ranking shows it; never the token in logs). */
export type IdentifierKind =
  | 'name'
  | 'id'
  | 'birth date'
  | 'accession'
  | 'institution'
  | 'institution address'
  | 'address'
  | 'station';

/**
 * Kinds that name the site rather than the patient. They are cleaned from free text like the
 * patient's own, except from the device's identity (Manufacturer, model, software): a maker whose
 * name is also the hospital's ("TOSHIBA" and "TOSHIBA_MEC") is not the patient.
 */
export const SITE_KINDS: ReadonlySet<IdentifierKind> = new Set([
  'institution',
  'institution address',
  'station',
]);

/** One token with its kind, the shape the review ranking consumes. */
export interface IdentifierToken {
  token: string;
  kind: IdentifierKind;
}

/** Elements whose values identify the patient, by what kind of token they give. Any PN element counts as a name. */
const SOURCES: Record<Exclude<IdentifierKind, 'name'>, string[]> & { name: string[] } = {
  name: ['PatientName', 'OtherPatientNames', 'PatientBirthName', 'PatientMotherBirthName'],
  id: [
    'PatientID',
    'OtherPatientIDs',
    'IssuerOfPatientID',
    'MedicalRecordLocator',
    'PatientTelephoneNumbers',
    'ReferringPhysicianTelephoneNumbers',
    'MilitaryRank',
  ],
  'birth date': ['PatientBirthDate'],
  accession: ['AccessionNumber'],
  institution: ['InstitutionName', 'InstitutionalDepartmentName'],
  'institution address': ['InstitutionAddress'],
  address: [
    'PatientAddress',
    'ReferringPhysicianAddress',
    'CountryOfResidence',
    'RegionOfResidence',
  ],
  station: ['StationName'],
};

let sourceTags: Map<Tag, IdentifierKind> | undefined;

function tagKinds(): Map<Tag, IdentifierKind> {
  if (!sourceTags) {
    sourceTags = new Map();
    for (const [kind, keywords] of Object.entries(SOURCES) as [IdentifierKind, string[]][]) {
      for (const keyword of keywords) {
        const tag = tagForKeyword(keyword);
        if (tag !== undefined) sourceTags.set(tag, kind);
      }
    }
  }
  return sourceTags;
}

/**
 * Tokens already derived, by kind and value: the files of one series repeat the same names, IDs
 * and places, and deriving tokens (Unicode normalization, regular expressions) costs more than
 * looking them up. Bounded; cleared when full. It holds PHI only in this thread's memory, as the
 * data sets themselves do.
 */
const tokenMemo = new Map<string, readonly string[]>();
const MAX_MEMO = 4096;

function tokensOf(kind: IdentifierKind, value: string): readonly string[] {
  const key = `${kind}\0${value}`;
  const known = tokenMemo.get(key);
  if (known !== undefined) return known;
  const tokens = deriveTokens(kind, value);
  if (tokenMemo.size >= MAX_MEMO) tokenMemo.clear();
  tokenMemo.set(key, tokens);
  return tokens;
}

function deriveTokens(kind: IdentifierKind, value: string): string[] {
  switch (kind) {
    case 'name':
      return nameTokens(value);
    case 'birth date':
      return dateTokens(value);
    case 'id':
    case 'accession':
      return idTokens(value);
    default:
      return placeTokens(value);
  }
}

function collect(ds: Dataset, inherited: string[], out: Map<string, IdentifierKind>): void {
  const charsets = charsetsOf(ds, inherited);
  const kinds = tagKinds();
  for (const el of ds.values()) {
    if (el.items) {
      for (const item of el.items) collect(item, charsets, out);
      continue;
    }
    if (!el.bytes) continue;
    const kind = el.vr === 'PN' ? 'name' : kinds.get(el.tag);
    if (kind === undefined) continue;
    const value = decodeText(el.bytes, charsets, el.vr).replace(/[\0 ]+$/, '');
    for (const token of tokensOf(kind, value)) {
      // A token that is both the patient's and the site's counts as the patient's.
      const had = out.get(token);
      if (had === undefined || (SITE_KINDS.has(had) && !SITE_KINDS.has(kind))) out.set(token, kind);
    }
  }
}

/**
 * Every identifier of the patient in one data set, at any depth: all person names (the patient's
 * and every physician's and operator's), IDs and other IDs, the birth date in the ways people
 * write it, accession number, institution name, department and address, and the station name.
 * Text is decoded with each data set's own character set.
 */
export function collectIdentifierTokens(ds: Dataset, charsets?: string[]): IdentifierToken[] {
  const out = new Map<string, IdentifierKind>();
  collect(ds, charsets ?? [], out);
  return [...out].map(([token, kind]) => ({ token, kind }));
}

/** The identifiers of one data set as a token set; merge the sets of a patient's instances with mergeTokenSets. */
export function collectIdentifiers(ds: Dataset, charsets?: string[]): TokenSet {
  return mergeTokenSets(collectIdentifierTokens(ds, charsets).map((t) => t.token));
}

/** One data set's identifiers split into the patient's own and the site's (SITE_KINDS). */
export function collectIdentifierSets(
  ds: Dataset,
  charsets?: string[],
): { patient: TokenSet; site: TokenSet } {
  const patient = new Set<string>();
  const site = new Set<string>();
  for (const t of collectIdentifierTokens(ds, charsets))
    (SITE_KINDS.has(t.kind) ? site : patient).add(t.token);
  return { patient, site };
}
