// The dry run the Review screen starts: plan the current selection, de-identify it in workers
// writing nothing, gather every value left, keep the list in settings. Progress and cancel.
import { runDryRun } from '../../pipeline/dump';
import { deidWorkers } from './pools';
import { SelectionProblem } from './review-files';
import { planReview } from './review-plan';
import { reviewBasisKey } from './review-gate-rule';
import {
  countByReason,
  loadDecisions,
  recipeKeyOf,
  saveDump,
  SecretLockedError,
  type StoredDump,
} from './review-store';

export type DryRunPhase = 'idle' | 'preparing' | 'running' | 'saving' | 'failed';

/** How often the progress on screen changes at most (a message per file would flood the page). */
const PROGRESS_EVERY_MS = 150;

class DryRunner {
  phase = $state<DryRunPhase>('idle');
  done = $state(0);
  total = $state(0);
  filesPerSecond = $state(0);
  etaSeconds = $state<number | undefined>();
  /** What went wrong, in plain words (never a value from a file). */
  error = $state<string | undefined>();
  #abort: AbortController | undefined;

  get busy(): boolean {
    return this.phase === 'preparing' || this.phase === 'running' || this.phase === 'saving';
  }

  /** Runs the dry run to its end; returns the stored result, or undefined when cancelled or failed. */
  async run(): Promise<StoredDump | undefined> {
    if (this.busy) return undefined;
    const abort = new AbortController();
    this.#abort = abort;
    this.phase = 'preparing';
    this.error = undefined;
    this.done = 0;
    this.total = 0;
    this.filesPerSecond = 0;
    this.etaSeconds = undefined;
    const pool = deidWorkers();
    try {
      const { recipe, planned, setup } = await planReview(`review-${crypto.randomUUID()}`);
      if (abort.signal.aborted) return this.#stopped();
      this.phase = 'running';
      this.total = planned.length;
      const started = performance.now();
      let shown = 0;
      const result = await runDryRun({
        planned,
        setup,
        deid: (job) => pool.call('deidentifyFile', [job]),
        window: pool.size * 2,
        signal: abort.signal,
        onProgress: (done, total) => {
          const now = performance.now();
          if (now - shown < PROGRESS_EVERY_MS && done < total) return;
          shown = now;
          const seconds = (now - started) / 1000;
          this.done = done;
          this.filesPerSecond = seconds > 0 ? done / seconds : 0;
          this.etaSeconds =
            this.filesPerSecond > 0 ? (total - done) / this.filesPerSecond : undefined;
        },
      });
      if (abort.signal.aborted) return this.#stopped();
      this.phase = 'saving';
      const dump: StoredDump = {
        version: 1,
        finishedAt: Date.now(),
        files: planned.length,
        failures: countByReason(result.failures),
        recipeKey: recipeKeyOf(recipe),
        basisKey: reviewBasisKey(recipe, await loadDecisions()),
        rows: result.rows,
      };
      await saveDump(dump);
      this.phase = 'idle';
      return dump;
    } catch (e) {
      if (abort.signal.aborted) return this.#stopped();
      this.phase = 'failed';
      this.error = describeFailure(e);
      return undefined;
    } finally {
      this.#abort = undefined;
    }
  }

  /** Stops the run; the list of the previous run stays as it was. */
  cancel(): void {
    this.#abort?.abort();
    deidWorkers().cancel('dry run cancelled');
  }

  #stopped(): undefined {
    this.phase = 'idle';
    return undefined;
  }
}

function describeFailure(e: unknown): string {
  if (e instanceof SelectionProblem) return e.message;
  if (e instanceof SecretLockedError)
    return 'The project secret is locked with a passphrase. Unlock it, then run the dry run again.';
  const name = e instanceof Error ? e.name : 'error';
  if (name === 'QuotaExceededError')
    return 'The browser ran out of storage space for the list. Free some space and try again.';
  // The class only: messages of file and store errors can hold paths.
  return `The dry run stopped (${name}). Nothing was written; you can start it again.`;
}

export const dryRun = new DryRunner();
