// worker_threads entry of verification for the CLI (bundled to dist-cli/verify.node-worker.mjs):
// the verification API (the CLI calls its ocrImage) over the wasm codecs and tesseract.js from node_modules.
import { exposeWorkerApi } from './expose';
import { createVerifyWorkerApi } from './verify-api';
import { loadCodecs } from '../src/platform/node/codecs';
import { createNodeOcr } from '../src/platform/node/ocr';

exposeWorkerApi(createVerifyWorkerApi({ loadCodecs, createOcrEngine: () => createNodeOcr() }));
