import { test } from 'vitest';
import { mkdtemp, mkdir, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { generateSampleSet } from '../core/sample/sample-set';
import { openDb } from '../store/db';
import { addRoot } from '../store/roots';
import { startScan } from './scan';
import { createNodePool } from '../../workers/node-pool';
import { createInProcessPool } from '../../workers/in-process-pool';
import { scanWorkerApi, type ScanWorkerApi } from '../../workers/scan-api';
import { bundleWorker } from '../platform/node/bundle-worker.test-support';
import { scanSource } from '../platform/node/scan-source';

test('measure', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cleanroom-measure-'));
  const set = generateSampleSet(1);
  let files = 0, bytes = 0;
  for (let copy = 0; copy < 80; copy++) for (const f of set.files) {
    const p = join(dir, `c${String(copy).padStart(3, '0')}`, f.path);
    await mkdir(dirname(p), { recursive: true });
    await writeFile(p, f.bytes); files++; bytes += f.bytes.length;
  }
  const entry = await bundleWorker(new URL('../../workers/scan.node-worker.ts', import.meta.url));
  for (const [label, pool] of [
    ['in-process', createInProcessPool<ScanWorkerApi>(scanWorkerApi)],
    ['node-pool-4', createNodePool<ScanWorkerApi>(entry, { size: 4 })],
  ] as const) {
    const db = await openDb(`measure-${label}-${Date.now()}`);
    const rootId = (await addRoot(db, { name: 'm', kind: 'files' })).id;
    const t0 = performance.now();
    const s = await startScan({ db, rootId, source: scanSource(dir), pool }).done;
    const t1 = performance.now();
    const again = await startScan({ db, rootId, source: scanSource(dir), pool }).done;
    const t2 = performance.now();
    pool.terminate();
    console.log(label, JSON.stringify({ files, MB: (bytes / 1e6).toFixed(1), indexed: s.indexed, rejected: s.rejected, headMB: (s.bytesRead / 1e6).toFixed(1), seconds: ((t1 - t0) / 1000).toFixed(2), filesPerSec: Math.round(files / ((t1 - t0) / 1000)), resumeSeconds: ((t2 - t1) / 1000).toFixed(2), resumeSkipped: again.skipped }));
  }
  await rm(dir, { recursive: true, force: true });
}, 300_000);
