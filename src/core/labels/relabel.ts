// Maps a site's labels from original identifiers to the pseudonymous ones the package carries.
import { shortIdentifier } from '../deid/pseudonyms';
import type { LabelKeyColumn } from './labels-csv';

/** The store's pseudonym row (`patientKey` = IssuerOfPatientID + '\' + PatientID) or a key-file row. */
export type PatientPair =
  { patientKey: string; pseudonym: string } | { id_old: string; id_new: string };
/** The store's UID map row or a key-file row. */
export type IdentifierPair = { old: string; new: string } | { id_old: string; id_new: string };

/** What the export knows about original ↔ new identifiers (src/store/types.ts and the key file shapes). */
export interface LabelCrosswalk {
  /** PatientID labels. */
  patients?: Iterable<PatientPair>;
  /** StudyInstanceUID, SeriesInstanceUID and SOPInstanceUID labels (the run's UID map). */
  uids?: Iterable<IdentifierPair>;
  /** AccessionNumber labels: original → keyed value written into the package (see `accessionPairs`). */
  accessions?: Iterable<IdentifierPair>;
}

export interface Relabelled {
  /** Pseudonymous key → label: what goes into the package's labels.csv. */
  labels: Map<string, string>;
  keyColumn: LabelKeyColumn;
  /** Original keys with no counterpart in this export (PHI: show at the site only, never package them). */
  unmatched: string[];
  /**
   * Original keys that stand for more than one new key (one PatientID under two issuers): their
   * label goes to every one of them, and the count says how many such keys there were.
   */
  ambiguous: number;
}

function pairOf(p: PatientPair | IdentifierPair): [string, string] {
  if ('patientKey' in p) return [p.patientKey, p.pseudonym];
  if ('id_old' in p) return [p.id_old, p.id_new];
  return [p.old, p.new];
}

/** The PatientID part of a patient key ('ISSUER\ID' or '\ID' or a key file's 'ID'). */
function patientIdOf(key: string): string {
  const slash = key.lastIndexOf('\\');
  return slash < 0 ? key : key.slice(slash + 1);
}

/**
 * Relabels original keys with the new ones. PatientID labels match on PatientID whatever the
 * issuer; UID labels match the run's UID map; AccessionNumber labels need `crosswalk.accessions`.
 * A new key that two original keys with different labels reach keeps the first, in file order.
 */
export function relabel(
  parsed: { labels: ReadonlyMap<string, string>; keyColumn: LabelKeyColumn },
  crosswalk: LabelCrosswalk,
): Relabelled {
  const forward = new Map<string, Set<string>>();
  const add = (from: string, to: string) => {
    let set = forward.get(from);
    if (!set) forward.set(from, (set = new Set()));
    set.add(to);
  };
  const source =
    parsed.keyColumn === 'PatientID'
      ? crosswalk.patients
      : parsed.keyColumn === 'AccessionNumber'
        ? crosswalk.accessions
        : crosswalk.uids;
  for (const p of source ?? []) {
    const [from, to] = pairOf(p);
    add(parsed.keyColumn === 'PatientID' ? patientIdOf(from) : from.trim(), to);
  }
  const labels = new Map<string, string>();
  const unmatched: string[] = [];
  let ambiguous = 0;
  for (const [key, label] of parsed.labels) {
    const targets = forward.get(key.trim());
    if (!targets || targets.size === 0) {
      unmatched.push(key);
      continue;
    }
    if (targets.size > 1) ambiguous++;
    for (const t of targets) if (!labels.has(t)) labels.set(t, label);
  }
  return { labels, keyColumn: parsed.keyColumn, unmatched, ambiguous };
}

/**
 * Original AccessionNumbers → the keyed values the export writes (core/deid `shortIdentifier`
 * with the project secret), for `LabelCrosswalk.accessions`.
 */
export async function accessionPairs(
  accessionNumbers: Iterable<string>,
  secret: CryptoKey,
): Promise<{ old: string; new: string }[]> {
  const out: { old: string; new: string }[] = [];
  for (const a of new Set(accessionNumbers)) {
    const replaced = await shortIdentifier('AccessionNumber', a, secret);
    if (replaced !== '') out.push({ old: a, new: replaced });
  }
  return out;
}
