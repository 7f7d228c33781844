// A tiny worker for the pool's own tests: echoes, waits, reports progress, crashes on demand.
import { exposeWorkerApi } from './expose';
import { throttleProgress } from './progress';

const startedAt = `${Date.now()}-${Math.random()}`;

export const probeApi = {
  /** Which worker answered (unique per started worker). */
  identity(): string {
    return startedAt;
  },
  byteLength(input: { buffer: ArrayBuffer }): number {
    return input.buffer.byteLength;
  },
  async sleep(ms: number): Promise<string> {
    await new Promise((resolve) => setTimeout(resolve, ms));
    return startedAt;
  },
  /** Reports `steps` steps over about `ms` milliseconds through a throttled proxy callback. */
  async count(steps: number, ms: number, onProgress: (done: number) => void): Promise<number> {
    const progress = throttleProgress(onProgress, 100);
    for (let i = 1; i <= steps; i++) {
      await new Promise((resolve) => setTimeout(resolve, ms / steps));
      progress.report(i);
    }
    await progress.flush();
    return steps;
  },
  crash(): void {
    setTimeout(() => {
      throw new Error('probe crash');
    });
  },
};

export type ProbeApi = typeof probeApi;

exposeWorkerApi(probeApi);
