// Schema version 3: burned-in text findings per image, device templates, and export jobs (resume).
import type Dexie from 'dexie';

export const V3_STORES = {
  /** One row per image file: what the pixel scan found and what the reviewer decided. */
  pixelFindings: 'fileId, seriesKey, status, signature, [status+signature]',
  /** Device templates: rectangles keyed by header conditions. */
  templates: 'id, signature',
  /** Export jobs: the plan's identity and which volumes are finished, to resume after a closed tab. */
  exportJobs: 'id, state',
};

export function declareV3(db: Dexie): void {
  db.version(3).stores(V3_STORES);
}
