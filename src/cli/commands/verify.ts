// `cleanroom verify <zip-or-dir>... --report report.json [--recipe r.json] [--no-ocr] [--workers N]`:
// the organizer's checks of a received package, with no answer key, then OCR of the queued images
// in worker threads. Exit 0 when it passes, 1 when it has findings.
import { readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import { CliError, flagString, parseArgs, UsageError, type ParsedArgs } from '../args';
import { workerCount } from '../workers';
import { createProgress } from '../progress';
import { describeFsError, loadRecipe } from '../session';
import {
  reportHtml,
  reportJson,
  runOcrCheck,
  skipOcrCheck,
  verifyPackage,
  type VerifyReport,
  zipSource,
  type PackageEntry,
  type PackageSource,
} from '../../core/verify';
import { openFileSource, type FileHandleSource } from '../../platform/node/file-handle-source';
import { createNodePool } from '../../../workers/node-pool';
import { ocrReaderOver, type VerifyWorkerApi } from '../../../workers/verify-api';

/** A folder of loose files (an unpacked package, or another tool's output). */
function folderSource(root: string, files: string[]): PackageSource {
  return {
    async *entries(): AsyncGenerator<PackageEntry> {
      for (const path of files) {
        const name = relative(root, path).split(sep).join('/');
        const info = await stat(path);
        yield { name, size: info.size, read: async () => new Uint8Array(await readFile(path)) };
      }
    },
  };
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/**
 * One source over every argument: zip volumes in the order given, folders as loose files. Volumes
 * are read through file handles (fs.openAsBlob gets sizes past 4 GiB wrong in Node 20); close them.
 */
async function sourceOf(inputs: string[]): Promise<PackageSource & { close(): Promise<void> }> {
  const zips: FileHandleSource[] = [];
  const folders: { root: string; files: string[] }[] = [];
  for (const input of inputs) {
    let info;
    try {
      info = await stat(input);
    } catch (error) {
      throw new CliError(`cannot open ${input}: ${describeFsError(error)}`);
    }
    if (info.isDirectory()) folders.push({ root: input, files: await listFiles(input) });
    else {
      try {
        // zipSource names a volume by its name in findings.
        zips.push(await openFileSource(input, basename(input)));
      } catch (error) {
        throw new CliError(`cannot open ${input}: ${describeFsError(error)}`);
      }
    }
  }
  const sources = [
    ...(zips.length > 0 ? [zipSource(zips)] : []),
    ...folders.map((f) => folderSource(f.root, f.files)),
  ];
  return {
    async *entries() {
      for (const s of sources) yield* s.entries();
    },
    close: async () => {
      await Promise.all(zips.map((z) => z.close()));
    },
  };
}

function fraction(args: ParsedArgs, name: string): number | undefined {
  const text = flagString(args, name);
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!(n >= 0 && n <= 1))
    throw new UsageError(`--${name} takes a share from 0 to 1, not "${text}"`);
  return n;
}

function count(args: ParsedArgs, name: string): number | undefined {
  const text = flagString(args, name);
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0)
    throw new UsageError(`--${name} takes a whole number, not "${text}"`);
  return n;
}

/** OCR of the queued images in `workers` worker threads, each with its own tesseract engine. */
async function runOcr(
  source: PackageSource,
  report: VerifyReport,
  workers: number,
  progress: ReturnType<typeof createProgress>,
): Promise<VerifyReport> {
  const size = Math.max(1, Math.min(workers, report.ocr.entries.length));
  const pool = createNodePool<VerifyWorkerApi>(
    new URL('./verify.node-worker.mjs', import.meta.url),
    { size, idleTimeoutMs: 0 },
  );
  try {
    return await runOcrCheck(source, report, ocrReaderOver(pool), {
      concurrency: size,
      onProgress: (done, total) => progress.update({ step: 'ocr', done, total }),
    });
  } finally {
    pool.terminate();
  }
}

export async function runVerify(argv: string[]): Promise<number> {
  const args = parseArgs(argv, {
    report: { value: true, required: true },
    recipe: { value: true },
    html: { value: true },
    'site-uid-root': { value: true },
    seed: { value: true },
    json: { value: false },
    quiet: { value: false },
    'no-ocr': { value: false },
    workers: { value: true },
    'ocr-sample': { value: true },
    'ocr-minimum': { value: true },
  });
  if (args.positionals.length === 0)
    throw new UsageError('verify takes one or more package zips or folders');
  const recipePath = flagString(args, 'recipe');
  const recipe = recipePath ? (await loadRecipe(recipePath)).recipe : undefined;
  const seedText = flagString(args, 'seed');
  const seed = seedText === undefined ? undefined : Number(seedText);
  if (seed !== undefined && !Number.isInteger(seed))
    throw new UsageError(`--seed takes a whole number, not "${seedText}"`);
  const ocrOn = !args.flags.has('no-ocr');
  const workers = workerCount(args);
  const ocrSampleFraction = fraction(args, 'ocr-sample');
  const ocrSampleMinimum = count(args, 'ocr-minimum');
  const source = await sourceOf(args.positionals);
  const progress = createProgress(process.stderr, args.flags.has('quiet'));
  let report;
  const t0 = performance.now();
  let checksSeconds = 0;
  try {
    report = await verifyPackage(source, {
      recipe,
      siteUidRoots: flagString(args, 'site-uid-root')?.split(','),
      sampleSeed: seed,
      ...(ocrSampleFraction !== undefined ? { ocrSampleFraction } : {}),
      ...(ocrSampleMinimum !== undefined ? { ocrSampleMinimum } : {}),
      onProgress: (done, total) => progress.update({ step: 'verify', done, total }),
    });
    checksSeconds = (performance.now() - t0) / 1000;
    report = ocrOn
      ? await runOcr(source, report, workers, progress)
      : skipOcrCheck(
          report,
          'OCR was turned off (--no-ocr), so burned-in text was not looked for.',
        );
  } finally {
    await source.close();
  }
  const ocrSeconds = (performance.now() - t0) / 1000 - checksSeconds;
  const ocrImages = report.ocr.entries.filter((e) => e.state === 'read').length;
  const out = flagString(args, 'report')!;
  const html = flagString(args, 'html') ?? out.replace(/\.json$/i, '') + '.html';
  try {
    await writeFile(out, reportJson(report));
    await writeFile(html, reportHtml(report));
  } catch (error) {
    throw new CliError(`cannot write the report: ${describeFsError(error)}`);
  }
  const failed = report.checks.filter((c) => c.status === 'fail');
  const lines = [
    `verify: ${report.verdict === 'pass' ? 'PASS' : 'FAIL'} — ${report.dicomFiles} DICOM files in ${report.files} entries`,
    ...report.checks.map(
      (c) =>
        `  ${c.status.padEnd(13)} ${c.id}${c.counts.failed ? ` (${c.counts.failed} findings)` : ''}`,
    ),
    `  wrote ${out} and ${html}`,
  ];
  progress.finish(lines.join('\n'));
  if (args.flags.has('json')) {
    process.stdout.write(
      `${JSON.stringify({
        verdict: report.verdict,
        failedChecks: failed.map((c) => c.id),
        report: out,
        html,
        bytes: report.bytes,
        checksSeconds,
        ocr: { state: report.ocr.state, images: ocrImages, seconds: ocrOn ? ocrSeconds : 0 },
      })}\n`,
    );
  }
  return report.verdict === 'pass' ? 0 : 1;
}
