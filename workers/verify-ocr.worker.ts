// Web Worker entry of one OCR reader of the Verify screen, started by verify.worker.ts: the
// verification API (only its ocrImage is called) over the browser's wasm codecs and tesseract.js.
import { exposeWorkerApi } from './expose';
import { createVerifyWorkerApi } from './verify-api';
import { loadCodecs } from '../src/platform/browser/codecs';
import { createBrowserOcr } from '../src/platform/browser/ocr';

exposeWorkerApi(createVerifyWorkerApi({ loadCodecs, createOcrEngine: () => createBrowserOcr() }));
