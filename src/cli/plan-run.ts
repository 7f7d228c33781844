// Turns a scanned folder and a recipe into the planned files of a dry run or an export, with the
// same planner the browser's Export screen uses (so both plan the same package).
import { readFile } from 'node:fs/promises';
import { CliError } from './args';
import type { ScannedFolder } from './session';
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
    async (row) => {
      const bytes = await readFile(scanned.absolutePath(row.fileId));
      // A fresh ArrayBuffer of exactly the file, so it can be transferred to the worker.
      return bytes.buffer.slice(
        bytes.byteOffset,
        bytes.byteOffset + bytes.byteLength,
      ) as ArrayBuffer;
    },
    'cli',
  );
}
