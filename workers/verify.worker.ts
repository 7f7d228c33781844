// Web Worker entry of the Verify screen: the verification API over the browser's wasm codecs and
// tesseract.js; the OCR phase reads in this worker and in a nested verify-ocr worker at once.
import { exposeWorkerApi } from './expose';
import { createPool } from './pool';
import { createVerifyWorkerApi, ocrWorkersOver, type VerifyWorkerApi } from './verify-api';
import { loadCodecs } from '../src/platform/browser/codecs';
import { createBrowserOcr } from '../src/platform/browser/ocr';

/** Two readers (one on a single-core machine): each engine costs ~150 MB and a core. */
const OCR_READERS = Math.max(1, Math.min(2, navigator.hardwareConcurrency || 2));

exposeWorkerApi(
  createVerifyWorkerApi({
    loadCodecs,
    createOcrEngine: () => createBrowserOcr(),
    ocrReaders: OCR_READERS,
    // Nested workers end with this one, so the page's cancel (terminate) stops them too.
    ocrWorkers: (count) =>
      ocrWorkersOver(
        createPool<VerifyWorkerApi>(
          () =>
            new Worker(new URL('./verify-ocr.worker.ts', import.meta.url), {
              type: 'module',
              name: 'verify-ocr',
            }),
          Math.max(1, count),
          { idleTimeoutMs: 0 },
        ),
      ),
  }),
);
