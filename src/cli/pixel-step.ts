// The export's pixel step on the command line: the same pixel scan the Pixels screen runs (worker
// threads instead of Web Workers), then every box found is redacted. No person approves on the
// command line, so BurnedInAnnotation stays YES and the report says the boxes were not reviewed.
import { readFile } from 'node:fs/promises';
import { parseCtpScript } from '../core/pixels/templates';
import type { Recipe } from '../core/profile/recipe';
import { readRedactionPlan, type RedactionPlan } from '../pipeline/pixel-redactions';
import { pixelRulesOf, startPixelScan, type PixelScanSummary } from '../pipeline/pixel-scan';
import type { PlannedFile } from '../pipeline/plan';
import type { ProgressReporter } from './progress';
import { pixelsPool, type ScannedFolder } from './session';

export interface PixelStep {
  redactions: RedactionPlan;
  summary: PixelScanSummary | undefined;
}

export async function runPixelStep(
  scanned: ScannedFolder,
  planned: readonly PlannedFile[],
  recipe: Recipe,
  workers: number,
  progress: ProgressReporter,
): Promise<PixelStep> {
  if (recipe.pixels?.mode === 'off') return { redactions: new Map(), summary: undefined };
  const wanted = new Set(planned.map((p) => p.file.fileId));
  const files = scanned.instances
    .filter((row) => wanted.has(row.fileId))
    .map((row) => ({
      fileId: row.fileId,
      row,
      read: async () => {
        const bytes = await readFile(scanned.absolutePath(row.fileId));
        return bytes.buffer.slice(
          bytes.byteOffset,
          bytes.byteOffset + bytes.byteLength,
        ) as ArrayBuffer;
      },
    }));
  const templates = recipe.pixels?.templates
    ? parseCtpScript(recipe.pixels.templates).templates
    : [];
  const pool = pixelsPool(workers);
  try {
    const summary = await startPixelScan({
      db: scanned.db,
      files,
      pool,
      rules: pixelRulesOf(recipe, templates),
      onProgress: (p) => progress.update({ step: 'pixels', done: p.done, total: p.total }),
    }).done;
    return {
      redactions: await readRedactionPlan(scanned.db, [...wanted]),
      summary,
    };
  } finally {
    pool.terminate();
  }
}
