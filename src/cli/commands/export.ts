// `cleanroom export <input-dir> --out <dir> [--recipe r.json] [--secret-file f] [--key-out <dir>]
// [--volume-size 2GiB] [--labels labels.csv] [--site NAME]`: the package zip(s) and a report into
// <dir>, the key file elsewhere; burned-in text is found and redacted as the recipe says.
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, join, relative, resolve, isAbsolute } from 'node:path';
import { once } from 'node:events';
import { CliError, flagString, parseArgs, UsageError } from '../args';
import { createProgress } from '../progress';
import { describeFsError, loadRecipe, loadSecret, requireDirectory } from '../session';
import { withDeidRun } from '../plan-run';
import { workerCount } from '../workers';
import { runPixelStep } from '../pixel-step';
import { createPackageExtras } from '../../pipeline/package-extras';
import { runExport as exportPackage } from '../../pipeline/export';
import { bytesToHex } from '../../pipeline/export-plan';
import { parseVolumeSize } from '../../core/profile/recipe';
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
  const { secret, created } = await loadSecret(flagString(args, 'secret-file'));
  try {
    await mkdir(out, { recursive: true });
    await mkdir(keyOut, { recursive: true });
  } catch (error) {
    throw new CliError(`cannot create the output folders: ${describeFsError(error)}`);
  }
  const workers = workerCount(args);
  const progress = createProgress(process.stderr, args.flags.has('quiet'));
  const started = new Date();
  let run;
  try {
    run = await withDeidRun(input, { recipe, secret, workers, progress }, async (r) => {
      const pixels = await runPixelStep(r.scanned, r.planned, recipe, workers, progress);
      const extras = createPackageExtras({
        recipe,
        ...(labelsCsv !== undefined ? { labelsCsv } : {}),
        ...(site ? { site } : {}),
        ...(review ? { review } : {}),
      });
      return {
        planned: r.planned,
        rejected: r.scanned.rejected,
        pixels,
        extras,
        result: await exportPackage({
          ...r,
          redactionFor: (p) => pixels.redactions.get(p.file.fileId),
          onFileDigest: (path, digest) => extras.onFileDigest(path, digest),
          extraFiles: (facts) => extras.extraFiles(facts),
          recipe,
          recipeSha256: sha256,
          appVersion: __APP_VERSION__,
          writeVolume: (name, chunks) => writeVolumeFile(join(out, name), chunks),
          onProgress: (p) =>
            progress.update({
              step: `export ${p.volume}`,
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
        `the export stopped: cannot write to ${out}: ${describeFsError(error)}. Nothing partial was left behind; free space or fix permissions and run the command again.`,
      );
    }
    throw error;
  }
  const { planned, rejected, result, pixels, extras } = run;

  // The key file and everything that names original files stay at the site, in --key-out.
  const keyName = `${recipe.package.name}-key.zip`;
  let keyBytes: Uint8Array = await buildKeyFile(result.keyFile);
  if (passphrase !== undefined) keyBytes = await encryptKeyFile(keyBytes, passphrase);
  const keyPath = join(keyOut, passphrase !== undefined ? `${keyName}.enc` : keyName);
  await writeFile(keyPath, keyBytes);
  if (created)
    await writeFile(join(keyOut, 'secret.hex'), `${bytesToHex(secret)}\n`, { mode: 0o600 });
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
