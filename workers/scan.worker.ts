// Web Worker entry of the scan step: exposes the scan API over Comlink, nothing else.
import { exposeWorkerApi } from './expose';
import { scanWorkerApi } from './scan-api';

exposeWorkerApi(scanWorkerApi);
