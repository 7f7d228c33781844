// worker_threads entry of the pixel step for the CLI (bundled to dist-cli/pixels.node-worker.mjs):
// the pixels API over the wasm codecs and tesseract.js loaded from node_modules.
import { exposeWorkerApi } from './expose';
import { createPixelsWorkerApi } from './pixels-api';
import { loadCodecs } from '../src/platform/node/codecs';
import { createNodeOcr } from '../src/platform/node/ocr';

exposeWorkerApi(createPixelsWorkerApi({ loadCodecs, createOcrEngine: () => createNodeOcr() }));
