// Repository of the crosswalk: pseudonyms per patient and the UID map. PHI: it stays in IndexedDB
// and leaves only in the key file the user exports on purpose.
import type { CleanroomDb } from './db';
import { bulkPutInBatches } from './batch';
import type { PseudonymRow, UidMapRow } from './types';

export function putPseudonyms(db: CleanroomDb, rows: readonly PseudonymRow[]): Promise<void> {
  return bulkPutInBatches(db.pseudonyms, rows);
}

/** All assigned pseudonyms, keyed by patient key (the shape core `assignPseudonyms` takes as `assigned`). */
export async function assignedPseudonyms(
  db: CleanroomDb,
): Promise<Map<string, { n: number; pseudonym: string }>> {
  const assigned = new Map<string, { n: number; pseudonym: string }>();
  await db.pseudonyms.each((row) =>
    assigned.set(row.patientKey, { n: row.n, pseudonym: row.pseudonym }),
  );
  return assigned;
}

export function putUidMappings(db: CleanroomDb, rows: readonly UidMapRow[]): Promise<void> {
  return bulkPutInBatches(db.uidMap, rows);
}

/** New UIDs for the given old ones; an old UID without a mapping is absent from the result. */
export async function lookupUids(
  db: CleanroomDb,
  oldUids: readonly string[],
): Promise<Map<string, string>> {
  const rows = await db.uidMap.bulkGet([...oldUids]);
  const found = new Map<string, string>();
  for (const row of rows) if (row) found.set(row.old, row.new);
  return found;
}
