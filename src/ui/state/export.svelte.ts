// The export the Export screen runs: plan, de-identify in the worker pool, stream zip volumes into
// the folder the user picks, write report.json, and keep the key file's content for "Save key file".
import { ensurePermission, pickDirectory } from '../../platform/browser';
import { writeFileAtomically, writeTextFile } from '../../platform/browser/write-output';
import { offerDownload } from '../../platform/browser/download';
import {
  runExport,
  type ExportCheckpoint,
  type ExportProgress,
  type ExportResult,
} from '../../pipeline/export';
import { planExport, selectRows } from '../../pipeline/export-plan';
import {
  discardExportJob,
  endExportJob,
  exportPlanHash,
  findResumableExport,
  saveExportCheckpoint,
  startExportJob,
  type ResumableExport,
} from '../../pipeline/export-job';
import { buildExportReport, formatExportReport } from '../../pipeline/export-report';
import { buildKeyFile, encryptKeyFile, type KeyFileContent } from '../../core/package/keyfile';
import { recipeHash } from '../../core/profile/recipe';
import { createRun, getSetting, updateRun } from '../../store';
import { db } from './db';
import {
  describeFailure,
  errorName,
  NothingSelectedError,
  PreparationError,
  summarize,
  type ExportSummary,
} from './export-outcome';
import { openExportSources } from './export-sources';
import { loadRecipe } from './inventory.svelte';
import { deidWorkers } from './pools';
import { checkPixelGate } from './pixels.svelte';
import { readReviewPackageFiles } from './review-gate';
import { createPackageExtras, type PackageExtrasState } from '../../pipeline/package-extras';
import { readRedactionPlan } from '../../pipeline/pixel-redactions';
import { readProjectSecret } from './project-secret.svelte';

export type { ExportSummary } from './export-outcome';

export type ExportPhase = 'idle' | 'preparing' | 'writing' | 'done' | 'cancelled' | 'failed';

/** Progress as the screen shows it, with rates measured since the first file. */
export interface ExportMeter extends ExportProgress {
  seconds: number;
}

const METER_INTERVAL_MS = 200;

class ExportRunner {
  phase = $state<ExportPhase>('idle');
  meter = $state<ExportMeter | undefined>();
  summary = $state<ExportSummary | undefined>();
  /** What went wrong or what must be done first, in plain words (never a value from a file). */
  error = $state<string | undefined>();
  /** The crosswalk of the last export: in memory only, until the user saves the key file. */
  #keyFile: KeyFileContent | undefined;
  #controller: AbortController | undefined;

  get busy(): boolean {
    return this.phase === 'preparing' || this.phase === 'writing';
  }

  /** Runs from the click on "Choose output folder and export" (the picker needs that click). */
  async run(): Promise<void> {
    await this.#start(undefined);
  }

  /**
   * Runs from the click on "Resume": writes only the volumes the stopped export did not finish,
   * into the same folder (permission asked again, or the folder picked again), with the same bytes.
   */
  async resume(): Promise<void> {
    const job = await findResumableExport(db);
    if (job) await this.#start(job);
  }

  /** Forgets a stopped export (its finished volumes stay in the folder; a new export rewrites them). */
  async discard(): Promise<void> {
    const job = await findResumableExport(db);
    if (job) await discardExportJob(db, job.id);
  }

  async #start(job: ResumableExport | undefined): Promise<void> {
    if (this.busy) return;
    this.phase = 'preparing';
    this.error = undefined;
    this.summary = undefined;
    this.meter = undefined;
    const controller = new AbortController();
    this.#controller = controller;
    try {
      await this.#export(controller, job);
    } catch (e) {
      this.phase = 'failed';
      this.error = describeFailure(e);
    } finally {
      this.#controller = undefined;
    }
  }

  cancel(): void {
    if (!this.#controller) return;
    this.#controller.abort();
    deidWorkers().cancel('export cancelled');
  }

  async #export(controller: AbortController, job: ResumableExport | undefined): Promise<void> {
    const recipe = await loadRecipe();
    const recipeSha256 = await recipeHash(recipe);
    const rows = selectRows(await db.instances.toArray(), recipe);
    if (rows.length === 0) throw new NothingSelectedError();
    const pixels = await checkPixelGate();
    if (!pixels.open)
      throw new PreparationError(
        'Some images still need the Pixels step: ' +
          `${pixels.toRead} to read and ${pixels.toReview} to review for burned-in text. ` +
          'Open Pixels, finish them, then export.',
      );
    const output = await outputFolder(job);
    if (!output) {
      this.phase = 'idle';
      return;
    }
    const sources = await openExportSources(rows);
    if (sources.problems.length > 0) throw new PreparationError(sources.problems.join(' '));
    for (const input of sources.inputFolders) {
      if ((await input.isSameEntry(output)) || (await input.resolve(output)) !== null)
        throw new PreparationError(
          'The output folder is inside the folder you scanned. Choose a folder outside it: originals are never touched.',
        );
    }
    const secret = await readProjectSecret();
    const plan = await planExport(
      rows,
      recipe,
      secret,
      (row) => sources.read(row),
      `export-${crypto.randomUUID()}`,
    );
    if (controller.signal.aborted) {
      this.phase = 'cancelled';
      return;
    }
    const planHash = await exportPlanHash({
      planned: plan.planned,
      recipeSha256,
      secret,
      appVersion: __APP_VERSION__,
    });
    if (job) {
      if (job.planHash !== planHash) throw new PreparationError(RESUME_PLAN_CHANGED);
      await checkFinishedVolumes(output, job);
    }
    const jobId = await startExportJob(db, {
      planHash,
      packageName: recipe.package.name,
      files: plan.planned.length,
      output,
      outputName: output.name,
      ...(job ? { resumeId: job.id } : {}),
    });
    const redactions = await readRedactionPlan(
      db,
      plan.planned.map((p) => p.file.fileId),
    );
    const [labelsCsv, siteName, review] = await Promise.all([
      getSetting(db, 'labelsCsv'),
      getSetting(db, 'siteName'),
      readReviewPackageFiles(recipe),
    ]);
    const extras = createPackageExtras(
      {
        recipe,
        ...(labelsCsv ? { labelsCsv } : {}),
        ...(siteName ? { site: siteName } : {}),
        ...(review ? { review: { json: review.json, csv: review.csv } } : {}),
      },
      job?.checkpoint.extras as PackageExtrasState | undefined,
    );
    // The checkpoint is saved once a volume is written, when the next volume's first files have
    // already reached the extras: keep only the report rows and digests of the finished files,
    // or a resumed export counts those files twice. One row per digest, in the order written.
    const restoredRows =
      (job?.checkpoint.extras as PackageExtrasState | undefined)?.rows.length ?? 0;
    const digested: string[] = [];
    const extrasAt = (checkpoint: ExportCheckpoint): PackageExtrasState => {
      const done = new Set(checkpoint.files.map((f) => f.path));
      const state = extras.state();
      return {
        rows: state.rows.slice(0, restoredRows + digested.filter((p) => done.has(p)).length),
        images: state.images.filter((image) => done.has(image.path)),
      };
    };
    const pool = deidWorkers();
    const run = await createRun(db, 'export');
    const started = new Date();
    let last = 0;
    this.phase = 'writing';
    let result: ExportResult;
    try {
      result = await runExport({
        planned: plan.planned,
        setup: plan.setup,
        deid: (job) => pool.call('deidentifyFile', [job]),
        redactionFor: (planned) => redactions.get(planned.file.fileId),
        window: pool.size * 2,
        recipe,
        recipeSha256,
        appVersion: __APP_VERSION__,
        signal: controller.signal,
        writeVolume: (name, chunks, signal) =>
          writeFileAtomically(output, name, chunks, { signal }),
        onCheckpoint: (checkpoint) =>
          saveExportCheckpoint(db, jobId, { ...checkpoint, extras: extrasAt(checkpoint) }),
        onFileDigest: (path, digest) => {
          digested.push(path);
          return extras.onFileDigest(path, digest);
        },
        extraFiles: (facts) => extras.extraFiles(facts),
        ...(job ? { resume: job.checkpoint } : {}),
        onProgress: (p) => {
          const now = Date.now();
          if (now - last < METER_INTERVAL_MS && p.done < p.total) return;
          last = now;
          this.meter = { ...p, seconds: (now - started.getTime()) / 1000 };
        },
      });
    } catch (e) {
      const cancelled = controller.signal.aborted;
      await endExportJob(db, jobId, cancelled ? 'cancelled' : 'failed');
      await updateRun(db, run.id, {
        state: cancelled ? 'cancelled' : 'failed',
        error: errorName(e),
      });
      if (cancelled) {
        this.phase = 'cancelled';
        return;
      }
      throw e;
    }
    const keyFileName = `${recipe.package.name}-key.zip`;
    const rejectedAtScan = await db.files.where('state').equals('rejected').count();
    const report = buildExportReport({
      appVersion: __APP_VERSION__,
      madeAt: started,
      recipe,
      recipeSha256,
      result,
      selected: rows.length,
      rejectedAtScan,
      keyFileName,
    });
    // The export only runs once the review gate is open: say that a person reviewed, and who.
    if (review?.summary.complete)
      report.review = {
        ...(report.review as Record<string, unknown>),
        reviewedByPerson: true,
        reviewers: review.summary.reviewers,
        reviewedAt: review.summary.reviewedAt,
        note: 'A person reviewed every value that needs one before this export; review.json in the package records the decisions.',
      };
    await writeTextFile(output, 'report.json', formatExportReport(report));
    await endExportJob(db, jobId, 'done');
    await updateRun(db, run.id, {
      state: 'done',
      counts: {
        total: rows.length,
        done: result.manifest.files.length,
        skipped: 0,
        rejected: result.failures.length,
      },
      bytes: result.manifest.totals.bytes,
    });
    this.#keyFile = result.keyFile;
    this.summary = summarize(result, rows, output.name, keyFileName);
    this.phase = 'done';
  }

  /** Offers the key file as a download (sealed with the passphrase when one is given). */
  async saveKeyFile(passphrase: string): Promise<void> {
    if (!this.#keyFile || !this.summary) return;
    let bytes: Uint8Array = await buildKeyFile(this.#keyFile);
    let name = this.summary.keyFileName;
    if (passphrase !== '') {
      bytes = await encryptKeyFile(bytes, passphrase);
      name = `${name}.enc`;
    }
    offerDownload(name, bytes, 'application/octet-stream');
  }
}

export const exporter = new ExportRunner();

const RESUME_PLAN_CHANGED =
  'The selection, the recipe or the project secret changed since that export stopped, so it cannot be resumed: the rest would not match the volumes already written. Start the export again.';

/** The folder to write into: a resumed export's own folder (permission asked again) or a new pick. */
async function outputFolder(
  job: ResumableExport | undefined,
): Promise<FileSystemDirectoryHandle | undefined> {
  if (job?.output && (await ensurePermission(job.output, 'readwrite'))) return job.output;
  return pickDirectory('readwrite');
}

/** A resumed export trusts a finished volume only if it is still there with its size. */
async function checkFinishedVolumes(
  output: FileSystemDirectoryHandle,
  job: ResumableExport,
): Promise<void> {
  for (const volume of job.checkpoint.volumes) {
    let size = -1;
    try {
      size = (await (await output.getFileHandle(volume.name)).getFile()).size;
    } catch {
      // Missing: reported below.
    }
    if (size !== volume.bytes)
      throw new PreparationError(
        `The finished volume ${volume.name} is missing or changed in “${output.name}”. Choose the folder that holds it, or start the export again.`,
      );
  }
}
