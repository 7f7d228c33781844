// Web Worker entry of the pixel step: the pixels API over the browser's wasm codecs and tesseract.js.
import { exposeWorkerApi } from './expose';
import { createPixelsWorkerApi } from './pixels-api';
import { loadCodecs } from '../src/platform/browser/codecs';
import { createBrowserOcr } from '../src/platform/browser/ocr';

exposeWorkerApi(createPixelsWorkerApi({ loadCodecs, createOcrEngine: () => createBrowserOcr() }));
