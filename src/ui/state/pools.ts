// The page's worker pools, started lazily and kept for the page's life (a cancel leaves them usable).
import { createPool, type Pool } from '../../../workers/pool';
import type { ScanWorkerApi } from '../../../workers/scan-api';
import type { DeidWorkerApi } from '../../../workers/deid-api';
import type { PixelsWorkerApi } from '../../../workers/pixels-api';
import type { ReportWorkerApi } from '../../../workers/report-api';

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

let pixelsPool: Pool<PixelsWorkerApi> | undefined;

/**
 * The pixel scan's pool. Each worker starts its own OCR engine (~150 MB, ~1 s), so it stays small:
 * at most two workers (one on a single-core machine).
 */
export function pixelsWorkers(): Pool<PixelsWorkerApi> {
  pixelsPool ??= createPool<PixelsWorkerApi>(
    () =>
      new Worker(new URL('../../../workers/pixels.worker.ts', import.meta.url), {
        type: 'module',
        name: 'pixels',
      }),
    Math.min(2, navigator.hardwareConcurrency || 2),
  );
  return pixelsPool;
}

let pixelViewPool: Pool<PixelsWorkerApi> | undefined;

/**
 * One worker for the Pixels screen's thumbnails and viewer, apart from the scan so a picture never
 * waits behind OCR. It never starts OCR (rendering needs only the decoders).
 */
export function pixelViewWorker(): Pool<PixelsWorkerApi> {
  pixelViewPool ??= createPool<PixelsWorkerApi>(
    () =>
      new Worker(new URL('../../../workers/pixels.worker.ts', import.meta.url), {
        type: 'module',
        name: 'pixels-view',
      }),
    1,
    { idleTimeoutMs: 120_000 },
  );
  return pixelViewPool;
}

let reportPool: Pool<ReportWorkerApi> | undefined;

/**
 * The Report screen's worker: one, since it keeps the packages it read (so a new labels CSV only
 * builds the report again). Idle for five minutes it stops and frees them; the next build then
 * reads the zips again.
 */
export function reportWorker(): Pool<ReportWorkerApi> {
  reportPool ??= createPool<ReportWorkerApi>(
    () =>
      new Worker(new URL('../../../workers/report.worker.ts', import.meta.url), {
        type: 'module',
        name: 'report',
      }),
    1,
    { idleTimeoutMs: 300_000 },
  );
  return reportPool;
}
