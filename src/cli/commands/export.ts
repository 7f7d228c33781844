// `cleanroom export <input-dir> --out <dir> [--recipe r.json] [--secret-file f] [--key-out <dir>]
// [--volume-size 2GiB] [--labels labels.csv] [--site NAME] [--resume]`: the package zip(s) and a
// report into <dir>, the key file elsewhere; burned-in text is found and redacted as the recipe says.
// With volumes, a sealed resume record beside them lets `--resume` write only the missing ones.
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, join, relative, resolve, isAbsolute } from 'node:path';
import { once } from 'node:events';
import { CliError, flagString, parseArgs, UsageError } from '../args';
import { createProgress } from '../progress';
import { describeFsError, loadRecipe, loadSecret, requireDirectory } from '../session';
import { withDeidRun } from '../plan-run';
import { workerCount } from '../workers';
import { runPixelStep } from '../pixel-step';
import { createPackageExtras, type PackageExtrasState } from '../../pipeline/package-extras';
import { runExport as exportPackage } from '../../pipeline/export';
import { checkpointExtras, exportPlanHash } from '../../pipeline/export-job';
import {
  changedVolume,
  openResumeRecord,
  partialVolumes,
  readResumeRecord,
  removeResumeRecord,
  ResumeRecordError,
  resumeRecordPath,
  saveResumeRecord,
  type ResumeRecord,
} from '../export-resume';
import { bytesToHex } from '../../pipeline/export-plan';
import { parseVolumeSize, recipeHash } from '../../core/profile/recipe';
import { sha256Hex } from '../../core/package/sha256';
import { buildKeyFile, encryptKeyFile } from '../../core/package/keyfile';
import { toCsv } from '../../core/csv/csv';

function inside(parent: string, child: string): boolean {
  const rel = relative(resolve(parent), resolve(child));
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** Writes chunks to `<path>.partial`, then renames: a half-written volume never looks finished. */
async function writeVolumeFile(path: string, chunks: AsyncIterable<Uint8Array>): Promise<void> {
  const partial = `${path}.partial`;
  const stream = createWriteStream(partial);
  try {
    for await (const chunk of chunks) {
      if (!stream.write(chunk)) await once(stream, 'drain');
    }
    stream.end();
    await once(stream, 'finish');
    await rename(partial, path);
  } catch (error) {
    stream.destroy();
    await rm(partial, { force: true });
    throw error;
  }
}

export async function runExport(argv: string[]): Promise<number> {
  const args = parseArgs(argv, {
    out: { value: true, required: true },
    recipe: { value: true },
    'secret-file': { value: true },
    'key-out': { value: true },
    'key-passphrase-file': { value: true },
    'volume-size': { value: true },
    workers: { value: true },
    labels: { value: true },
    site: { value: true },
    'review-record': { value: true },
    json: { value: false },
    quiet: { value: false },
    resume: { value: false },
  });
  if (args.positionals.length !== 1) throw new UsageError('export takes exactly one input folder');
  const input = await requireDirectory(args.positionals[0], 'the input folder');
  const out = flagString(args, 'out')!;
  const keyOut = flagString(args, 'key-out') ?? `${resolve(out)}-key`;
  if (inside(out, keyOut))
    throw new UsageError(
      '--key-out must not be inside --out: the key file never travels with the package',
    );
  if (inside(input, out) || inside(out, input))
    throw new UsageError('--out must be outside the input folder (originals are never touched)');
  const { recipe, sha256 } = await loadRecipe(flagString(args, 'recipe'));
  const volumeSize = flagString(args, 'volume-size');
  if (volumeSize !== undefined) {
    try {
      parseVolumeSize(volumeSize);
    } catch (error) {
      throw new UsageError(`--volume-size: ${(error as Error).message}`);
    }
    recipe.package.volumeSize = volumeSize;
  }
  const passphraseFile = flagString(args, 'key-passphrase-file');
  let passphrase: string | undefined;
  if (passphraseFile) {
    try {
      passphrase = (await readFile(passphraseFile, 'utf8')).replace(/\r?\n$/, '');
    } catch (error) {
      throw new CliError(
        `cannot read the passphrase file ${passphraseFile}: ${describeFsError(error)}`,
      );
    }
  }
  const labelsPath = flagString(args, 'labels');
  let labelsCsv: string | undefined;
  if (labelsPath !== undefined) {
    try {
      labelsCsv = await readFile(labelsPath, 'utf8');
    } catch (error) {
      throw new CliError(`cannot read the labels file ${labelsPath}: ${describeFsError(error)}`);
    }
  }
  const site = flagString(args, 'site');
  // The record of a person's review made in the app (review.json and review-decisions.csv, as the
  // app's package holds them), so a scripted run of the same recipe carries it too.
  const reviewDir = flagString(args, 'review-record');
  let review: { json: string; csv: string } | undefined;
  if (reviewDir !== undefined) {
    try {
      review = {
        json: await readFile(join(reviewDir, 'review.json'), 'utf8'),
        csv: await readFile(join(reviewDir, 'review-decisions.csv'), 'utf8'),
      };
      JSON.parse(review.json);
    } catch (error) {
      throw new CliError(
        `--review-record ${reviewDir}: needs review.json and review-decisions.csv from the app's Review step (${describeFsError(error)})`,
      );
    }
  }
  const resume = args.flags.has('resume');
  // A resumed run without --secret-file takes the secret the stopped run made and saved.
  const savedSecret = join(keyOut, 'secret.hex');
  const secretFile =
    flagString(args, 'secret-file') ??
    (resume && existsSync(savedSecret) ? savedSecret : undefined);
  const { secret, created } = await loadSecret(secretFile);
  const recordPath = resumeRecordPath(out, recipe.package.name);
  const record = await openStoppedExport(recordPath, out, recipe.package.name, secret, resume);
  try {
    await mkdir(out, { recursive: true });
    await mkdir(keyOut, { recursive: true });
  } catch (error) {
    throw new CliError(`cannot create the output folders: ${describeFsError(error)}`);
  }
  // Saved before any volume, so a stopped run can be resumed with the very same secret.
  if (created) await writeFile(savedSecret, `${bytesToHex(secret)}\n`, { mode: 0o600 });
  const stopAfter = testStopAfterVolumes();
  const workers = workerCount(args);
  const progress = createProgress(process.stderr, args.flags.has('quiet'));
  const started = new Date();
  let run;
  try {
    run = await withDeidRun(input, { recipe, secret, workers, progress }, async (r) => {
      const pixels = await runPixelStep(r.scanned, r.planned, recipe, workers, progress);
      // The plan's name covers what shapes the bytes: the recipe as run (with --volume-size), the
      // labels, the site and the review record, not only the recipe file's hash.
      const runDigest = await sha256Hex(
        new TextEncoder().encode(
          [
            await recipeHash(recipe),
            labelsCsv ?? '',
            site ?? '',
            review?.json ?? '',
            review?.csv ?? '',
          ].join('\u0000'),
        ),
      );
      // File ids carry the in-memory store's random root id: name the files by their paths instead.
      const planHash = await exportPlanHash({
        planned: r.planned.map((p) => ({ ...p, file: { ...p.file, fileId: p.file.row.path } })),
        recipeSha256: runDigest,
        secret,
        appVersion: __APP_VERSION__,
      });
      if (record && record.planHash !== planHash)
        throw new CliError(
          `cannot resume: the input folder, the recipe, the options or the app version changed since the export in ${out} stopped, so the missing volumes would not match the finished ones. Run the command exactly as before with --resume, or delete ${out} (or choose another --out) and run it without --resume.`,
        );
      const restored = record?.checkpoint.extras as PackageExtrasState | undefined;
      const extras = createPackageExtras(
        {
          recipe,
          ...(labelsCsv !== undefined ? { labelsCsv } : {}),
          ...(site ? { site } : {}),
          ...(review ? { review } : {}),
        },
        restored,
      );
      const tracked = checkpointExtras(extras, restored);
      return {
        planned: r.planned,
        rejected: r.scanned.rejected,
        pixels,
        extras,
        result: await exportPackage({
          ...r,
          deid: pixels.withholdLeftOut(r.deid),
          redactionFor: (p) => pixels.redactions.get(p.file.fileId),
          onFileDigest: (path, digest) => tracked.onFileDigest(path, digest),
          extraFiles: (facts) => extras.extraFiles(facts),
          ...(record ? { resume: record.checkpoint } : {}),
          onCheckpoint: async (checkpoint) => {
            await saveResumeRecord(
              recordPath,
              {
                planHash,
                packageName: recipe.package.name,
                checkpoint: { ...checkpoint, extras: tracked.at(checkpoint) },
              },
              secret,
            );
            if (stopAfter !== undefined && checkpoint.volumes.length >= stopAfter)
              process.kill(process.pid, 'SIGKILL');
          },
          recipe,
          recipeSha256: sha256,
          appVersion: __APP_VERSION__,
          writeVolume: (name, chunks) => writeVolumeFile(join(out, name), chunks),
          onProgress: (p) =>
            progress.update({
              step: p.volume ? `export ${p.volume}` : 'export',
              done: p.done,
              total: p.total,
              bytes: p.bytesIn,
            }),
        }),
      };
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException)?.code;
    if (code === 'ENOSPC' || code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
      throw new CliError(
        existsSync(recordPath)
          ? `the export stopped: cannot write to ${out}: ${describeFsError(error)}. The finished volumes are kept; free space or fix permissions and run the same command again with --resume to write only the missing volumes.`
          : `the export stopped: cannot write to ${out}: ${describeFsError(error)}. Nothing partial was left behind; free space or fix permissions and run the command again.`,
      );
    }
    throw error;
  }
  const { planned, rejected, result, pixels, extras } = run;
  await removeResumeRecord(recordPath);

  // The key file and everything that names original files stay at the site, in --key-out.
  const keyName = `${recipe.package.name}-key.zip`;
  let keyBytes: Uint8Array = await buildKeyFile(result.keyFile);
  if (passphrase !== undefined) keyBytes = await encryptKeyFile(keyBytes, passphrase);
  const keyPath = join(keyOut, passphrase !== undefined ? `${keyName}.enc` : keyName);
  await writeFile(keyPath, keyBytes);
  const pathOf = new Map(planned.map((p) => [p.file.fileId, p.file.row.path]));
  await writeFile(
    join(keyOut, 'failures.csv'),
    toCsv(
      ['path', 'code', 'reason'],
      result.failures.map((f) => [pathOf.get(f.fileId) ?? f.fileId, f.code, f.reason]),
    ),
  );
  await writeFile(
    join(keyOut, 'rejected.csv'),
    toCsv(
      ['path', 'reason'],
      rejected.map((f) => [f.path, f.reason ?? '']),
    ),
  );

  const counts = { high: 0, medium: 0, low: 0 };
  for (const r of result.dump) counts[r.risk]++;
  const report = {
    app: 'cleanroom',
    appVersion: __APP_VERSION__,
    madeAt: started.toISOString(),
    recipe: { name: recipe.name, sha256 },
    volumes: result.volumes,
    files: {
      selected: planned.length,
      written: result.manifest.files.length,
      failed: result.failures.length,
      rejectedAtScan: rejected.length,
    },
    failureReasons: countBy(result.failures.map((f) => f.reason)),
    bytes: result.manifest.totals.bytes,
    review: review
      ? {
          reviewedByPerson: true,
          note: 'The review record given with --review-record is in the package (review.json, review-decisions.csv).',
          distinctValues: result.dump.length,
          ...counts,
        }
      : {
          reviewedByPerson: false,
          note: "No person reviewed the values in this run: every value got the recipe's automatic cleaning. Read values.csv inside the package (high-risk values first) before you send it.",
          distinctValues: result.dump.length,
          ...counts,
        },
    pixels: pixels.summary
      ? {
          mode: recipe.pixels?.mode ?? 'redact-all-text-in-high-risk',
          imagesRead: pixels.summary.read,
          imagesWithText: pixels.summary.found,
          imagesFailed: pixels.summary.failed,
          imagesRedacted: result.manifest.files.length > 0 ? pixels.redactions.size : 0,
          imagesLeftOut: pixels.leftOut.length,
          reviewedByPerson: false,
          note: 'No person looked at the images on the command line: every box found was redacted, and BurnedInAnnotation stays YES. Look at redaction-log.csv and a sample of images before you send the package.',
        }
      : { mode: 'off' },
    dataset: extras.notes,
    warnings: result.warnings,
    keyFile: `${basename(keyPath)} (kept apart from the package)`,
  };
  await writeFile(join(out, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
  progress.finish(
    [
      `export: wrote ${result.manifest.files.length} of ${planned.length} files into ${result.volumes.map((v) => v.name).join(', ')} in ${out}`,
      record
        ? `  resumed: ${record.checkpoint.volumes.length} finished volumes were kept, the other ${result.volumes.length - record.checkpoint.volumes.length} written now`
        : '',
      result.failures.length > 0
        ? `  ${result.failures.length} files could not be de-identified; their paths and reasons are in ${join(keyOut, 'failures.csv')}`
        : '',
      `  ${counts.high} high-risk values left for a person to check (values.csv in the package)`,
      `  key file: ${keyPath} — keep it at your site, never send it with the package`,
      created
        ? `  a new project secret was made and saved in ${join(keyOut, 'secret.hex')}; pass it with --secret-file to reproduce this package`
        : '',
    ]
      .filter(Boolean)
      .join('\n'),
  );
  if (args.flags.has('json')) process.stdout.write(`${JSON.stringify(report)}\n`);
  return result.failures.length > 0 ? 1 : 0;
}

function countBy(values: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of [...values].sort()) out[v] = (out[v] ?? 0) + 1;
  return out;
}

/**
 * The stopped export in `out` that this run continues (--resume), if any. Without --resume, a
 * stopped export there is an error that says what to do: resume it, or start over elsewhere.
 */
async function openStoppedExport(
  recordPath: string,
  out: string,
  packageName: string,
  secret: Uint8Array,
  resume: boolean,
): Promise<ResumeRecord | undefined> {
  const sealed = await readResumeRecord(recordPath);
  if (!resume) {
    if (sealed)
      throw new CliError(
        `${out} holds an export of ${packageName} that stopped before it finished. To write only the missing volumes, run the same command again with --resume (and the same --secret-file). To start over instead, delete ${out} or choose another --out.`,
      );
    return undefined;
  }
  if (!sealed) {
    const partial = await partialVolumes(out, packageName);
    process.stderr.write(
      partial.length > 0
        ? `cleanroom: no volume of ${packageName} was finished in ${out}; the whole package is written again.\n`
        : `cleanroom: there is no stopped export of ${packageName} in ${out} to resume; the whole package is written.\n`,
    );
    return undefined;
  }
  let record: ResumeRecord;
  try {
    record = await openResumeRecord(sealed, secret);
  } catch (error) {
    if (error instanceof ResumeRecordError && error.reason === 'wrong-secret')
      throw new CliError(
        `cannot resume the export in ${out}: it was made with another project secret. Pass the --secret-file of the stopped run (or run without --resume into a new --out).`,
      );
    throw new CliError(
      `cannot resume the export in ${out}: ${(error as Error).message}. Delete ${recordPath} and run without --resume to start over.`,
    );
  }
  const changed = await changedVolume(out, record.checkpoint);
  if (changed)
    throw new CliError(
      `cannot resume the export in ${out}: the finished volume ${changed} is missing or changed. Put it back, or delete ${out} and run without --resume to start over.`,
    );
  return record;
}

/**
 * Test-only: CLEANROOM_TEST_STOP_AFTER_VOLUMES=N kills this process (SIGKILL, no clean-up) right
 * after the resume record of the N-th finished volume is saved, as a crash or a closed terminal
 * would. The resume tests use it; it is not an option for users.
 */
function testStopAfterVolumes(): number | undefined {
  const n = Number(process.env.CLEANROOM_TEST_STOP_AFTER_VOLUMES);
  return Number.isInteger(n) && n > 0 ? n : undefined;
}
