// Exposes a worker API over Comlink from a Web Worker or from a worker_threads thread, whichever this is.
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { isNode, workerThreads } from './node-runtime';

export function exposeWorkerApi(api: object): void {
  if (isNode()) {
    const { parentPort } = workerThreads();
    if (!parentPort) throw new Error('exposeWorkerApi must run inside a worker thread');
    Comlink.expose(
      api,
      nodeEndpoint(parentPort as unknown as Parameters<typeof nodeEndpoint>[0]) as Comlink.Endpoint,
    );
  } else {
    Comlink.expose(api);
  }
}
