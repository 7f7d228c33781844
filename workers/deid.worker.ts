// Web Worker entry of the de-identification step: exposes the de-identification API over Comlink.
import { exposeWorkerApi } from './expose';
import { deidWorkerApi, useCodecs } from './deid-api';
import { loadCodecs } from '../src/platform/browser/codecs';

useCodecs(loadCodecs);
exposeWorkerApi(deidWorkerApi);
