// Web Worker entry of the de-identification step: exposes the de-identification API over Comlink.
import { exposeWorkerApi } from './expose';
import { deidWorkerApi } from './deid-api';

exposeWorkerApi(deidWorkerApi);
