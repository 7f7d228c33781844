// The same worker pool for the CLI: worker_threads workers spoken to through Comlink's Node adapter.
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import type { Endpoint } from 'comlink';
import { createPoolOver, WorkerFailedError, type Pool, type PoolOptions } from './pool';
import { availableParallelism, workerThreads } from './node-runtime';

/**
 * A pool of worker_threads running `entry`: the path or file URL of a bundled worker script, e.g.
 * `new URL('./scan.node-worker.mjs', import.meta.url)` next to the CLI bundle that
 * scripts/build-cli.mjs writes (each workers/*.node-worker.ts becomes dist-cli/*.node-worker.mjs).
 * Call `pool.terminate()` when the command ends: live threads keep Node running.
 */
export function createNodePool<T>(entry: string | URL, options: PoolOptions = {}): Pool<T> {
  const { Worker } = workerThreads();
  return createPoolOver<T>(
    () => {
      const worker = new Worker(entry);
      let failed = false;
      return {
        endpoint: nodeEndpoint(worker as unknown as Parameters<typeof nodeEndpoint>[0]) as Endpoint,
        terminate: () => {
          failed = true;
          void worker.terminate();
        },
        onFailure(listener) {
          const fail = (message: string) => {
            if (failed) return;
            failed = true;
            listener(new WorkerFailedError(message));
          };
          worker.on('error', () => fail('a worker thread stopped with an uncaught error'));
          worker.on('exit', ((code: number) =>
            fail(`a worker thread exited with code ${code}`)) as (...a: never[]) => void);
        },
      };
    },
    {
      size: options.size ?? Math.max(2, availableParallelism()),
      idleTimeoutMs: options.idleTimeoutMs,
    },
  );
}
