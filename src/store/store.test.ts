// Repository tests over fake-indexeddb: the functions the UI and pipelines call instead of raw Dexie.
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import Dexie from 'dexie';
import { CleanroomDb, openDb } from './db';
import {
  addRoot,
  assignedPseudonyms,
  createRun,
  fileIdOf,
  fileStatesOfRoot,
  getSetting,
  inventoryCounts,
  latestRun,
  listRoots,
  lookupUids,
  markIndexed,
  markRejected,
  pauseInterruptedRuns,
  putFiles,
  putPseudonyms,
  putUidMappings,
  rejectedFiles,
  removeRoot,
  rootIdOf,
  setDecision,
  setSetting,
  type FileRow,
  type InstanceRecord,
} from './index';
import type { SeriesKey, StudyKey } from '../core/inventory';

let db: CleanroomDb;
let n = 0;

beforeEach(async () => {
  db = await openDb(`store-test-${++n}-${Date.now()}`);
});

afterEach(async () => {
  db.close();
  await Dexie.delete(db.name);
});

function file(rootId: string, path: string, extra: Partial<FileRow> = {}): FileRow {
  return {
    id: fileIdOf(rootId, path),
    rootId,
    path,
    size: 100,
    lastModified: 5,
    state: 'pending',
    ...extra,
  };
}

function instance(
  rootId: string,
  path: string,
  extra: Partial<InstanceRecord> = {},
): InstanceRecord {
  return {
    fileId: fileIdOf(rootId, path),
    rootId,
    path,
    fileSize: 100,
    TransferSyntaxUID: '1.2.840.10008.1.2.1',
    hasPixelData: true,
    privateCreators: [],
    SOPInstanceUID: `1.2.${path.length}`,
    seriesKey: 'S' as SeriesKey,
    studyKey: 'T' as StudyKey,
    patientKey: '\\P',
    flags: [],
    ...extra,
  };
}

describe('file ids', () => {
  test('a file id is the root id, a slash and the relative path; the root id comes back out', () => {
    const id = fileIdOf('root-1', 'a/b/c.dcm');
    expect(id).toBe('root-1/a/b/c.dcm');
    expect(rootIdOf(id)).toBe('root-1');
  });

  test('a root id with a slash is refused', async () => {
    await expect(addRoot(db, { id: 'a/b', name: 'x', kind: 'picked' })).rejects.toThrow(
      /must not contain/,
    );
  });
});

describe('files and instances', () => {
  test('markIndexed stores instance rows and the indexed state together; markRejected keeps the reason', async () => {
    const root = await addRoot(db, { name: 'Folder', kind: 'picked' });
    await putFiles(db, [file(root.id, 'a.dcm'), file(root.id, 'b.txt')]);
    await markIndexed(db, [file(root.id, 'a.dcm')], [instance(root.id, 'a.dcm')]);
    await markRejected(db, [
      { ...file(root.id, 'b.txt'), reason: 'not a DICOM file', code: 'not-dicom' },
    ]);
    const states = await fileStatesOfRoot(db, root.id);
    expect(states.get(fileIdOf(root.id, 'a.dcm'))?.state).toBe('indexed');
    expect(await rejectedFiles(db, root.id)).toEqual([
      expect.objectContaining({
        path: 'b.txt',
        state: 'rejected',
        reason: 'not a DICOM file',
        code: 'not-dicom',
      }),
    ]);
    expect(await rejectedFiles(db)).toHaveLength(1);
  });

  test('a manual decision survives the file being indexed again', async () => {
    const root = await addRoot(db, { name: 'Folder', kind: 'picked' });
    await markIndexed(db, [file(root.id, 'a.dcm')], [instance(root.id, 'a.dcm')]);
    await setDecision(db, [fileIdOf(root.id, 'a.dcm')], 'exclude');
    await markIndexed(
      db,
      [file(root.id, 'a.dcm')],
      [instance(root.id, 'a.dcm', { Modality: 'CT' })],
    );
    expect(await db.instances.get(fileIdOf(root.id, 'a.dcm'))).toMatchObject({
      decision: 'exclude',
      Modality: 'CT',
    });
    await setDecision(db, [fileIdOf(root.id, 'a.dcm')], undefined);
    expect((await db.instances.get(fileIdOf(root.id, 'a.dcm')))?.decision).toBeUndefined();
  });

  test('a file rejected after an earlier index loses its instance row', async () => {
    const root = await addRoot(db, { name: 'Folder', kind: 'picked' });
    await markIndexed(db, [file(root.id, 'a.dcm')], [instance(root.id, 'a.dcm')]);
    await markRejected(db, [{ ...file(root.id, 'a.dcm'), reason: 'truncated', code: 'truncated' }]);
    expect(await db.instances.count()).toBe(0);
  });

  test('inventoryCounts counts states, instances, exclusions and flagged instances', async () => {
    const root = await addRoot(db, { name: 'Folder', kind: 'picked' });
    await putFiles(db, [file(root.id, 'p.dcm')]);
    await markIndexed(
      db,
      [file(root.id, 'a.dcm'), file(root.id, 'b.dcm')],
      [
        instance(root.id, 'a.dcm', { flags: ['secondary-capture'] }),
        instance(root.id, 'b.dcm', { decision: 'exclude' }),
      ],
    );
    await markRejected(db, [{ ...file(root.id, 'c.txt'), reason: 'x', code: 'not-dicom' }]);
    expect(await inventoryCounts(db)).toEqual({
      roots: 1,
      files: 4,
      pending: 1,
      indexed: 2,
      rejected: 1,
      instances: 2,
      series: 0,
      studies: 0,
      patients: 0,
      excluded: 1,
      flagged: 1,
    });
  });

  test('removeRoot forgets the root with its files and instances, and no other root', async () => {
    const a = await addRoot(db, { name: 'A', kind: 'picked' });
    const b = await addRoot(db, { name: 'B', kind: 'sample' });
    await markIndexed(
      db,
      [file(a.id, 'x.dcm'), file(b.id, 'x.dcm')],
      [instance(a.id, 'x.dcm'), instance(b.id, 'x.dcm')],
    );
    await removeRoot(db, a.id);
    expect((await listRoots(db)).map((r) => r.name)).toEqual(['B']);
    expect(await db.files.count()).toBe(1);
    expect(await db.instances.count()).toBe(1);
  });

  test('bulk writes of many rows go through in batches', async () => {
    const rows = Array.from({ length: 5000 }, (_, i) => file('r', `f${i}.dcm`));
    await putFiles(db, rows);
    expect(await db.files.count()).toBe(5000);
  });
});

describe('runs, settings and crosswalk', () => {
  test('a run left running by a closed tab is paused at start-up', async () => {
    const run = await createRun(db, 'scan', { rootId: 'r' });
    expect(await pauseInterruptedRuns(db)).toBe(1);
    expect((await latestRun(db, 'scan'))?.id).toBe(run.id);
    expect((await latestRun(db, 'scan'))?.state).toBe('paused');
    expect(await latestRun(db, 'export')).toBeUndefined();
  });

  test('settings are typed per key; the project secret stays in IndexedDB as bytes', async () => {
    await setSetting(db, 'reviewerName', 'Ada');
    await setSetting(db, 'projectSecret', { kind: 'raw', bytes: new Uint8Array([1, 2, 3]) });
    expect(await getSetting(db, 'reviewerName')).toBe('Ada');
    const secret = await getSetting(db, 'projectSecret');
    expect(secret?.kind === 'raw' && Array.from(secret.bytes)).toEqual([1, 2, 3]);
    expect(await getSetting(db, 'screen')).toBeUndefined();
  });

  test('pseudonyms and UID mappings round-trip', async () => {
    await putPseudonyms(db, [{ patientKey: '\\P1', pseudonym: 'SITE-0001', n: 1 }]);
    expect(await assignedPseudonyms(db)).toEqual(
      new Map([['\\P1', { n: 1, pseudonym: 'SITE-0001' }]]),
    );
    await putUidMappings(db, [{ old: '1.2.3', new: '2.25.9' }]);
    expect(await lookupUids(db, ['1.2.3', '1.2.4'])).toEqual(new Map([['1.2.3', '2.25.9']]));
  });
});
