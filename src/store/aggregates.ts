// Repository of the aggregate tables (series, studies, patients) and of the per-instance QA flags.
import type { CleanroomDb } from './db';
import { bulkPutInBatches, PUT_BATCH_SIZE } from './batch';
import type { FileId, InstanceRecord, PatientRow, SeriesRow, StudyRow } from './types';

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

/**
 * Stores recomputed QA flags for the given instances (as read for the recomputation); only rows whose
 * flags changed are written, and a row changed since it was read keeps its other fields. Writes go in
 * transactions of PUT_BATCH_SIZE rows with `pause` between them, so a page that runs this stays
 * responsive; flags are derived data, recomputed by every scan, so a partial write is harmless.
 */
export async function setInstanceFlags(
  db: CleanroomDb,
  records: readonly InstanceRecord[],
  flags: ReadonlyMap<FileId, string[]>,
  options: { pause?: () => Promise<void>; size?: number } = {},
): Promise<number> {
  const changed = records.filter((row) => {
    const next = flags.get(row.fileId) ?? [];
    return next.length !== row.flags.length || next.some((flag, i) => flag !== row.flags[i]);
  });
  const size = options.size ?? PUT_BATCH_SIZE;
  for (let start = 0; start < changed.length; start += size) {
    if (start > 0) await options.pause?.();
    const ids = changed.slice(start, start + size).map((row) => row.fileId);
    await db.transaction('rw', db.instances, async () => {
      const current = await db.instances.bulkGet(ids);
      const updated = current
        .filter((row): row is InstanceRecord => row !== undefined)
        .map((row) => ({ ...row, flags: flags.get(row.fileId) ?? [] }));
      await db.instances.bulkPut(updated);
    });
  }
  return changed.length;
}
