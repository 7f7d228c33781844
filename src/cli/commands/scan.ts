// `cleanroom scan <input-dir> --out inventory.csv [--recipe r.json]`: the inventory table and the
// rejected files, through the same scan pipeline as the browser.
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { CliError, flagString, parseArgs, UsageError } from '../args';
import { createProgress } from '../progress';
import { describeFsError, loadRecipe, requireDirectory, scanFolder } from '../session';
import { toCsv } from '../../core/csv/csv';
import { compileSelection } from '../../pipeline/selection';
import { workerCount } from '../workers';

export const INVENTORY_COLUMNS = [
  'path',
  'SOPClassUID',
  'Modality',
  'PatientID',
  'StudyInstanceUID',
  'SeriesInstanceUID',
  'SOPInstanceUID',
  'Rows',
  'Columns',
  'TransferSyntaxUID',
  'selected',
  'qa_flags',
] as const;

export async function runScan(argv: string[]): Promise<number> {
  const args = parseArgs(argv, {
    out: { value: true, required: true },
    recipe: { value: true },
    workers: { value: true },
    json: { value: false },
    quiet: { value: false },
  });
  if (args.positionals.length !== 1) throw new UsageError('scan takes exactly one input folder');
  const input = await requireDirectory(args.positionals[0], 'the input folder');
  const out = flagString(args, 'out')!;
  const { recipe } = await loadRecipe(flagString(args, 'recipe'));
  const progress = createProgress(process.stderr, args.flags.has('quiet'));
  const scanned = await scanFolder(input, { recipe, workers: workerCount(args), progress });
  const selection = compileSelection(scanned.instances, recipe.selection);
  if (!selection.ok) {
    throw new CliError(
      `the recipe's selection rule has an error at column ${selection.error.position + 1}: ${selection.error.message}`,
    );
  }
  const rows = scanned.instances.map((r) => [
    r.path,
    r.SOPClassUID,
    r.Modality,
    r.PatientID,
    r.StudyInstanceUID,
    r.SeriesInstanceUID,
    r.SOPInstanceUID,
    r.Rows,
    r.Columns,
    r.TransferSyntaxUID,
    selection.selected(r),
    r.flags.join(';'),
  ]);
  const rejectedPath = join(dirname(out), 'rejected.csv');
  try {
    await writeFile(out, toCsv(INVENTORY_COLUMNS, rows));
    await writeFile(
      rejectedPath,
      toCsv(
        ['path', 'reason'],
        scanned.rejected.map((f) => [f.path, f.reason ?? '']),
      ),
    );
  } catch (error) {
    throw new CliError(`cannot write ${out}: ${describeFsError(error)}`);
  }
  const selected = rows.filter((r) => r[10] === true).length;
  const summary = {
    instances: rows.length,
    selected,
    rejected: scanned.rejected.length,
    inventory: out,
    rejectedCsv: rejectedPath,
  };
  progress.finish(
    `scan: ${summary.instances} DICOM instances (${selected} selected), ${summary.rejected} rejected files; wrote ${out} and ${rejectedPath}. The inventory holds patient data: keep it at your site.`,
  );
  if (args.flags.has('json')) process.stdout.write(`${JSON.stringify(summary)}\n`);
  await scanned.db.delete();
  return 0;
}
