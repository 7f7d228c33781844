// The scan step end to end in Node: the real scan worker API (in process, or over worker_threads),
// fake-indexeddb for the store, the generated sample set and the repository's sample files as input.
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import Dexie from 'dexie';
import { generateSampleSet, type SampleSet } from '../core/sample/sample-set';
import { openDb, type CleanroomDb } from '../store/db';
import { addRoot } from '../store/roots';
import { getRun } from '../store/runs';
import { fileIdOf } from '../store/types';
import { createInProcessPool } from '../../workers/in-process-pool';
import { createNodePool } from '../../workers/node-pool';
import {
  DICOMDIR_REASON,
  NOT_DICOM_REASON,
  scanWorkerApi,
  type ScanWorkerApi,
} from '../../workers/scan-api';
import { bundleWorker } from '../platform/node/bundle-worker.test-support';
import { scanSource } from '../platform/node/scan-source';
import { defaultWorkerIo, startScan, type ScanSourceItem } from './scan';
import type { ScanProgress } from './scan-progress';

const sample: SampleSet = generateSampleSet(1);
let db: CleanroomDb;
let rootId: string;
let n = 0;

beforeEach(async () => {
  db = await openDb(`scan-test-${++n}-${Date.now()}`);
  rootId = (await addRoot(db, { name: 'Sample', kind: 'sample' })).id;
});

afterEach(async () => {
  db.close();
  await Dexie.delete(db.name);
});

/** The sample set as a walk would give it: sorted paths, Blobs, a fixed modification time. */
async function* sampleSource(
  files = sample.files,
  lastModified: (path: string) => number = () => 1_700_000_000_000,
): AsyncGenerator<ScanSourceItem> {
  for (const file of [...files].sort((a, b) => (a.path < b.path ? -1 : 1))) {
    yield {
      path: file.path,
      file: new Blob([file.bytes as Uint8Array<ArrayBuffer>]),
      lastModified: lastModified(file.path),
    };
  }
}

function inProcessPool() {
  return createInProcessPool<ScanWorkerApi>(scanWorkerApi);
}

describe('scan of the generated sample set', () => {
  test('indexes every readable instance and builds series, studies and patients with the expected counts', async () => {
    const summary = await startScan({ db, rootId, source: sampleSource(), pool: inProcessPool() })
      .done;
    const { expected } = sample;
    const rejectedCount = expected.rejected.length + expected.directories.length;
    expect(summary).toMatchObject({
      state: 'done',
      files: sample.files.length,
      indexed: expected.instances,
      rejected: rejectedCount,
      skipped: 0,
    });
    expect(await db.instances.count()).toBe(expected.instances);
    expect(await db.series.count()).toBe(expected.series);
    expect(await db.studies.count()).toBe(expected.studies);
    expect(await db.patients.count()).toBe(expected.patients);
    expect(await db.files.where('state').equals('pending').count()).toBe(0);
    const modalities: Record<string, number> = {};
    await db.instances.each(
      (row) => void (modalities[row.Modality ?? '?'] = (modalities[row.Modality ?? '?'] ?? 0) + 1),
    );
    expect(modalities).toEqual(expected.modalities);
    const run = await getRun(db, summary.runId);
    expect(run).toMatchObject({
      kind: 'scan',
      state: 'done',
      counts: { total: sample.files.length, done: sample.files.length },
    });
  });

  test('non-DICOM and truncated files are rejected with their reason; DICOMDIR is recognised as not an image', async () => {
    await startScan({ db, rootId, source: sampleSource(), pool: inProcessPool() }).done;
    for (const { path, reason } of sample.expected.rejected) {
      const file = await db.files.get(fileIdOf(rootId, path));
      expect(file, path).toMatchObject({ state: 'rejected', code: reason });
      if (reason === 'not-dicom') expect(file?.reason).toBe(NOT_DICOM_REASON);
    }
    for (const path of sample.expected.directories) {
      expect(await db.files.get(fileIdOf(rootId, path))).toMatchObject({
        state: 'rejected',
        code: 'dicomdir',
        reason: DICOMDIR_REASON,
      });
      expect(await db.instances.get(fileIdOf(rootId, path))).toBeUndefined();
    }
  });

  test('the planted QA cases are flagged on their series, duplicates included', async () => {
    await startScan({ db, rootId, source: sampleSource(), pool: inProcessPool() }).done;
    for (const qa of sample.expected.qa) {
      for (const uid of qa.seriesInstanceUIDs) {
        const series = await db.series.where('seriesKey').equals(uid).first();
        expect(series?.flags, `${qa.code} on ${uid}`).toContain(qa.code);
      }
    }
    const duplicate = sample.expected.qa.find((q) => q.code === 'duplicate-sop-instance')!;
    const rows = await db.instances
      .where('SOPInstanceUID')
      .equals(duplicate.sopInstanceUID!)
      .toArray();
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(row.flags).toContain('duplicate-sop-instance');
  });

  test('a rerun resumes: files indexed with the same size and time are skipped, changed ones are read again', async () => {
    const first = await startScan({ db, rootId, source: sampleSource(), pool: inProcessPool() })
      .done;
    const second = await startScan({ db, rootId, source: sampleSource(), pool: inProcessPool() })
      .done;
    const final =
      sample.expected.rejected.filter((r) => r.reason === 'not-dicom').length +
      sample.expected.directories.length;
    expect(second.skipped).toBe(sample.expected.instances + final);
    expect(second.indexed).toBe(0);
    // Truncated files are read again (they may have been copied half-way); not-DICOM and DICOMDIR are not.
    expect(second.rejected).toBe(first.rejected - final);
    expect(await db.files.where('state').equals('rejected').count()).toBe(first.rejected);
    expect(second.bytesRead).toBeLessThan(first.bytesRead / 5);
    const changed = sample.files.find((f) => f.path.endsWith('SE003_T2_AX/IM0001.dcm'))!.path;
    const third = await startScan({
      db,
      rootId,
      source: sampleSource(sample.files, (path) =>
        path === changed ? 1_800_000_000_000 : 1_700_000_000_000,
      ),
      pool: inProcessPool(),
    }).done;
    expect(third.indexed).toBe(1);
    expect(third.skipped).toBe(sample.expected.instances - 1 + final);
    expect(await db.instances.count()).toBe(sample.expected.instances);
  });

  test('a manual exclusion survives a rescan and is counted on the aggregates', async () => {
    await startScan({ db, rootId, source: sampleSource(), pool: inProcessPool() }).done;
    const target = (await db.instances.toArray()).find((row) => row.Modality === 'US');
    await db.instances.update(target!.fileId, { decision: 'exclude' });
    await startScan({ db, rootId, source: sampleSource(), pool: inProcessPool() }).done;
    expect((await db.instances.get(target!.fileId))?.decision).toBe('exclude');
    expect((await db.series.get(target!.seriesKey))?.excludedCount).toBe(1);
  });

  test('files gone from the folder are removed from the store after a complete walk', async () => {
    await startScan({ db, rootId, source: sampleSource(), pool: inProcessPool() }).done;
    const kept = sample.files.filter((f) => !f.path.includes('/US_'));
    const summary = await startScan({
      db,
      rootId,
      source: sampleSource(kept),
      pool: inProcessPool(),
    }).done;
    expect(summary.removed).toBe(1);
    expect((await db.instances.toArray()).filter((row) => row.Modality === 'US')).toHaveLength(0);
  });

  test('a head too short for the header grows until the header fits, with the same result', async () => {
    const summary = await startScan({
      db,
      rootId,
      source: sampleSource(),
      pool: inProcessPool(),
      headBytes: 256,
    }).done;
    expect(summary.indexed).toBe(sample.expected.instances);
    expect(summary.rejected).toBe(
      sample.expected.rejected.length + sample.expected.directories.length,
    );
  });

  test('batches respect the file and byte limits', async () => {
    const sizes: number[] = [];
    const api: ScanWorkerApi = {
      ...scanWorkerApi,
      indexFiles: (batch, options, onProgress) => {
        sizes.push(batch.length);
        return scanWorkerApi.indexFiles(batch, options, onProgress);
      },
    };
    await startScan({
      db,
      rootId,
      source: sampleSource(),
      pool: createInProcessPool(api),
      batchFiles: 5,
    }).done;
    expect(Math.max(...sizes)).toBeLessThanOrEqual(5);
    sizes.length = 0;
    const otherRoot = (await addRoot(db, { name: 'Again', kind: 'sample' })).id;
    await startScan({
      db,
      rootId: otherRoot,
      source: sampleSource(),
      pool: createInProcessPool(api),
      batchBytes: 1,
    }).done;
    expect(Math.max(...sizes)).toBe(1);
  });

  test('progress reports files done/total, bytes and rate, at most about 10 per second, ending with done', async () => {
    const events: ScanProgress[] = [];
    const started = Date.now();
    await startScan({
      db,
      rootId,
      source: sampleSource(),
      pool: inProcessPool(),
      onProgress: (p) => events.push(p),
    }).done;
    const elapsed = Date.now() - started;
    const last = events.at(-1)!;
    expect(last).toMatchObject({
      phase: 'done',
      filesDone: sample.files.length,
      filesTotal: sample.files.length,
      walkComplete: true,
    });
    expect(last.bytesRead).toBeGreaterThan(0);
    expect(last.filesPerSecond).toBeGreaterThan(0);
    const reading = events.filter((e) => e.phase === 'reading');
    expect(reading.length).toBeLessThanOrEqual(Math.ceil(elapsed / 100) + 1);
    expect(events.map((e) => e.phase)).toContain('aggregating');
  });

  test('cancel stops the scan, marks the run cancelled, and a later scan finishes the job', async () => {
    const scan: { handle?: ReturnType<typeof startScan> } = {};
    let yielded = 0;
    async function* slowSource(): AsyncGenerator<ScanSourceItem> {
      for await (const item of sampleSource()) {
        if (++yielded === 20) scan.handle!.cancel();
        yield item;
      }
    }
    scan.handle = startScan({
      db,
      rootId,
      source: slowSource(),
      pool: inProcessPool(),
      batchFiles: 4,
    });
    const summary = await scan.handle.done;
    expect(summary.state).toBe('cancelled');
    expect(summary.indexed + summary.rejected).toBeLessThan(sample.files.length);
    expect((await getRun(db, summary.runId))?.state).toBe('cancelled');
    expect(await db.series.count()).toBe(0);
    const resumed = await startScan({ db, rootId, source: sampleSource(), pool: inProcessPool() })
      .done;
    expect(resumed.skipped).toBe(summary.indexed);
    expect(await db.instances.count()).toBe(sample.expected.instances);
  });

  test('an abort signal cancels like cancel()', async () => {
    const controller = new AbortController();
    controller.abort();
    const summary = await startScan({
      db,
      rootId,
      source: sampleSource(),
      pool: inProcessPool(),
      signal: controller.signal,
    }).done;
    expect(summary).toMatchObject({ state: 'cancelled', indexed: 0 });
  });

  test('entries the walk could not open are recorded as rejected with the walk reason', async () => {
    async function* source(): AsyncGenerator<ScanSourceItem> {
      yield { path: 'locked/a.dcm', reason: 'no permission', code: 'no-permission' };
      yield* sampleSource();
    }
    const summary = await startScan({ db, rootId, source: source(), pool: inProcessPool() }).done;
    expect(summary.files).toBe(sample.files.length + 1);
    expect(await db.files.get(fileIdOf(rootId, 'locked/a.dcm'))).toMatchObject({
      state: 'rejected',
      reason: 'no permission',
    });
  });
});

/** Everything a scan leaves in the store, ordered, without the run's own ids. */
async function storedInventory(target: CleanroomDb) {
  const byKey = <T>(rows: T[], key: (row: T) => string) =>
    rows.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return {
    files: byKey(await target.files.toArray(), (f) => f.id),
    instances: byKey(await target.instances.toArray(), (i) => i.fileId),
    series: byKey(await target.series.toArray(), (s) => s.seriesKey),
    studies: byKey(await target.studies.toArray(), (s) => s.studyKey),
    patients: byKey(await target.patients.toArray(), (p) => p.patientKey),
  };
}

describe("the page's way: workers read the heads and rebuild the aggregates (workerIo)", () => {
  test('in Node the caller reads and rebuilds by default (the CLI path); elsewhere the workers do', () => {
    expect(defaultWorkerIo()).toBe(false);
  });

  test('workers reading the Blobs, storing the rows and rebuilding give the same inventory and byte count as the caller doing it', async () => {
    const calls: string[] = [];
    const api: ScanWorkerApi = {
      ...scanWorkerApi,
      indexFiles: () => Promise.reject(new Error('the page never sends heads')),
      indexAndRecord: (batch, options) => {
        calls.push('indexAndRecord');
        expect(batch.every((input) => input.blob && !input.bytes)).toBe(true);
        expect(options).toMatchObject({ dbName: db.name, rootId });
        return scanWorkerApi.indexAndRecord(batch, options);
      },
      rebuildAggregates: (dbName, expectations) => {
        calls.push(`rebuildAggregates ${dbName}`);
        return scanWorkerApi.rebuildAggregates(dbName, expectations);
      },
    };
    const inWorkers = await startScan({
      db,
      rootId,
      source: sampleSource(),
      pool: createInProcessPool(api),
      workerIo: true,
      headBytes: 512,
    }).done;
    expect(calls.filter((c) => c.startsWith('rebuildAggregates'))).toEqual([
      `rebuildAggregates ${db.name}`,
    ]);

    const other = await openDb(`scan-test-caller-${++n}-${Date.now()}`);
    try {
      await addRoot(other, { id: rootId, name: 'Sample', kind: 'sample' });
      const byCaller = await startScan({
        db: other,
        rootId,
        source: sampleSource(),
        pool: inProcessPool(),
        workerIo: false,
        headBytes: 512,
      }).done;
      expect(inWorkers).toMatchObject({
        state: 'done',
        files: byCaller.files,
        indexed: byCaller.indexed,
        rejected: byCaller.rejected,
        bytesRead: byCaller.bytesRead,
      });
      expect(inWorkers.bytesRead).toBeGreaterThan(0);
      expect(await storedInventory(db)).toEqual(await storedInventory(other));
    } finally {
      other.close();
      await Dexie.delete(other.name);
    }
  });

  test('with workerIo a rerun resumes: nothing unchanged is read again', async () => {
    const options = { db, rootId, pool: inProcessPool(), workerIo: true } as const;
    await startScan({ ...options, source: sampleSource() }).done;
    const again = await startScan({ ...options, source: sampleSource() }).done;
    // Only files rejected for a reason that may pass (a truncated file) are read again.
    expect(again).toMatchObject({ state: 'done', indexed: 0 });
    expect(again.skipped).toBeGreaterThanOrEqual(sample.expected.instances);
    expect(again.skipped + again.rejected).toBe(again.files);
    expect(await db.series.count()).toBe(sample.expected.series);
  });

  test('a file the worker cannot read is rejected as unreadable, the others indexed', async () => {
    const broken = new Blob([new Uint8Array(10)]);
    // A Blob whose read fails, as a file removed after the walk found it.
    Object.defineProperty(broken, 'arrayBuffer', {
      value: () => Promise.reject(new DOMException('gone', 'NotFoundError')),
    });
    async function* source(): AsyncGenerator<ScanSourceItem> {
      yield { path: 'gone.dcm', file: broken, lastModified: 1 };
      yield* sampleSource();
    }
    // Called directly (no structured clone), so the failing Blob reaches the reader as it is.
    const direct: ScanWorkerApi = scanWorkerApi;
    const pool = createInProcessPool(direct);
    pool.call = (method, args) =>
      (direct[method] as (...a: unknown[]) => Promise<never>)(...(args as unknown[]));
    const summary = await startScan({ db, rootId, source: source(), pool, workerIo: true }).done;
    expect(summary.indexed).toBe(sample.expected.instances);
    expect(await db.files.get(fileIdOf(rootId, 'gone.dcm'))).toMatchObject({
      state: 'rejected',
      code: 'unreadable',
      reason: 'the file could not be read (NotFoundError)',
    });
  });
});

describe('scan of the repository sample files over worker_threads (the CLI path)', () => {
  test('every file ends indexed or rejected with a reason; README is not DICOM; DICOMDIRs are recognised', async () => {
    const entry = await bundleWorker(new URL('../../workers/scan.node-worker.ts', import.meta.url));
    const pool = createNodePool<ScanWorkerApi>(entry, { size: 2 });
    try {
      const dir = new URL('../../test-data/dicom-samples/', import.meta.url).pathname;
      const summary = await startScan({ db, rootId, source: scanSource(dir), pool }).done;
      expect(summary.state).toBe('done');
      expect(summary.indexed + summary.rejected).toBe(summary.files);
      expect(summary.indexed).toBeGreaterThan(50);
      expect(await db.files.get(fileIdOf(rootId, 'README.txt'))).toMatchObject({
        code: 'not-dicom',
        reason: NOT_DICOM_REASON,
      });
      expect(await db.files.get(fileIdOf(rootId, 'dicomdirtests/DICOMDIR'))).toMatchObject({
        code: 'dicomdir',
      });
      expect(await db.files.get(fileIdOf(rootId, 'CT_small.dcm'))).toMatchObject({
        state: 'indexed',
      });
      for (const file of await db.files.where('state').equals('rejected').toArray()) {
        expect(file.reason, file.path).toBeTruthy();
        expect(file.code, file.path).toBeTruthy();
      }
    } finally {
      pool.terminate();
    }
  });
});
