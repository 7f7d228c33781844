// `cleanroom dump <input-dir> --out values.csv [--recipe r.json]`: every distinct value left after
// de-identification, ranked by risk, without writing any DICOM.
import { writeFile } from 'node:fs/promises';
import { CliError, flagString, parseArgs, UsageError } from '../args';
import { createProgress } from '../progress';
import { describeFsError, loadRecipe, loadSecret, requireDirectory } from '../session';
import { withDeidRun } from '../plan-run';
import { workerCount } from '../workers';
import { toCsv } from '../../core/csv/csv';
import { DUMP_CSV_COLUMNS, dumpCsvRows, runDryRun } from '../../pipeline/dump';

export async function runDump(argv: string[]): Promise<number> {
  const args = parseArgs(argv, {
    out: { value: true, required: true },
    recipe: { value: true },
    'secret-file': { value: true },
    workers: { value: true },
    json: { value: false },
    quiet: { value: false },
  });
  if (args.positionals.length !== 1) throw new UsageError('dump takes exactly one input folder');
  const input = await requireDirectory(args.positionals[0], 'the input folder');
  const out = flagString(args, 'out')!;
  const { recipe } = await loadRecipe(flagString(args, 'recipe'));
  const { secret } = await loadSecret(flagString(args, 'secret-file'));
  const workers = workerCount(args);
  const progress = createProgress(process.stderr, args.flags.has('quiet'));
  const { planned, result } = await withDeidRun(
    input,
    { recipe, secret, workers, progress },
    async (run) => ({
      planned: run.planned,
      result: await runDryRun({
        ...run,
        onProgress: (done, total, bytes) =>
          progress.update({ step: 'dry run', done, total, bytes }),
      }),
    }),
  );
  try {
    await writeFile(out, toCsv(DUMP_CSV_COLUMNS, dumpCsvRows(result.rows)));
  } catch (error) {
    throw new CliError(`cannot write ${out}: ${describeFsError(error)}`);
  }
  const counts = { high: 0, medium: 0, low: 0 };
  for (const r of result.rows) counts[r.risk]++;
  const summary = {
    files: planned.length,
    failed: result.failures.length,
    distinctValues: result.rows.length,
    ...counts,
    out,
  };
  progress.finish(
    `dump: ${summary.distinctValues} distinct values from ${planned.length} files (${counts.high} high, ${counts.medium} medium, ${counts.low} low risk); ${summary.failed} files could not be de-identified; wrote ${out}.`,
  );
  for (const f of result.failures)
    process.stderr.write(`  not de-identified: ${f.fileId.replace(/^[^/]*\//, '')}: ${f.reason}\n`);
  if (args.flags.has('json')) process.stdout.write(`${JSON.stringify(summary)}\n`);
  return result.failures.length > 0 ? 1 : 0;
}
