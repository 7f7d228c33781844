// Web Worker entry of the Inventory screen's rows: exposes the inventory view API over Comlink, nothing else.
import { exposeWorkerApi } from './expose';
import { inventoryViewApi } from './inventory-view-api';

exposeWorkerApi(inventoryViewApi());
