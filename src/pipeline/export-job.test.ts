// Tests of the export's resume record: a checkpoint survives, only the latest unfinished export is
// offered, a finished one is not, and the plan hash changes with anything that changes the bytes.
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb, type CleanroomDb } from '../store/db';
import type { ExportCheckpoint } from './export';
import type { PlannedFile } from './plan';
import {
  discardExportJob,
  endExportJob,
  exportPlanHash,
  findResumableExport,
  saveExportCheckpoint,
  startExportJob,
} from './export-job';

let db: CleanroomDb;
let n = 0;
beforeEach(async () => {
  db = await openDb(`export-job-test-${++n}-${Date.now()}`);
});
afterEach(async () => {
  db.close();
});

function checkpoint(volumes: string[]): ExportCheckpoint {
  return {
    volumes: volumes.map((name) => ({ name, entryCount: 2, bytes: 100 })),
    nextPlanned: volumes.length * 2,
    documentsDone: 0,
    files: [],
    dicomdir: [],
    failures: [],
    warnings: [],
    dump: [],
    patients: [['P1', 'SITE-000001']],
    studies: [],
    uids: [['1.2.3', '2.25.9']],
    redactions: [],
    progress: { done: 4, failed: 0, bytesIn: 10, bytesOut: 10 },
  };
}

const planned = (paths: string[]): PlannedFile[] =>
  paths.map(
    (p, i) =>
      ({
        file: { fileId: `f${i}`, row: { fileSize: 10 } },
        entryPath: p,
        patient: { pseudonym: 'SITE-000001' },
      }) as unknown as PlannedFile,
  );

describe('export jobs', () => {
  it('a stopped export with a finished volume is offered for resume with its checkpoint', async () => {
    const id = await startExportJob(db, {
      planHash: 'h',
      packageName: 'pkg',
      files: 8,
      outputName: 'out',
    });
    expect(await findResumableExport(db)).toBeUndefined();
    await saveExportCheckpoint(db, id, checkpoint(['pkg-001.zip']));
    const found = await findResumableExport(db);
    expect(found).toMatchObject({
      id,
      planHash: 'h',
      packageName: 'pkg',
      files: 8,
      outputName: 'out',
    });
    expect(found!.volumesDone).toEqual(['pkg-001.zip']);
    expect(found!.checkpoint.uids).toEqual([['1.2.3', '2.25.9']]);
  });

  it('a finished export is not offered and drops its checkpoint', async () => {
    const id = await startExportJob(db, { planHash: 'h', packageName: 'pkg', files: 8 });
    await saveExportCheckpoint(db, id, checkpoint(['pkg-001.zip']));
    await endExportJob(db, id, 'done');
    expect(await findResumableExport(db)).toBeUndefined();
    expect((await db.exportJobs.get(id))?.detail?.checkpoint).toBeUndefined();
  });

  it('a new export replaces an unfinished one; resuming keeps it', async () => {
    const a = await startExportJob(db, { planHash: 'a', packageName: 'pkg', files: 8 });
    await saveExportCheckpoint(db, a, checkpoint(['pkg-001.zip']));
    expect(
      await startExportJob(db, { planHash: 'a', packageName: 'pkg', files: 8, resumeId: a }),
    ).toBe(a);
    expect((await findResumableExport(db))?.id).toBe(a);
    const b = await startExportJob(db, { planHash: 'b', packageName: 'pkg', files: 8 });
    expect(await db.exportJobs.get(a)).toBeUndefined();
    await saveExportCheckpoint(db, b, checkpoint(['pkg-001.zip', 'pkg-002.zip']));
    expect((await findResumableExport(db))?.volumesDone).toHaveLength(2);
    await discardExportJob(db, b);
    expect(await findResumableExport(db)).toBeUndefined();
  });

  it('the plan hash changes with the files, their paths, the recipe, the secret or the app version', async () => {
    const base = {
      planned: planned(['a/1.dcm', 'a/2.dcm']),
      recipeSha256: 'r',
      secret: new Uint8Array(32).fill(1),
      appVersion: '1',
    };
    const h = await exportPlanHash(base);
    expect(await exportPlanHash({ ...base, planned: planned(['a/1.dcm', 'a/2.dcm']) })).toBe(h);
    for (const changed of [
      { planned: planned(['a/1.dcm']) },
      { planned: planned(['a/1.dcm', 'a/3.dcm']) },
      { recipeSha256: 's' },
      { secret: new Uint8Array(32).fill(2) },
      { appVersion: '2' },
    ])
      expect(await exportPlanHash({ ...base, ...changed })).not.toBe(h);
  });
});
