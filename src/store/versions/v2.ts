// Schema version 2: aggregate tables (series, studies, patients), per-root indexes, grouping keys on instances.
import type Dexie from 'dexie';

export const V2_STORES = {
  files: 'id, rootId, state, [rootId+state]',
  instances: 'fileId, rootId, seriesKey, studyKey, patientKey, SOPInstanceUID',
  series: 'seriesKey, studyKey, patientKey',
  studies: 'studyKey, patientKey',
  patients: 'patientKey',
};

interface V1Instance {
  fileId: string;
  path: string;
  PatientID?: string;
  IssuerOfPatientID?: string;
  StudyInstanceUID?: string;
  SeriesInstanceUID?: string;
}

interface V2Instance extends V1Instance {
  rootId: string;
  seriesKey: string;
  studyKey: string;
  patientKey: string;
  flags: string[];
}

const trimmed = (value: string | undefined): string => (value ?? '').replace(/[\0 ]+$/, '').trim();

/**
 * Version 1 instances lack rootId, grouping keys and flags; all are derived from what the row holds
 * (a series without a UID is grouped by its folder, root included, as the scan does).
 * The key rules are written out here (not imported from core) because a migration must keep doing
 * what it did when it was written, whatever core becomes later.
 */
export function upgradeInstanceToV2(row: V1Instance): V2Instance {
  const slash = row.fileId.indexOf('/');
  return {
    ...row,
    rootId: slash < 0 ? row.fileId : row.fileId.slice(0, slash),
    seriesKey:
      row.SeriesInstanceUID || `(no SeriesInstanceUID) ${row.fileId.replace(/[^/]*$/, '')}`,
    studyKey: row.StudyInstanceUID || `(no StudyInstanceUID) ${row.PatientID ?? ''}`,
    patientKey: `${trimmed(row.IssuerOfPatientID)}\\${trimmed(row.PatientID)}`,
    flags: [],
  };
}

export function declareV2(db: Dexie): void {
  db.version(2)
    .stores(V2_STORES)
    .upgrade(async (tx) => {
      await tx
        .table('instances')
        .toCollection()
        .modify((row: V1Instance, ref: { value: V2Instance }) => {
          ref.value = upgradeInstanceToV2(row);
        });
    });
}
