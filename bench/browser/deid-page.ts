// Bench-only page for bench/deid-chromium.bench.ts: fills OPFS, then times plain copies (the floor)
// and de-identification through the real worker pool and worker entry, all in this one page.
import { createPool } from '../../workers/pool';
import type { DeidSetup, DeidWorkerApi } from '../../workers/deid-api';
import { defaultRecipe } from '../../src/core/profile/recipe';
import { IoWorker } from './opfs-io-protocol';

export const INPUT = 'deid-in';

export interface Timed {
  files: number;
  bytes: number;
  seconds: number;
}

const ioUrl = new URL('./opfs-io.worker.js', import.meta.url);
let ioWorker: IoWorker | undefined;
const io = (): IoWorker => (ioWorker ??= new IoWorker(ioUrl));

async function folder(path: string, create = true): Promise<FileSystemDirectoryHandle> {
  let dir = await navigator.storage.getDirectory();
  for (const part of path.split('/').filter(Boolean))
    dir = await dir.getDirectoryHandle(part, { create });
  return dir;
}

/** File handles of the input paths, looked up once before any timing. */
async function inputHandles(paths: string[]): Promise<FileSystemFileHandle[]> {
  const handles: FileSystemFileHandle[] = [];
  for (const path of paths) {
    const parts = path.split('/');
    const name = parts.pop()!;
    handles.push(await (await folder(`${INPUT}/${parts.join('/')}`, false)).getFileHandle(name));
  }
  return handles;
}

/** Runs `task(i)` for every index with `lanes` tasks in flight; times the whole. */
async function timed(
  count: number,
  lanes: number,
  task: (i: number) => Promise<number>,
): Promise<Timed> {
  let next = 0;
  let bytes = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      while (next < count) {
        const n = await task(next++);
        bytes += n;
      }
    }),
  );
  return { files: count, bytes, seconds: (performance.now() - t0) / 1000 };
}

const bench = {
  /** Untimed: the I/O worker writes `count` generated slices (bench/inputs.ts) into OPFS. */
  async generate(count: number, seed: number): Promise<{ bytes: number; paths: string[] }> {
    await bench.clear(INPUT);
    return io().request({ op: 'generate', folder: INPUT, count, seed });
  },

  async clear(path: string): Promise<void> {
    const root = await navigator.storage.getDirectory();
    await root.removeEntry(path, { recursive: true }).catch(() => undefined);
  },

  /** Floor: read on the main thread, write with createWritable() on the main thread. */
  async floorWritable(paths: string[], lanes: number): Promise<Timed> {
    const handles = await inputHandles(paths);
    const out = await folder('out-writable');
    return timed(handles.length, lanes, async (i) => {
      const data = await (await handles[i].getFile()).arrayBuffer();
      const writable = await (
        await out.getFileHandle(`${i}.dcm`, { create: true })
      ).createWritable();
      await writable.write(data);
      await writable.close();
      return data.byteLength;
    });
  },

  /** Floor: read on the main thread, transfer the bytes to the I/O worker, which writes through a sync access handle. */
  async floorSyncWriter(paths: string[], lanes: number): Promise<Timed> {
    const handles = await inputHandles(paths);
    const writer = io();
    return timed(handles.length, lanes, async (i) => {
      const data = await (await handles[i].getFile()).arrayBuffer();
      return writer.send({ op: 'write', folder: 'out-sync', name: `${i}.dcm`, bytes: data }, [
        data,
      ]);
    });
  },

  /** Floor: the copy entirely inside `workers` I/O workers, `lanes` files in flight in each. */
  async floorWorkerCopy(
    paths: string[],
    workers: number,
    lanes: number,
    read: 'sync' | 'file' = 'sync',
  ): Promise<Timed> {
    const pool = Array.from({ length: workers }, () => new IoWorker(ioUrl));
    // Start the workers before the clock.
    await Promise.all(
      pool.map((w) => w.send({ op: 'copy', from: INPUT, to: 'out-copy', paths: [], lanes })),
    );
    const t0 = performance.now();
    const shares = pool.map((_, k) => paths.filter((_, i) => i % workers === k));
    const bytes = await Promise.all(
      pool.map((w, k) =>
        w.send({ op: 'copy', from: INPUT, to: 'out-copy', paths: shares[k], lanes, read }),
      ),
    );
    const seconds = (performance.now() - t0) / 1000;
    pool.forEach((w) => w.terminate());
    return { files: paths.length, bytes: bytes.reduce((a, b) => a + b, 0), seconds };
  },

  /**
   * De-identification: read each File from OPFS, post it to the pool (the worker reads its bytes),
   * receive the output bytes + SHA-256, transfer them to the I/O worker to write. `lanes` files in flight.
   */
  async deid(
    paths: string[],
    workers: number,
    lanes: number,
    checksums = true,
  ): Promise<Timed & { failed: number; checked: boolean }> {
    const handles = await inputHandles(paths);
    const pool = createPool<DeidWorkerApi>(
      () =>
        new Worker(new URL('./deid.worker.js', import.meta.url), { type: 'module', name: 'deid' }),
      workers,
      { idleTimeoutMs: 0 },
    );
    const writer = io();
    const setup: DeidSetup = {
      id: 'bench',
      options: defaultRecipe().deid.options,
      secret: crypto.getRandomValues(new Uint8Array(32)).buffer,
    };
    const job = (fileId: string, source: File) => ({
      setup,
      fileId,
      source,
      pseudonym: 'SITE-000001',
      dateShiftDays: -100,
      identifiers: [],
      output: true,
      checksums,
    });
    // Warm-up outside the clock: start every worker and compile the profile once in each.
    const first = await handles[0].getFile();
    await Promise.all(
      Array.from({ length: workers }, () => pool.call('deidentifyFile', [job('warm', first)])),
    );
    let failed = 0;
    let checked = false;
    const result = await timed(handles.length, lanes, async (i) => {
      const file = await handles[i].getFile();
      const r = await pool.call('deidentifyFile', [job(String(i), file)]);
      if (!r.ok || !r.output) {
        failed++;
        return 0;
      }
      const { bytes, sha256 } = r.output;
      if (i === 0 && !checksums) checked = sha256 === undefined;
      else if (i === 0) {
        // One spot check that the hash the worker sent is the hash of the bytes it sent.
        const digest = new Uint8Array(
          await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>),
        );
        checked = [...digest].map((b) => b.toString(16).padStart(2, '0')).join('') === sha256;
      }
      // The output is often a view into the buffer the worker read: send the buffer and the view.
      const buffer = bytes.buffer as ArrayBuffer;
      await writer.send(
        {
          op: 'write',
          folder: `out-deid-${workers}${checksums ? '-checksums' : ''}`,
          name: `${i}.dcm`,
          bytes: buffer,
          offset: bytes.byteOffset,
          length: bytes.byteLength,
        },
        [buffer],
      );
      return file.size;
    });
    pool.terminate();
    return { ...result, failed, checked };
  },
};

export type DeidBenchPage = typeof bench;
(globalThis as unknown as { cleanroomBench: DeidBenchPage }).cleanroomBench = bench;
