// worker_threads entry of the de-identification step for the CLI (bundled to dist-cli/deid.node-worker.mjs).
import { exposeWorkerApi } from './expose';
import { deidWorkerApi } from './deid-api';

exposeWorkerApi(deidWorkerApi);
