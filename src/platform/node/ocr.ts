// OCR in Node with tesseract.js 7, fully offline: the engine, wasm core and English data from node_modules.

import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createWorker, OEM } from 'tesseract.js';
import type { OcrEngine } from '../../core/pixels/detect/types';
import { engineOver, startWithTimeout } from '../tesseract-engine';

export interface NodeOcrOptions {
  /** Folder holding eng.traineddata.gz; default: @tesseract.js-data/eng's 4.0.0_best_int. */
  langPath?: string;
  /** Give up starting the engine after this long (ms). */
  startTimeoutMs?: number;
}

/** The folder of the LSTM-only English data shipped by @tesseract.js-data/eng. */
export function defaultLangPath(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@tesseract.js-data/eng/package.json')), '4.0.0_best_int');
}

/**
 * One tesseract.js worker (a worker_thread) in LSTM-only mode, page segmentation 3 (automatic):
 * mode 6, tesseract.js's default, reads ultrasound speckle as text. Images go in as PGM bytes.
 */
export async function createNodeOcr(options: NodeOcrOptions = {}): Promise<OcrEngine> {
  const timeoutMs = options.startTimeoutMs ?? 60_000;
  const starting = createWorker('eng', OEM.LSTM_ONLY, {
    langPath: options.langPath ?? defaultLangPath(),
    cacheMethod: 'none',
    gzip: true,
  });
  const worker = await startWithTimeout(
    starting,
    timeoutMs,
    () => new Error(`the OCR engine did not start within ${timeoutMs / 1000} s`),
  );
  return engineOver(worker, (pgm) => Buffer.from(pgm.buffer, pgm.byteOffset, pgm.byteLength));
}
