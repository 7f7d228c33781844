// Turns a scanned folder and a recipe into the planned files of a dry run or an export.
import { readFile } from 'node:fs/promises';
import { CliError } from './args';
import type { ScannedFolder } from './session';
import { compileSelection } from '../pipeline/selection';
import { planEntries, planPatients, type PlannedFile, type RunFile } from '../pipeline/plan';
import { rowIdentifierTokens } from '../pipeline/identifiers';
import { importSecret } from '../core/deid/keyed-hash';
import type { Recipe } from '../core/profile/recipe';
import type { DeidSetup } from '../../workers/deid-api';

export async function planRun(
  scanned: ScannedFolder,
  recipe: Recipe,
  secret: Uint8Array,
): Promise<{ planned: PlannedFile[]; setup: DeidSetup }> {
  const selection = compileSelection(scanned.instances, recipe.selection);
  if (!selection.ok) {
    throw new CliError(
      `the recipe's selection rule has an error at column ${selection.error.position + 1}: ${selection.error.message}`,
    );
  }
  const rows = scanned.instances.filter(selection.selected);
  const files: RunFile[] = rows.map((row) => ({
    fileId: row.fileId,
    row,
    read: async () => {
      const bytes = await readFile(scanned.absolutePath(row.fileId));
      // A fresh ArrayBuffer of exactly the file, so it can be transferred to the worker.
      return bytes.buffer.byteLength === bytes.byteLength
        ? (bytes.buffer as ArrayBuffer)
        : (bytes.buffer.slice(
            bytes.byteOffset,
            bytes.byteOffset + bytes.byteLength,
          ) as ArrayBuffer);
    },
  }));
  const key = await importSecret(secret);
  const patients = await planPatients(rows, rowIdentifierTokens, recipe, key);
  const planned = planEntries(files, patients);
  const setup: DeidSetup = {
    id: 'cli',
    options: recipe.deid.options,
    allowList: recipe.deid.allowList,
    overrides: recipe.deid.overrides,
    secret: secret.slice().buffer,
  };
  return { planned, setup };
}
