// Tests of the inventory worker's API on rows built in code, in fake-indexeddb: it reads the store,
// answers queries and windows, and writes hand decisions to the store as well as its own rows.
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import Dexie from 'dexie';
import type { ViewQuery } from '../src/core/inventory/view-model';
import { openDb, type CleanroomDb } from '../src/store/db';
import type { SeriesKey, StudyKey } from '../src/core/inventory';
import type { FileId, InstanceRecord } from '../src/store/types';
import { inventoryViewApi, type InventoryViewApi } from './inventory-view-api';

let db: CleanroomDb;
let api: InventoryViewApi;
let n = 0;

/** `perSeries` images in each of `series` CT series of one study; InstanceNumber counts down. */
function records(series: number, perSeries: number): InstanceRecord[] {
  const out: InstanceRecord[] = [];
  for (let s = 0; s < series; s++)
    for (let i = 0; i < perSeries; i++) {
      const seriesKey = `1.2.${s}` as SeriesKey;
      out.push({
        fileId: `root/s${s}/i${String(i).padStart(5, '0')}` as FileId,
        rootId: 'root',
        path: `s${s}/i${i}.dcm`,
        fileSize: 1000,
        TransferSyntaxUID: '1.2.840.10008.1.2.1',
        hasPixelData: true,
        privateCreators: [],
        PatientID: 'P1',
        patientKey: 'P1',
        StudyInstanceUID: '1.2',
        studyKey: '1.2' as StudyKey,
        SeriesInstanceUID: seriesKey,
        seriesKey,
        SeriesNumber: s + 1,
        SOPInstanceUID: `1.2.${s}.${i}`,
        SOPClassUID: '1.2.840.10008.5.1.4.1.1.2',
        Modality: 'CT',
        SliceThickness: s === 0 ? 0.625 : 5,
        InstanceNumber: perSeries - i,
        flags: [],
      });
    }
  return out;
}

const byImage: ViewQuery = {
  rule: '',
  level: 'series',
  mode: 'instances',
  columns: ['InstanceNumber'],
};

beforeEach(async () => {
  db = await openDb(`inventory-view-test-${++n}-${Date.now()}`);
  api = inventoryViewApi(() => Promise.resolve(db));
});

afterEach(async () => {
  db.close();
  await Dexie.delete(db.name);
});

describe('inventory view api', () => {
  test('reload reads every instance of the store, across read pages', async () => {
    await db.instances.bulkPut(records(3, 4_000));
    expect(await api.reload()).toBe(12_000);
    const summary = await api.view(byImage);
    expect(summary.found).toEqual({ patients: 1, studies: 1, series: 3, instances: 12_000 });
    expect(summary.rowCount).toBe(12_000);
  });

  test('rows answers the window of the last view, sorted as asked', async () => {
    await db.instances.bulkPut(records(2, 50));
    await api.reload();
    await api.view({ ...byImage, sort: { column: 'InstanceNumber', direction: 'asc' } });
    const rows = await api.rows(0, 4);
    expect(rows.map((r) => r.cells[0])).toEqual(['1', '1', '2', '2']);
    expect(rows.map((r) => r.position)).toEqual([0, 1, 2, 3]);
  });

  test('a series decided by hand is written to the store and shown at once', async () => {
    await db.instances.bulkPut(records(2, 10));
    await api.reload();
    await api.view({ ...byImage, rule: 'SliceThickness <= 1.0', mode: 'series' });
    await api.decide({ seriesKey: '1.2.1' }, 'include');
    const summary = await api.view({ ...byImage, rule: 'SliceThickness <= 1.0', mode: 'series' });
    expect(summary.selected.series).toBe(2);
    expect(summary.decidedByHand).toBe(1);
    const stored = await db.instances.where('seriesKey').equals('1.2.1').toArray();
    expect(stored.every((r) => r.decision === 'include')).toBe(true);

    // One image excluded, then every choice undone: the store follows.
    await api.decide({ fileId: 'root/s0/i00000' }, 'exclude');
    expect((await db.instances.get('root/s0/i00000' as FileId))?.decision).toBe('exclude');
    await api.decide('decided', undefined);
    expect(await db.instances.filter((r) => r.decision !== undefined).count()).toBe(0);
    const after = await api.view({ ...byImage, rule: 'SliceThickness <= 1.0', mode: 'series' });
    expect(after.decidedByHand).toBe(0);
    expect(after.selected.instances).toBe(10);
  });

  test('a reload after the store changed shows the new rows; csv and preflight follow the view', async () => {
    await db.instances.bulkPut(records(1, 5));
    await api.reload();
    await db.instances.bulkPut(records(2, 5));
    expect(await api.reload()).toBe(10);
    await api.view({ ...byImage, rule: 'SliceThickness <= 1.0' });
    expect((await api.preflight()).instances).toBe(5);
    const csv = await api.csv(['InstanceNumber']);
    expect(csv.trim().split(/\r?\n/)).toHaveLength(11);
  });
});
