// worker_threads entry of the scan step for the CLI (bundled to dist-cli/scan.node-worker.mjs).
import { exposeWorkerApi } from './expose';
import { scanWorkerApi } from './scan-api';

exposeWorkerApi(scanWorkerApi);
