// Web Worker entry of the Verify screen: the verification API over the browser's wasm codecs and tesseract.js.
import { exposeWorkerApi } from './expose';
import { createVerifyWorkerApi } from './verify-api';
import { loadCodecs } from '../src/platform/browser/codecs';
import { createBrowserOcr } from '../src/platform/browser/ocr';

exposeWorkerApi(createVerifyWorkerApi({ loadCodecs, createOcrEngine: () => createBrowserOcr() }));
