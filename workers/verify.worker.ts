// Web Worker entry of the Verify screen: exposes the verification API over Comlink.
import { exposeWorkerApi } from './expose';
import { verifyWorkerApi } from './verify-api';

exposeWorkerApi(verifyWorkerApi);
