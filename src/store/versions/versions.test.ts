// Upgrade tests: each schema version opened over a database written by the version before it.
import { afterEach, describe, expect, test } from 'vitest';
import Dexie from 'dexie';
import { CleanroomDb } from '../db';
import { LATEST_SCHEMA_VERSION } from './index';
import { upgradeInstanceToV2 } from './v2';

const opened: Dexie[] = [];
let counter = 0;
const freshName = () => `versions-test-${++counter}-${Date.now()}`;

afterEach(async () => {
  for (const db of opened.splice(0)) {
    db.close();
    await Dexie.delete(db.name);
  }
});

function track<T extends Dexie>(db: T): T {
  opened.push(db);
  return db;
}

describe('schema versions', () => {
  test('a fresh database opens at the latest version with every table', async () => {
    const db = track(new CleanroomDb(freshName()));
    await db.open();
    expect(db.verno).toBe(LATEST_SCHEMA_VERSION);
    expect(db.tables.map((t) => t.name).sort()).toEqual(
      [
        'files',
        'instances',
        'patients',
        'pseudonyms',
        'roots',
        'runs',
        'series',
        'settings',
        'studies',
        'uidMap',
        'pixelFindings',
        'templates',
        'exportJobs',
      ].sort(),
    );
  });

  test('v1 → v2 keeps every row and derives rootId, grouping keys and flags of instances', async () => {
    const name = freshName();
    const v1 = new CleanroomDb(name, { upTo: 1 });
    await v1.open();
    expect(v1.verno).toBe(1);
    await v1.table('roots').put({ id: 'r1', name: 'Folder', kind: 'picked', addedAt: 1 });
    await v1.table('files').put({
      id: 'r1/a/b.dcm',
      rootId: 'r1',
      path: 'a/b.dcm',
      size: 10,
      lastModified: 2,
      state: 'indexed',
    });
    await v1.table('instances').bulkPut([
      {
        fileId: 'r1/a/b.dcm',
        path: 'a/b.dcm',
        fileSize: 10,
        TransferSyntaxUID: '1.2.840.10008.1.2.1',
        hasPixelData: true,
        privateCreators: [],
        PatientID: 'P1 ',
        StudyInstanceUID: '1.2.3',
        SeriesInstanceUID: '1.2.3.4',
        SOPInstanceUID: '1.2.3.4.5',
        decision: 'exclude',
      },
      {
        fileId: 'r1/c/d.dcm',
        path: 'c/d.dcm',
        fileSize: 11,
        TransferSyntaxUID: '1.2.840.10008.1.2',
        hasPixelData: false,
        privateCreators: [],
      },
    ]);
    await v1.table('settings').put({ key: 'reviewerName', value: 'R' });
    v1.close();

    const v2 = track(new CleanroomDb(name, { upTo: 2 }));
    await v2.open();
    expect(v2.verno).toBe(2);
    expect(await v2.roots.get('r1')).toMatchObject({ name: 'Folder' });
    expect(await v2.files.where('[rootId+state]').equals(['r1', 'indexed']).count()).toBe(1);
    expect(await v2.settings.get('reviewerName')).toEqual({ key: 'reviewerName', value: 'R' });
    const first = await v2.instances.get('r1/a/b.dcm' as never);
    expect(first).toMatchObject({
      rootId: 'r1',
      seriesKey: '1.2.3.4',
      studyKey: '1.2.3',
      patientKey: '\\P1',
      flags: [],
      decision: 'exclude',
    });
    const second = await v2.instances.get('r1/c/d.dcm' as never);
    expect(second).toMatchObject({
      rootId: 'r1',
      seriesKey: '(no SeriesInstanceUID) r1/c/',
      studyKey: '(no StudyInstanceUID) ',
    });
    expect(await v2.instances.where('rootId').equals('r1').count()).toBe(2);
  });

  test('upgradeInstanceToV2 is pure and keeps the fields it does not derive', () => {
    const row = { fileId: 'root/x.dcm', path: 'x.dcm', PatientID: 'A', IssuerOfPatientID: 'H' };
    expect(upgradeInstanceToV2(row)).toEqual({
      ...row,
      rootId: 'root',
      seriesKey: '(no SeriesInstanceUID) root/',
      studyKey: '(no StudyInstanceUID) A',
      patientKey: 'H\\A',
      flags: [],
    });
  });
});
