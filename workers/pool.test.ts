// The worker pool over real worker_threads (Comlink's Node adapter): lazy start, queue, cancel,
// failures, idle timeout, transfer and batched progress.
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { readFile } from 'node:fs/promises';
import { createNodePool } from './node-pool';
import { isCancellation, PoolCancelledError, proxy, WorkerFailedError, type Pool } from './pool';
import type { ProbeApi } from './pool-probe.fixture';
import type { ScanWorkerApi } from './scan-api';
import { NOT_DICOM_REASON } from './scan-api';
import { bundleWorker } from '../src/platform/node/bundle-worker.test-support';

let probeEntry: string;
let scanEntry: string;
const pools: Pool<unknown>[] = [];

beforeAll(async () => {
  [probeEntry, scanEntry] = await Promise.all([
    bundleWorker(new URL('./pool-probe.fixture.ts', import.meta.url)),
    bundleWorker(new URL('./scan.node-worker.ts', import.meta.url)),
  ]);
});

afterEach(() => {
  for (const pool of pools.splice(0)) pool.terminate();
});

function probePool(size = 2, idleTimeoutMs?: number): Pool<ProbeApi> {
  const pool = createNodePool<ProbeApi>(probeEntry, { size, idleTimeoutMs });
  pools.push(pool as Pool<unknown>);
  return pool;
}

describe('worker pool (worker_threads)', () => {
  test('lazy start: no worker before the first call, at most `size` after many', async () => {
    const pool = probePool(2);
    expect(pool.liveWorkers).toBe(0);
    const ids = await Promise.all(Array.from({ length: 6 }, () => pool.call('sleep', [30])));
    expect(pool.liveWorkers).toBe(2);
    expect(new Set(ids).size).toBe(2);
  });

  test('calls beyond the pool size wait in the queue and all complete', async () => {
    const pool = probePool(1);
    const started = Date.now();
    const results = await Promise.all([
      pool.call('sleep', [40]),
      pool.call('sleep', [40]),
      pool.call('sleep', [40]),
    ]);
    expect(results).toHaveLength(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
    expect(pool.pendingCalls).toBe(0);
  });

  test('cancel terminates the workers and rejects running and queued calls with a cancellation error', async () => {
    const pool = probePool(1);
    await pool.call('identity', []);
    const first = await pool.call('identity', []);
    const running = pool.call('sleep', [5000]);
    const queued = pool.call('sleep', [5000]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    pool.cancel();
    await expect(running).rejects.toBeInstanceOf(PoolCancelledError);
    await expect(queued).rejects.toSatisfy(isCancellation);
    expect(pool.liveWorkers).toBe(0);
    // The pool stays usable: the next call starts a new worker.
    const next = await pool.call('identity', []);
    expect(next).not.toBe(first);
  });

  test('a worker that dies rejects its call with WorkerFailedError and is replaced', async () => {
    const pool = probePool(1);
    const before = await pool.call('identity', []);
    await pool.call('crash', []);
    await expect(pool.call('sleep', [2000])).rejects.toBeInstanceOf(WorkerFailedError);
    const after = await pool.call('identity', []);
    expect(after).not.toBe(before);
    expect(pool.liveWorkers).toBe(1);
  });

  test('idle timeout terminates idle workers; the next call starts one again', async () => {
    const pool = probePool(2, 50);
    await pool.call('identity', []);
    expect(pool.liveWorkers).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(pool.liveWorkers).toBe(0);
    expect(await pool.call('identity', [])).toBeTypeOf('string');
  });

  test('transferred buffers are detached on the sending side', async () => {
    const pool = probePool(1);
    const buffer = new ArrayBuffer(1024);
    const input = { buffer };
    expect(await pool.call('byteLength', [input], [buffer])).toBe(1024);
    expect(buffer.byteLength).toBe(0);
    const copied = new ArrayBuffer(16);
    expect(await pool.call('byteLength', [{ buffer: copied }])).toBe(16);
    expect(copied.byteLength).toBe(16);
  });

  test('progress comes back through a Comlink.proxy callback, batched to about 10 per second', async () => {
    const pool = probePool(1);
    const seen: number[] = [];
    const steps = await pool.run((api) =>
      api.count(
        200,
        400,
        proxy((done: number) => void seen.push(done)),
      ),
    );
    expect(steps).toBe(200);
    expect(seen.at(-1)).toBe(200);
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(seen.length).toBeLessThanOrEqual(12);
  });

  test('the scan worker returns errors as values that name their file, over the real boundary', async () => {
    const pool = createNodePool<ScanWorkerApi>(scanEntry, { size: 1 });
    pools.push(pool as Pool<unknown>);
    const dicom = await readFile(
      new URL('../test-data/dicom-samples/CT_small.dcm', import.meta.url),
    );
    const good = dicom.buffer.slice(dicom.byteOffset, dicom.byteOffset + dicom.byteLength);
    const bad = new TextEncoder().encode('hello, not an image').buffer;
    const results = await pool.call(
      'indexFiles',
      [
        [
          { fileId: 'r/CT_small.dcm', path: 'CT_small.dcm', bytes: good, size: good.byteLength },
          { fileId: 'r/notes.txt', path: 'notes.txt', bytes: bad, size: bad.byteLength },
        ],
      ],
      [good, bad],
    );
    expect(good.byteLength).toBe(0);
    expect(results[0]).toMatchObject({
      fileId: 'r/CT_small.dcm',
      ok: true,
      row: { Modality: 'CT' },
    });
    expect(results[1]).toEqual({
      fileId: 'r/notes.txt',
      ok: false,
      code: 'not-dicom',
      reason: NOT_DICOM_REASON,
    });
  });
});
