// worker_threads entry of the de-identification step for the CLI (bundled to dist-cli/deid.node-worker.mjs).
import { exposeWorkerApi } from './expose';
import { deidWorkerApi, useCodecs } from './deid-api';
import { loadCodecs } from '../src/platform/node/codecs';

useCodecs(loadCodecs);
exposeWorkerApi(deidWorkerApi);
