// The Verify screen's run: the picked package goes to a verification worker, progress comes back
// with an ETA, then the report, the sample thumbnails, the person's decisions and the downloads.
import * as Comlink from 'comlink';
import { offerDownload } from '../../platform/browser/download';
import {
  recordSampleReview,
  reportHtml,
  reportJson,
  type SampleDecision,
  type VerifyReport,
} from '../../core/verify';
import type {
  SampleImage,
  VerifyJob,
  VerifyProgress,
  VerifyWorkerApi,
} from '../../../workers/verify-api';

export type VerifyPhase = 'idle' | 'checking' | 'done' | 'failed' | 'cancelled';

export interface VerifyMeter extends VerifyProgress {
  seconds: number;
}

/** Splits picked files into zip volumes (name order: -001, -002, ...) and loose files. */
export function packageJob(files: readonly File[]): VerifyJob {
  const zips = files.filter((f) => /\.zip$/i.test(f.name));
  const loose = files.filter((f) => !/\.zip$/i.test(f.name));
  return {
    volumes: [...zips].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    // A picked folder's files carry 'folder/inner/path': the package's paths start inside it.
    loose: loose.map((f) => {
      const rel = f.webkitRelativePath || f.name;
      return { name: rel.includes('/') ? rel.slice(rel.indexOf('/') + 1) : rel, blob: f };
    }),
  };
}

class VerifyRunner {
  phase = $state<VerifyPhase>('idle');
  meter = $state<VerifyMeter | undefined>();
  report = $state.raw<VerifyReport | undefined>();
  images = $state.raw<SampleImage[]>([]);
  decisions = $state<Record<string, SampleDecision>>({});
  error = $state<string | undefined>();
  /** What was picked, in words ("2 zip volumes"). */
  picked = $state<string | undefined>();
  /** Read the images for burned-in text (OCR) after the checks; off: the OCR check says 'not run'. */
  ocr = $state(true);
  #worker: Worker | undefined;
  #job: VerifyJob | undefined;
  /** Rejects the wait on a terminated worker (Comlink would wait for its answer forever). */
  #stop: ((e: Error) => void) | undefined;

  get busy(): boolean {
    return this.phase === 'checking';
  }

  /** The report with the decisions made so far (what the downloads hold). */
  get reviewed(): VerifyReport | undefined {
    if (!this.report) return undefined;
    const decided = Object.values(this.decisions);
    return decided.length > 0 ? recordSampleReview(this.report, decided) : this.report;
  }

  async check(files: readonly File[], recipe?: unknown): Promise<void> {
    if (this.busy || files.length === 0) return;
    const job = packageJob(files);
    if (recipe !== undefined) job.recipe = recipe;
    job.ocr = this.ocr;
    this.#job = job;
    this.picked =
      job.volumes.length > 0
        ? `${job.volumes.length} zip ${job.volumes.length === 1 ? 'volume' : 'volumes'}`
        : `${job.loose.length} files`;
    this.phase = 'checking';
    this.error = undefined;
    this.report = undefined;
    this.images = [];
    this.decisions = {};
    this.meter = { phase: 'checks', done: 0, total: 0, bytes: 0, seconds: 0 };
    const worker = new Worker(new URL('../../../workers/verify.worker.ts', import.meta.url), {
      type: 'module',
      name: 'verify',
    });
    this.#worker = worker;
    const api = Comlink.wrap<VerifyWorkerApi>(worker);
    let phaseStarted = Date.now();
    const stopped = new Promise<never>((_, reject) => (this.#stop = reject));
    try {
      const report = await Promise.race([
        api.verify(
          job,
          Comlink.proxy((p: VerifyProgress) => {
            // Each phase has its own rate: the OCR phase's clock starts when it does.
            if (p.phase !== this.meter?.phase) phaseStarted = Date.now();
            this.meter = { ...p, seconds: (Date.now() - phaseStarted) / 1000 };
          }),
        ),
        stopped,
      ]);
      this.report = report;
      this.phase = 'done';
      if (report.sample.length > 0)
        this.images = await Promise.race([api.sampleImages(job, report.sample), stopped]);
    } catch (e) {
      // cancel() may have run meanwhile (TypeScript cannot see it change the phase).
      if ((this.phase as VerifyPhase) === 'cancelled') return;
      this.phase = 'failed';
      this.error =
        e instanceof Error && e.name === 'VerifyJobError'
          ? e.message
          : `The package could not be checked (${e instanceof Error ? e.name : 'error'}).`;
    } finally {
      worker.terminate();
      if (this.#worker === worker) this.#worker = undefined;
    }
  }

  cancel(): void {
    if (!this.#worker) return;
    this.phase = 'cancelled';
    this.#worker.terminate();
    this.#worker = undefined;
    this.#stop?.(new DOMException('cancelled', 'AbortError'));
  }

  decide(path: string, decision: 'pass' | 'fail', note = this.decisions[path]?.note): void {
    this.decisions[path] = { path, decision, ...(note ? { note } : {}) };
  }

  note(path: string, note: string): void {
    const current = this.decisions[path];
    if (current) this.decisions[path] = { ...current, note };
  }

  downloadJson(): void {
    const report = this.reviewed;
    if (report) offerDownload('verification-report.json', reportJson(report), 'application/json');
  }

  downloadHtml(): void {
    const report = this.reviewed;
    if (report) offerDownload('verification-report.html', reportHtml(report), 'text/html');
  }

  /** The files of the last check, to run it again (e.g. with a recipe). */
  get job(): VerifyJob | undefined {
    return this.#job;
  }
}

export const verifier = new VerifyRunner();
