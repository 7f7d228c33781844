// OCR in the browser (inside a module worker) with tesseract.js 7, every asset from the app's own origin under ocr/.

import { createWorker, OEM, PSM } from 'tesseract.js';
import { encodePgm } from '../../core/pixels/detect/pgm';
import { wordsFromPage, type TesseractPageLike } from '../../core/pixels/detect/tesseract-page';
import type { OcrEngine, OcrInput, OcrWord } from '../../core/pixels/detect/types';

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
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new OcrStartError(timeoutMs / 1000)), timeoutMs);
  });
  let worker: Awaited<typeof starting>;
  try {
    worker = await Promise.race([starting, timeout]);
  } catch (error) {
    // A late start must not leave a live worker behind.
    void starting.then((w) => w.terminate()).catch(() => undefined);
    throw error;
  } finally {
    clearTimeout(timer);
  }
  // debug_file: tesseract's notes ("Estimating resolution as ...") would go to stderr, which the
  // page shows as console errors; they carry no text from the image, but they are noise.
  await worker.setParameters({ tessedit_pageseg_mode: PSM.AUTO, debug_file: '/dev/null' });
  let layout: OcrInput['layout'] = 'page';
  return {
    async recognize(input: OcrInput): Promise<OcrWord[]> {
      // Calls to one worker run one at a time, so the mode set here holds for this image.
      const wanted = input.layout ?? 'page';
      if (wanted !== layout) {
        await worker.setParameters({
          tessedit_pageseg_mode: wanted === 'sparse' ? PSM.SPARSE_TEXT : PSM.AUTO,
        });
        layout = wanted;
      }
      const bytes = encodePgm(input.image);
      const result = await worker.recognize(
        bytes as unknown as Blob,
        {},
        { blocks: true, text: false },
      );
      return wordsFromPage(result.data as unknown as TesseractPageLike, input);
    },
    async terminate(): Promise<void> {
      await worker.terminate();
    },
  };
}
