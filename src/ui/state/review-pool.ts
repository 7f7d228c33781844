// The page's de-identification worker pool for the dry run, started lazily and kept for the page's life.
import { createPool, type Pool } from '../../../workers/pool';
import type { DeidWorkerApi } from '../../../workers/deid-api';

let pool: Pool<DeidWorkerApi> | undefined;

export function reviewDeidWorkers(): Pool<DeidWorkerApi> {
  pool ??= createPool<DeidWorkerApi>(
    () =>
      new Worker(new URL('../../../workers/deid.worker.ts', import.meta.url), {
        type: 'module',
        name: 'deid',
      }),
  );
  return pool;
}
