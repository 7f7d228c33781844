// Turns a scanned folder and a recipe into the planned files of a dry run or an export, with the
// same planner the browser's Export screen uses (so both plan the same package).
import { readFileWithRoom } from '../platform/node/read-file-with-room';
import { transferListOf } from '../../workers/file-source';
import type { ProgressReporter } from './progress';
import { deidPool, scanFolder } from './session';
import type { DeidCall } from '../pipeline/deid-run';
import { CliError } from './args';
import type { ScannedFolder } from './session';
import type { PlannedFile } from '../pipeline/plan';
import type { DeidSetup } from '../../workers/deid-api';
import {
  planExport,
  selectRows,
  SelectionRuleError,
  type ExportPlan,
} from '../pipeline/export-plan';
import type { Recipe } from '../core/profile/recipe';

export async function planRun(
  scanned: ScannedFolder,
  recipe: Recipe,
  secret: Uint8Array,
): Promise<ExportPlan> {
  let rows;
  try {
    rows = selectRows(scanned.instances, recipe);
  } catch (error) {
    if (error instanceof SelectionRuleError) throw new CliError(error.message);
    throw error;
  }
  return planExport(
    rows,
    recipe,
    secret,
    // A buffer of its own per file, moved to the worker; its room saves copying the image there.
    (row) => readFileWithRoom(scanned.absolutePath(row.fileId)),
    'cli',
  );
}

export interface DeidRun {
  scanned: ScannedFolder;
  planned: PlannedFile[];
  setup: DeidSetup;
  /** One file through a worker thread, its bytes transferred rather than copied. */
  deid: DeidCall;
  /** Files in flight: enough to keep every worker busy. */
  window: number;
}

/**
 * What `dump` and `export` share: scan the folder, plan the selected files, start the worker pool,
 * run `step`, and always stop the threads and drop the in-memory store afterwards.
 */
export async function withDeidRun<T>(
  input: string,
  options: { recipe: Recipe; secret: Uint8Array; workers: number; progress: ProgressReporter },
  step: (run: DeidRun) => Promise<T>,
): Promise<T> {
  const scanned = await scanFolder(input, options);
  const pool = deidPool(options.workers);
  try {
    const { planned, setup } = await planRun(scanned, options.recipe, options.secret);
    if (planned.length === 0) throw new CliError(nothingToDo(input, scanned));
    return await step({
      scanned,
      planned,
      setup,
      deid: (job) => pool.call('deidentifyFile', [job], transferListOf(job.source)),
      window: options.workers * 2,
    });
  } finally {
    pool.terminate();
    await scanned.db.delete();
  }
}

/** Why a run has no file to work on, in words that say what to do next. */
function nothingToDo(input: string, scanned: ScannedFolder): string {
  const seen = scanned.instances.length + scanned.rejected.length;
  if (scanned.instances.length === 0)
    return seen === 0
      ? `nothing to do: the input folder ${input} holds no files`
      : `nothing to do: none of the ${seen} files in ${input} is a DICOM instance; \`cleanroom scan ${input} --out inventory.csv\` lists each file with the reason it was left aside`;
  return `nothing to do: the recipe's selection matches none of the ${scanned.instances.length} DICOM instances in ${input}; \`cleanroom scan ${input} --out inventory.csv --recipe <recipe>\` shows what the rules see`;
}
