// The page's worker pools, started lazily and kept for the page's life (a cancel leaves them usable).
import { createPool, type Pool } from '../../../workers/pool';
import type { ScanWorkerApi } from '../../../workers/scan-api';
import type { DeidWorkerApi } from '../../../workers/deid-api';

let scanPool: Pool<ScanWorkerApi> | undefined;

export function scanWorkers(): Pool<ScanWorkerApi> {
  scanPool ??= createPool<ScanWorkerApi>(
    () =>
      new Worker(new URL('../../../workers/scan.worker.ts', import.meta.url), {
        type: 'module',
        name: 'scan',
      }),
  );
  return scanPool;
}

let deidPool: Pool<DeidWorkerApi> | undefined;

export function deidWorkers(): Pool<DeidWorkerApi> {
  deidPool ??= createPool<DeidWorkerApi>(
    () =>
      new Worker(new URL('../../../workers/deid.worker.ts', import.meta.url), {
        type: 'module',
        name: 'deid',
      }),
  );
  return deidPool;
}
