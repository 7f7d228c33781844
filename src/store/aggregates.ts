// Repository of the aggregate tables (series, studies, patients) and of the per-instance QA flags.
import type { CleanroomDb } from './db';
import { bulkPutInBatches } from './batch';
import type { FileId, PatientRow, SeriesRow, StudyRow } from './types';

export interface Aggregates {
  series: SeriesRow[];
  studies: StudyRow[];
  patients: PatientRow[];
}

/** Replaces all three aggregate tables at once, so no reader ever sees a half-written inventory. */
export async function replaceAggregates(db: CleanroomDb, aggregates: Aggregates): Promise<void> {
  await db.transaction('rw', [db.series, db.studies, db.patients], async () => {
    await Promise.all([db.series.clear(), db.studies.clear(), db.patients.clear()]);
    await bulkPutInBatches(db.series, aggregates.series);
    await bulkPutInBatches(db.studies, aggregates.studies);
    await bulkPutInBatches(db.patients, aggregates.patients);
  });
}

/** Stores recomputed QA flags; only rows whose flags changed are written. */
export async function setInstanceFlags(
  db: CleanroomDb,
  flags: ReadonlyMap<FileId, string[]>,
): Promise<void> {
  await db.transaction('rw', db.instances, async () => {
    await db.instances.toCollection().modify((row) => {
      const next = flags.get(row.fileId) ?? [];
      if (next.length !== row.flags.length || next.some((flag, i) => flag !== row.flags[i]))
        row.flags = next;
    });
  });
}
