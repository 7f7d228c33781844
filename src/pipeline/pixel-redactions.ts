// Which boxes the export fills in each file: the approved findings of the Pixels step, read once
// from the store before a run, handed to the de-identification jobs file by file.
import type { CleanroomDb } from '../store/db';
import type { FileId, PixelFindingRow } from '../store/types';
import type { DeidJob } from '../../workers/deid-api';

export type RedactionPlan = ReadonlyMap<string, NonNullable<DeidJob['redaction']>>;

/**
 * The redaction of one finding, or undefined when there is nothing to fill. A finding with boxes
 * that nobody approved still gets its boxes (the export gate stops such a run in the app; the
 * command line has no reviewer, and a box found is never dropped), but BurnedInAnnotation stays
 * YES because no person looked.
 */
export function redactionOf(row: PixelFindingRow): DeidJob['redaction'] {
  if (row.boxes.length === 0) return undefined;
  return {
    boxes: row.boxes.map(({ x, y, w, h, frame, source, reason }) => ({
      x,
      y,
      w,
      h,
      ...(frame === undefined ? {} : { frame }),
      source,
      reason,
    })),
    ...(row.approvedBy ? { reviewedBy: row.approvedBy } : {}),
  };
}

/** Reads the findings of the files to export and keeps those with boxes. */
export async function readRedactionPlan(
  db: CleanroomDb,
  fileIds: readonly string[],
): Promise<RedactionPlan> {
  const plan = new Map<string, NonNullable<DeidJob['redaction']>>();
  const rows = await db.pixelFindings.bulkGet(fileIds as FileId[]);
  for (const row of rows) {
    const redaction = row && redactionOf(row);
    if (row && redaction) plan.set(row.fileId, redaction);
  }
  return plan;
}
