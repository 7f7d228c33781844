// Progress of a scan: counters, rate and ETA, emitted at most 10 times a second (plus the last event).

export type ScanPhase = 'reading' | 'aggregating' | 'done' | 'cancelled' | 'failed';

export interface ScanProgress {
  runId: string;
  phase: ScanPhase;
  /** Files finished: indexed, rejected or skipped. */
  filesDone: number;
  /** Files found so far; final once `walkComplete`. */
  filesTotal: number;
  walkComplete: boolean;
  filesIndexed: number;
  filesRejected: number;
  /** Indexed (or found not DICOM) by an earlier scan, same size and modification time: not read again. */
  filesSkipped: number;
  /** Head bytes read from disk. */
  bytesRead: number;
  /** Files read per second since the start (skipped files excluded: they cost nothing). */
  filesPerSecond: number;
  /** Seconds left, once the walk is complete and a rate is known. */
  etaSeconds?: number;
}

export const PROGRESS_INTERVAL_MS = 100;

export class ScanCounters {
  filesTotal = 0;
  walkComplete = false;
  indexed = 0;
  rejected = 0;
  skipped = 0;
  bytesRead = 0;
  private lastEmit = -Infinity;
  private readonly startedAt: number;

  constructor(
    readonly runId: string,
    private readonly onProgress: ((progress: ScanProgress) => void) | undefined,
    private readonly now: () => number = () => Date.now(),
  ) {
    this.startedAt = now();
  }

  get done(): number {
    return this.indexed + this.rejected + this.skipped;
  }

  snapshot(phase: ScanPhase): ScanProgress {
    const seconds = Math.max(0.001, (this.now() - this.startedAt) / 1000);
    const read = this.indexed + this.rejected;
    const filesPerSecond = read / seconds;
    const progress: ScanProgress = {
      runId: this.runId,
      phase,
      filesDone: this.done,
      filesTotal: this.filesTotal,
      walkComplete: this.walkComplete,
      filesIndexed: this.indexed,
      filesRejected: this.rejected,
      filesSkipped: this.skipped,
      bytesRead: this.bytesRead,
      filesPerSecond,
    };
    if (this.walkComplete && filesPerSecond > 0)
      progress.etaSeconds = (this.filesTotal - this.done) / filesPerSecond;
    return progress;
  }

  /** Emits unless the last event was under 100 ms ago; `force` for phase changes and the end. */
  emit(phase: ScanPhase, force = false): void {
    if (!this.onProgress) return;
    const now = this.now();
    if (!force && now - this.lastEmit < PROGRESS_INTERVAL_MS) return;
    this.lastEmit = now;
    this.onProgress(this.snapshot(phase));
  }
}
