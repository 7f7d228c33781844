// A typed pool of Comlink workers: lazy start, a queue, cancel and idle timeout terminate, failures reject.
import * as Comlink from 'comlink';

/** One started worker as the pool sees it, whatever runtime it lives in (Web Worker or worker_threads). */
export interface PoolWorker {
  endpoint: Comlink.Endpoint;
  terminate(): void;
  /** Called once if the worker dies or throws outside a call (the call it was running cannot finish). */
  onFailure(listener: (error: Error) => void): void;
}

/** The calls the pool was running or holding when `cancel()` came are rejected with this. */
export class PoolCancelledError extends Error {
  readonly code = 'cancelled';
  constructor(message = 'cancelled') {
    super(message);
    this.name = 'PoolCancelledError';
  }
}

/** A worker died (crash, out of memory, uncaught error) while running a call. */
export class WorkerFailedError extends Error {
  readonly code = 'worker-failed';
  constructor(message: string) {
    super(message);
    this.name = 'WorkerFailedError';
  }
}

export function isCancellation(error: unknown): error is PoolCancelledError {
  return error instanceof PoolCancelledError;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyFunction = (...args: any[]) => unknown;
export type MethodKey<T> = { [K in keyof T]: T[K] extends AnyFunction ? K : never }[keyof T] &
  string;
type Method<T, K extends MethodKey<T>> = T[K] extends AnyFunction ? T[K] : never;

export interface Pool<T> {
  /** Runs a task with the remote API of the next free worker (start one if the pool may grow). */
  run<R>(task: (api: Comlink.Remote<T>) => Promise<R>): Promise<R>;
  /**
   * Calls one method on the next free worker. `transfer` lists buffers inside the first argument
   * (which must then be an object) that move instead of being copied: they are detached here after.
   */
  call<K extends MethodKey<T>>(
    method: K,
    args: Parameters<Method<T, K>>,
    transfer?: Transferable[],
  ): Promise<Awaited<ReturnType<Method<T, K>>>>;
  /** Terminates every worker now and rejects running and queued calls with PoolCancelledError. The pool stays usable. */
  cancel(reason?: string): void;
  /** Terminates idle workers and those of later calls; use at the end of a CLI run. Same as cancel, with a reason. */
  terminate(): void;
  readonly size: number;
  /** Workers alive now (0 before the first call and after cancel or idle timeout). */
  readonly liveWorkers: number;
  /** Calls running or queued. */
  readonly pendingCalls: number;
}

export interface PoolOptions {
  size?: number;
  /** Idle workers are terminated after this long without a call (default 30 s; 0 keeps them). */
  idleTimeoutMs?: number;
}

interface Job<T> {
  task: (api: Comlink.Remote<T>) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  settled: boolean;
}

interface Slot<T> {
  worker: PoolWorker;
  remote: Comlink.Remote<T>;
  job?: Job<T>;
}

export const DEFAULT_IDLE_TIMEOUT_MS = 30_000;

export function defaultPoolSize(): number {
  const cores = typeof navigator === 'undefined' ? undefined : navigator.hardwareConcurrency;
  return Math.max(2, cores ?? 2);
}

/** The pool over any way of starting a worker; `createPool` (browser) and `createNodePool` (CLI) build on it. */
export function createPoolOver<T>(spawn: () => PoolWorker, options: PoolOptions = {}): Pool<T> {
  const size = Math.max(1, Math.floor(options.size ?? defaultPoolSize()));
  const idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  let slots: Slot<T>[] = [];
  let queue: Job<T>[] = [];
  let idleTimer: ReturnType<typeof setTimeout> | undefined;

  const settle = (job: Job<T>, outcome: { value: unknown } | { error: unknown }): void => {
    if (job.settled) return;
    job.settled = true;
    if ('error' in outcome) job.reject(outcome.error);
    else job.resolve(outcome.value);
  };

  const startSlot = (): Slot<T> => {
    const worker = spawn();
    const slot: Slot<T> = { worker, remote: Comlink.wrap<T>(worker.endpoint) };
    worker.onFailure((error) => {
      if (!slots.includes(slot)) return;
      slots = slots.filter((s) => s !== slot);
      worker.terminate();
      if (slot.job) settle(slot.job, { error });
      pump();
    });
    slots.push(slot);
    return slot;
  };

  const scheduleIdle = (): void => {
    if (idleTimer !== undefined) clearTimeout(idleTimer);
    idleTimer = undefined;
    if (idleTimeoutMs <= 0 || slots.length === 0 || queue.length > 0 || slots.some((s) => s.job))
      return;
    idleTimer = setTimeout(() => {
      idleTimer = undefined;
      if (queue.length > 0 || slots.some((s) => s.job)) return;
      for (const slot of slots) slot.worker.terminate();
      slots = [];
    }, idleTimeoutMs);
    // In Node an idle timer must not keep the process alive on its own.
    (idleTimer as { unref?: () => void }).unref?.();
  };

  const pump = (): void => {
    while (queue.length > 0) {
      const slot = slots.find((s) => !s.job) ?? (slots.length < size ? startSlot() : undefined);
      if (!slot) break;
      const job = queue.shift()!;
      slot.job = job;
      let started: Promise<unknown>;
      try {
        started = job.task(slot.remote);
      } catch (error) {
        started = Promise.reject(error);
      }
      started
        .then(
          (value) => settle(job, { value }),
          (error: unknown) => settle(job, { error }),
        )
        .finally(() => {
          if (slot.job === job) slot.job = undefined;
          pump();
        });
    }
    scheduleIdle();
  };

  const cancel = (reason = 'cancelled'): void => {
    const error = new PoolCancelledError(reason);
    const running = slots;
    const waiting = queue;
    slots = [];
    queue = [];
    for (const slot of running) {
      slot.worker.terminate();
      if (slot.job) settle(slot.job, { error });
    }
    for (const job of waiting) settle(job, { error });
    scheduleIdle();
  };

  const run = <R>(task: (api: Comlink.Remote<T>) => Promise<R>): Promise<R> =>
    new Promise<R>((resolve, reject) => {
      queue.push({ task, resolve: resolve as (value: unknown) => void, reject, settled: false });
      pump();
    });

  return {
    run,
    call(method, args, transfer) {
      if (transfer && transfer.length > 0) {
        if (typeof args[0] !== 'object' || args[0] === null)
          throw new TypeError('transfer needs an object as first argument');
        Comlink.transfer(args[0], transfer);
      }
      return run((api) => {
        const fn = (api as unknown as Record<string, (...a: unknown[]) => Promise<never>>)[method];
        return fn(...(args as unknown[]));
      });
    },
    cancel,
    terminate: () => cancel('pool terminated'),
    size,
    get liveWorkers() {
      return slots.length;
    },
    get pendingCalls() {
      return queue.length + slots.filter((s) => s.job).length;
    },
  };
}

/**
 * The browser pool. The factory must be written as
 * `() => new Worker(new URL('./scan.worker.ts', import.meta.url), { type: 'module' })` so Vite bundles the worker.
 */
export function createPool<T>(
  factory: () => Worker,
  size = defaultPoolSize(),
  options: Omit<PoolOptions, 'size'> = {},
): Pool<T> {
  return createPoolOver<T>(
    () => {
      const worker = factory();
      return {
        endpoint: worker,
        terminate: () => worker.terminate(),
        onFailure(listener) {
          worker.addEventListener('error', (event) => {
            event.preventDefault();
            listener(new WorkerFailedError('a worker stopped with an uncaught error'));
          });
          worker.addEventListener('messageerror', () =>
            listener(new WorkerFailedError('a worker message could not be read')),
          );
        },
      };
    },
    { ...options, size },
  );
}

export { proxy, transfer } from 'comlink';
