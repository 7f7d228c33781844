// Schema version 1: the tables the first steps need (folders, files, instances, runs, settings, maps).
import type Dexie from 'dexie';

export const V1_STORES = {
  roots: 'id, kind, addedAt',
  files: 'id, rootId, state',
  instances: 'fileId, SOPInstanceUID, SeriesInstanceUID, StudyInstanceUID, PatientID',
  runs: 'id, kind, state, startedAt',
  settings: 'key',
  pseudonyms: 'patientKey, &pseudonym, n',
  uidMap: 'old, new',
};

export function declareV1(db: Dexie): void {
  db.version(1).stores(V1_STORES);
}
