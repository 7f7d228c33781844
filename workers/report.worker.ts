// Web Worker entry of the Report screen: exposes the dataset report API over Comlink, nothing else.
import { exposeWorkerApi } from './expose';
import { createReportWorkerApi } from './report-api';

exposeWorkerApi(createReportWorkerApi());
