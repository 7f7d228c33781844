// Tests of the inventory view model on rows built in code: sort order both ways (absent values
// last), tree scope, per-series sums, hand decisions, missing columns, and the rule at each level.
import { describe, expect, it } from 'vitest';
import { InventoryViewModel, type ViewQuery, type ViewRecord } from './view-model';

let counter = 0;
function record(over: Partial<ViewRecord> & { seriesKey: string }): ViewRecord {
  counter++;
  const studyKey = over.studyKey ?? 'st1';
  return {
    path: `p/${counter}.dcm`,
    fileId: `r/${counter}`,
    fileSize: 100,
    TransferSyntaxUID: '1.2.840.10008.1.2.1',
    hasPixelData: true,
    privateCreators: [],
    PatientID: 'P1',
    patientKey: over.PatientID ?? 'P1',
    StudyInstanceUID: studyKey,
    studyKey,
    SeriesInstanceUID: over.seriesKey,
    SOPInstanceUID: `1.2.${counter}`,
    SOPClassUID: '1.2.840.10008.5.1.4.1.1.2',
    Modality: 'CT',
    flags: [],
    ...over,
  };
}

/** Two patients, three studies, four series; SliceThickness and InstanceNumber vary. */
function inventory(): ViewRecord[] {
  return [
    record({ seriesKey: 'a', SeriesNumber: 1, InstanceNumber: 3, SliceThickness: 1 }),
    record({ seriesKey: 'a', SeriesNumber: 1, InstanceNumber: 1, SliceThickness: 2 }),
    record({ seriesKey: 'a', SeriesNumber: 1, SliceThickness: 1, flags: ['gap'] }),
    record({ seriesKey: 'b', SeriesNumber: 2, InstanceNumber: 2, SliceThickness: 5 }),
    record({ seriesKey: 'b', SeriesNumber: 2, InstanceNumber: 10, SliceThickness: 5 }),
    record({ seriesKey: 'c', studyKey: 'st2', Modality: 'MR', InstanceNumber: 7, fileSize: 50 }),
    record({
      seriesKey: 'd',
      studyKey: 'st3',
      PatientID: 'P2',
      Modality: 'US',
      InstanceNumber: 4,
      flags: ['high-risk'],
    }),
  ];
}

function query(over: Partial<ViewQuery> = {}): ViewQuery {
  return { rule: '', level: 'series', mode: 'series', columns: ['Modality'], ...over };
}

function modelOf(rows = inventory()): InventoryViewModel {
  const model = new InventoryViewModel();
  model.setRows(rows);
  return model;
}

const column = (model: InventoryViewModel, at: number) =>
  model.window(0, 1000).map((r) => r.cells[at]);

describe('InventoryViewModel sort', () => {
  it('sorts images by a numeric column both ways, absent values last in both', () => {
    const model = modelOf();
    const columns = ['InstanceNumber'];
    model.query(
      query({ mode: 'instances', columns, sort: { column: 'InstanceNumber', direction: 'asc' } }),
    );
    expect(column(model, 0)).toEqual(['1', '2', '3', '4', '7', '10', '']);
    model.query(
      query({ mode: 'instances', columns, sort: { column: 'InstanceNumber', direction: 'desc' } }),
    );
    expect(column(model, 0)).toEqual(['10', '7', '4', '3', '2', '1', '']);
  });

  it('without a sort, images keep series order; positions count from the window start', () => {
    const model = modelOf();
    model.query(query({ mode: 'instances', columns: ['InstanceNumber'] }));
    expect(column(model, 0)).toEqual(['3', '1', '', '2', '10', '7', '4']);
    expect(model.window(2, 4).map((r) => r.position)).toEqual([2, 3]);
    expect(model.window(5, 99)).toHaveLength(2);
  });

  it('sorts series by the image count and by a column of their first image', () => {
    const model = modelOf();
    model.query(query({ sort: { column: '#images', direction: 'desc' } }));
    expect(model.window(0, 10).map((r) => r.seriesKey)).toEqual(['a', 'b', 'c', 'd']);
    model.query(query({ sort: { column: 'Modality', direction: 'desc' } }));
    expect(model.window(0, 10).map((r) => r.seriesKey)).toEqual(['d', 'c', 'a', 'b']);
  });
});

describe('InventoryViewModel scope', () => {
  it('the tree scope narrows the rows in view to a patient, a study or a series', () => {
    const model = modelOf();
    expect(model.query(query()).rowCount).toBe(4);
    expect(model.query(query({ scope: { level: 'patient', key: 'P1' } })).rowCount).toBe(3);
    expect(model.query(query({ scope: { level: 'study', key: 'st2' } })).rowCount).toBe(1);
    const series = model.query(query({ mode: 'instances', scope: { level: 'series', key: 'a' } }));
    expect(series.rowCount).toBe(3);
    expect(new Set(model.window(0, 10).map((r) => r.seriesKey))).toEqual(new Set(['a']));
    // The counts stay those of the whole inventory.
    expect(series.found).toEqual({ patients: 2, studies: 3, series: 4, instances: 7 });
  });
});

describe('InventoryViewModel series sums', () => {
  it('a series row sums its images: count, flags, SliceThickness range, name', () => {
    const model = modelOf();
    model.query(query({ columns: ['Modality', 'SliceThickness'] }));
    const [a, b, c] = model.window(0, 3);
    expect(a).toMatchObject({
      seriesKey: 'a',
      instanceCount: 3,
      flags: ['gap'],
      cells: ['CT', '1–2'],
      seriesName: 'CT #1 (no description)',
    });
    expect(a.fileId).toBeUndefined();
    expect(b).toMatchObject({ instanceCount: 2, cells: ['CT', '5'] });
    expect(c).toMatchObject({ instanceCount: 1, cells: ['MR', ''] });
  });

  it('counts instances per modality, largest first, and the selected bytes', () => {
    const summary = modelOf().query(query());
    expect(summary.modalities).toEqual([
      ['CT', 5],
      ['MR', 1],
      ['US', 1],
    ]);
    expect(summary.selected).toEqual({
      patients: 2,
      studies: 3,
      series: 4,
      instances: 7,
      bytes: 650,
    });
  });
});

describe('InventoryViewModel hand decisions', () => {
  it('a series excluded by hand leaves the selection; its images show the decision', () => {
    const model = modelOf();
    model.decide(new Set(model.fileIdsOf({ seriesKey: 'a' })), 'exclude');
    const summary = model.query(query());
    expect(summary.selected.series).toBe(3);
    expect(summary.selected.instances).toBe(4);
    expect(summary.decidedByHand).toBe(1);
    expect(model.window(0, 1)[0]).toMatchObject({ selected: false, decision: 'exclude' });
    expect(model.fileIdsOf('decided')).toHaveLength(3);
  });

  it('one image decided differently from the rest makes the series "mixed"; clearing undoes it', () => {
    const model = modelOf();
    const [first] = model.fileIdsOf({ seriesKey: 'b' });
    model.decide(new Set([first]), 'include');
    model.query(query());
    expect(model.window(1, 2)[0]).toMatchObject({ seriesKey: 'b', decision: 'mixed' });
    model.decide(new Set(model.fileIdsOf('decided')), undefined);
    expect(model.query(query()).decidedByHand).toBe(0);
    expect(model.window(1, 2)[0].decision).toBeUndefined();
  });

  it('an image included by hand is taken although the rule does not match it', () => {
    const model = modelOf();
    const [mr] = model.fileIdsOf({ seriesKey: 'c' });
    model.decide(new Set([mr]), 'include');
    const summary = model.query(query({ rule: 'Modality == "CT"' }));
    expect(summary.matched).toBe(2);
    expect(summary.selected.series).toBe(3);
    const c = model.window(0, 4).find((r) => r.seriesKey === 'c')!;
    expect(c).toMatchObject({ matches: false, selected: true });
  });
});

describe('InventoryViewModel missing columns', () => {
  it('names chosen columns that no row holds yet; indexed and read columns are not missing', () => {
    const rows = inventory().map((r) => ({ ...r, extra: { BodyPartExamined: 'CHEST' } }));
    const summary = modelOf(rows).query(
      query({ columns: ['Modality', 'BodyPartExamined', 'ProtocolName'] }),
    );
    expect(summary.missingColumns).toEqual(['ProtocolName']);
    expect(modelOf([]).query(query({ columns: ['ProtocolName'] })).missingColumns).toEqual([]);
  });
});

describe('InventoryViewModel rule decisions', () => {
  it('no rule: every series is selected and the summary says there is no rule', () => {
    const summary = modelOf().query(query());
    expect(summary.hasRule).toBe(false);
    expect(summary.matched).toBe(4);
  });

  it('at series level, a series matches when any of its images does', () => {
    const model = modelOf();
    const summary = model.query(query({ rule: 'SliceThickness <= 1' }));
    expect(summary.hasRule).toBe(true);
    expect(summary.matched).toBe(1);
    expect(summary.selected).toMatchObject({ series: 1, instances: 3 });
    expect(model.window(0, 4).map((r) => r.matches)).toEqual([true, false, false, false]);
  });

  it('at instance level, only the matching images are taken', () => {
    const model = modelOf();
    const summary = model.query(query({ rule: 'SliceThickness <= 1', level: 'instance' }));
    expect(summary.selected).toMatchObject({ series: 1, instances: 2 });
    model.query(query({ rule: 'SliceThickness <= 1', level: 'instance', mode: 'instances' }));
    expect(model.window(0, 3).map((r) => r.selected)).toEqual([true, false, true]);
  });

  it('at study level, every series of a study with a match is taken', () => {
    const summary = modelOf().query(query({ rule: 'SliceThickness >= 5', level: 'study' }));
    expect(summary.selected).toMatchObject({ studies: 1, series: 2, instances: 5 });
  });

  it('a rule that does not parse selects nothing and says where', () => {
    const summary = modelOf().query(query({ rule: 'Modality ==' }));
    expect(summary.error?.position).toBe(11);
    expect(summary.selected.instances).toBe(0);
    expect(summary.matched).toBe(0);
  });

  it('the CSV and the pre-flight report carry the last query’s selection', () => {
    const model = modelOf();
    model.query(query({ rule: 'Modality == "MR"' }));
    expect(model.preflight().instances).toBe(1);
    const lines = model.csv(['Modality']).trim().split(/\r?\n/);
    expect(lines.filter((l) => l.includes(',yes,')).length).toBe(1);
  });
});
