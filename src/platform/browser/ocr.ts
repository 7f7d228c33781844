// OCR in the browser (inside a module worker) with tesseract.js 7, every asset from the app's own origin under ocr/.

import { createWorker, OEM } from 'tesseract.js';
import type { OcrEngine } from '../../core/pixels/detect/types';
import { engineOver, startWithTimeout } from '../tesseract-engine';

export interface BrowserOcrOptions {
  /** The folder vite.config.ts copies the OCR assets to; default: `ocr/` at the app's root. */
  assetsBase?: string | URL;
  /** Give up starting the engine after this long (ms). */
  startTimeoutMs?: number;
}

/** Thrown when the engine does not start in time (most often a CSP without 'wasm-unsafe-eval'). */
export class OcrStartError extends Error {
  constructor(seconds: number) {
    super(
      `The text reader (OCR) did not start within ${seconds} s. The page must allow WebAssembly ` +
        "('wasm-unsafe-eval' in its Content-Security-Policy) and serve ocr/worker.min.js, ocr/core/ and ocr/lang/.",
    );
    this.name = 'OcrStartError';
  }
}

// Bundled code lives in assets/; the OCR folder sits beside it at the app root. Kept in a variable
// so that Vite does not try to resolve the folder as a build-time asset.
const moduleUrl = import.meta.url;

/** The default assets folder: `../ocr/` from the bundled module (so it follows the app's base path). */
export function defaultOcrBase(): URL {
  return new URL('../ocr/', moduleUrl);
}

/**
 * One tesseract.js worker, offline: workerPath, corePath and langPath on our origin,
 * `workerBlobURL: false` (a blob: worker would need a wider CSP), `cacheMethod: 'none'` (no second
 * copy of the language data in IndexedDB), LSTM only, page segmentation 3 (automatic; 6, the
 * library's default, reads ultrasound speckle as words). Images go in as PGM bytes, which the
 * engine reads without a DOM. Creation is raced against a timeout: under a CSP without
 * 'wasm-unsafe-eval' createWorker never settles.
 */
export async function createBrowserOcr(options: BrowserOcrOptions = {}): Promise<OcrEngine> {
  const base = new URL(String(options.assetsBase ?? defaultOcrBase()), moduleUrl);
  const timeoutMs = options.startTimeoutMs ?? 30_000;
  const starting = createWorker('eng', OEM.LSTM_ONLY, {
    workerPath: new URL('worker.min.js', base).href,
    corePath: new URL('core/', base).href,
    langPath: new URL('lang', base).href,
    workerBlobURL: false,
    cacheMethod: 'none',
    gzip: true,
  });
  const worker = await startWithTimeout(
    starting,
    timeoutMs,
    () => new OcrStartError(timeoutMs / 1000),
  );
  return engineOver(worker, (pgm) => pgm as unknown as Blob);
}
