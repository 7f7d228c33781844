// Repository of instances: manual decisions, flags and the counts the inventory screen shows.
import type { CleanroomDb } from './db';
import type { Decision, FileId, InstanceRecord } from './types';

/** Sets (or with `undefined`, clears) the manual include/exclude decision of some instances. */
export async function setDecision(
  db: CleanroomDb,
  fileIds: readonly FileId[],
  decision: Decision | undefined,
): Promise<void> {
  await db.transaction('rw', db.instances, async () => {
    await db.instances
      .where('fileId')
      .anyOf([...fileIds])
      .modify((row) => {
        if (decision === undefined) delete row.decision;
        else row.decision = decision;
      });
  });
}

export function instancesOfSeries(
  db: CleanroomDb,
  seriesInstanceUID: string,
): Promise<InstanceRecord[]> {
  return db.instances.where('SeriesInstanceUID').equals(seriesInstanceUID).toArray();
}

export function instancesOfRoot(db: CleanroomDb, rootId: string): Promise<InstanceRecord[]> {
  return db.instances.where('rootId').equals(rootId).toArray();
}

export interface InventoryCounts {
  roots: number;
  files: number;
  pending: number;
  indexed: number;
  rejected: number;
  instances: number;
  series: number;
  studies: number;
  patients: number;
  /** Instances the user excluded by hand. */
  excluded: number;
  /** Instances with at least one QA flag. */
  flagged: number;
}

/** Every count of the inventory in one read transaction (cheap: index counts, one pass for flags). */
export async function inventoryCounts(db: CleanroomDb): Promise<InventoryCounts> {
  return db.transaction(
    'r',
    [db.roots, db.files, db.instances, db.series, db.studies, db.patients],
    async () => {
      const [roots, files, pending, indexed, rejected, instances, series, studies, patients] =
        await Promise.all([
          db.roots.count(),
          db.files.count(),
          db.files.where('state').equals('pending').count(),
          db.files.where('state').equals('indexed').count(),
          db.files.where('state').equals('rejected').count(),
          db.instances.count(),
          db.series.count(),
          db.studies.count(),
          db.patients.count(),
        ]);
      let excluded = 0;
      let flagged = 0;
      await db.instances.each((row) => {
        if (row.decision === 'exclude') excluded++;
        if (row.flags.length > 0) flagged++;
      });
      return {
        roots,
        files,
        pending,
        indexed,
        rejected,
        instances,
        series,
        studies,
        patients,
        excluded,
        flagged,
      };
    },
  );
}
