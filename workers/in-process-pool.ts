// A Pool that runs a worker API on this thread: for tests and tools where the transport is not under test.
import type * as Comlink from 'comlink';
import { PoolCancelledError, type Pool } from './pool';

/**
 * The calls go straight to `api`, but the first argument still crosses a structured clone with its
 * `transfer` list, so transferred buffers are detached exactly as with a real worker.
 */
export function createInProcessPool<T extends object>(api: T, size = 2): Pool<T> {
  let generation = 0;
  let pending = 0;
  const run = async <R>(task: (remote: Comlink.Remote<T>) => Promise<R>): Promise<R> => {
    const started = generation;
    pending++;
    try {
      const value = await task(api as unknown as Comlink.Remote<T>);
      if (started !== generation) throw new PoolCancelledError();
      return value;
    } finally {
      pending--;
    }
  };
  return {
    run,
    call(method, args, transfer) {
      const [first, ...rest] = args as unknown[];
      const crossed = structuredClone(first, transfer ? { transfer } : undefined);
      const fn = (api as Record<string, (...a: unknown[]) => Promise<never>>)[method];
      return run(() => fn.call(api, crossed, ...rest));
    },
    cancel() {
      generation++;
    },
    terminate() {
      generation++;
    },
    size,
    liveWorkers: 0,
    get pendingCalls() {
      return pending;
    },
  };
}
