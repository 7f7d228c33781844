// Reaches Node's worker_threads and os from code that tsconfig.worker.json compiles without Node types.
//
// Everything under workers/ is type-checked with the worker lib only (no @types/node), so that a
// browser worker can never lean on Node by accident. The few Node entry points reach the built-in
// modules through process.getBuiltinModule (Node >= 20.16) and type the small part they use here.

export interface NodeWorkerLike {
  postMessage(message: unknown, transfer?: readonly unknown[]): void;
  on(event: string, listener: (...args: never[]) => void): unknown;
  off(event: string, listener: (...args: never[]) => void): unknown;
  once(event: string, listener: (...args: never[]) => void): unknown;
  terminate(): Promise<number>;
  unref(): void;
  ref(): void;
}

export interface NodeMessagePortLike {
  postMessage(message: unknown, transfer?: readonly unknown[]): void;
  on(event: string, listener: (...args: never[]) => void): unknown;
  off(event: string, listener: (...args: never[]) => void): unknown;
}

interface WorkerThreadsModule {
  Worker: new (
    filename: string | URL,
    options?: { workerData?: unknown; resourceLimits?: object },
  ) => NodeWorkerLike;
  parentPort: NodeMessagePortLike | null;
  isMainThread: boolean;
}

interface OsModule {
  availableParallelism(): number;
}

interface NodeProcess {
  getBuiltinModule?: (id: string) => unknown;
}

function nodeProcess(): NodeProcess | undefined {
  return (globalThis as { process?: NodeProcess }).process;
}

/** True when running in Node (main thread or a worker thread). */
export function isNode(): boolean {
  return typeof nodeProcess()?.getBuiltinModule === 'function';
}

function builtin<T>(id: string): T {
  const getBuiltinModule = nodeProcess()?.getBuiltinModule;
  if (!getBuiltinModule) throw new Error(`${id} needs Node 20.16 or newer`);
  return getBuiltinModule(id) as T;
}

export function workerThreads(): WorkerThreadsModule {
  return builtin<WorkerThreadsModule>('node:worker_threads');
}

export function availableParallelism(): number {
  return builtin<OsModule>('node:os').availableParallelism();
}
