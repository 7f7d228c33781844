// Tests of the inventory view helpers: columns, sorting, per-row decisions, the tree, the CSV and the pre-flight report.
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../csv/csv';
import { readDicom } from '../dicom/read';
import { generateSampleSet } from '../sample/sample-set';
import { checkColumnPath, compareValues, formatCell, rowHasColumn, sortedOrder } from './columns';
import { decideRows, type DecidableRow } from './decide';
import { indexRow, type InstanceRow } from './index';
import { inventoryCsv, INVENTORY_CSV_LEAD } from './inventory-csv';
import { preflightReport, preflightText } from './preflight';
import { buildInventoryTree } from './tree';

let counter = 0;
function row(over: Partial<DecidableRow> = {}): DecidableRow {
  counter++;
  return {
    path: `p/${counter}.dcm`,
    fileSize: 1000,
    TransferSyntaxUID: '1.2.840.10008.1.2.1',
    hasPixelData: true,
    privateCreators: [],
    PatientID: 'P1',
    StudyInstanceUID: '1.1',
    SeriesInstanceUID: '1.1.1',
    SOPInstanceUID: `1.1.1.${counter}`,
    SOPClassUID: '1.2.840.10008.5.1.4.1.1.2',
    Modality: 'CT',
    SliceThickness: 1,
    ...over,
  };
}

describe('columns', () => {
  it('checkColumnPath accepts keywords, tags and sequence paths, and names a wrong step', () => {
    expect(checkColumnPath('SliceThickness')).toEqual({ ok: true, path: 'SliceThickness' });
    expect(checkColumnPath('RequestAttributesSequence>RequestedProcedureDescription')).toEqual({
      ok: true,
      path: 'RequestAttributesSequence > RequestedProcedureDescription',
    });
    expect(checkColumnPath('(0009,1010)')).toEqual({ ok: true, path: '(0009,1010)' });
    const bad = checkColumnPath('SliceThicknes');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.message).toContain('"SliceThicknes" is not a DICOM keyword');
    expect(checkColumnPath('  ').ok).toBe(false);
  });

  it('rowHasColumn knows indexed columns and extra paths read at scan time', () => {
    const r = row({ extra: { BodyPartThickness: undefined } });
    expect(rowHasColumn(r, 'Modality')).toBe(true);
    expect(rowHasColumn(r, 'BodyPartThickness')).toBe(true);
    expect(rowHasColumn(r, 'KVP')).toBe(false);
  });

  it('formatCell joins several values with a backslash and shows absent as empty', () => {
    expect(formatCell(['ORIGINAL', 'PRIMARY'])).toBe('ORIGINAL\\PRIMARY');
    expect(formatCell(1.5)).toBe('1.5');
    expect(formatCell(undefined)).toBe('');
  });

  it('compareValues orders numbers numerically, text after numbers, absent last', () => {
    const values = ['10', 2, undefined, 'CT', 1.5, 'ab'];
    expect([...values].sort(compareValues)).toEqual([1.5, 2, '10', 'ab', 'CT', undefined]);
  });

  it('sortedOrder is stable and keeps absent values last in both directions', () => {
    const v = [3, undefined, 1, 3, 2];
    expect([...sortedOrder(v.length, (i) => v[i])]).toEqual([2, 4, 0, 3, 1]);
    expect([...sortedOrder(v.length, (i) => v[i], 'desc')]).toEqual([0, 3, 4, 2, 1]);
  });
});

describe('decideRows', () => {
  const thin = row({ SeriesInstanceUID: 'S1', SliceThickness: 1 });
  const thick = row({ SeriesInstanceUID: 'S1', SliceThickness: 5 });
  const other = row({ SeriesInstanceUID: 'S2', SliceThickness: 5 });
  const mr = row({
    SeriesInstanceUID: 'S3',
    Modality: 'MR',
    StudyInstanceUID: '1.2',
    SliceThickness: undefined,
  });
  const rows = [thin, thick, other, mr];

  it('with no rule every row matches and is selected', () => {
    const d = decideRows(rows, '');
    expect([...d.matches]).toEqual([1, 1, 1, 1]);
    expect(d.hasRule).toBe(false);
  });

  it('at series level a series matches when any of its rows does', () => {
    const d = decideRows(rows, 'SliceThickness <= 1.0', 'series');
    expect([...d.matches]).toEqual([1, 1, 0, 0]);
    expect([...d.selected]).toEqual([1, 1, 0, 0]);
  });

  it('at instance level each row is decided alone', () => {
    expect([...decideRows(rows, 'SliceThickness <= 1.0', 'instance').matches]).toEqual([
      1, 0, 0, 0,
    ]);
  });

  it('at study level a study matches when any of its rows does', () => {
    expect([...decideRows(rows, 'SliceThickness <= 1.0', 'study').matches]).toEqual([1, 1, 1, 0]);
  });

  it('decisions by hand override the rule, and do not change what it matches', () => {
    const d = decideRows(
      [{ ...thin, decision: 'exclude' }, thick, { ...mr, decision: 'include' }],
      'SliceThickness <= 1.0',
    );
    expect([...d.matches]).toEqual([1, 1, 0]);
    expect([...d.selected]).toEqual([0, 1, 1]);
  });

  it('a rule that does not parse matches nothing and reports where', () => {
    const d = decideRows(rows, 'Modality ==');
    expect(d.error?.position).toBe(11);
    expect([...d.selected]).toEqual([0, 0, 0, 0]);
  });
});

describe('buildInventoryTree', () => {
  it('groups patients, studies and series with counts, in reading order', () => {
    const rows = [
      row({ PatientID: 'B', StudyInstanceUID: '2', SeriesInstanceUID: '2.2', SeriesNumber: 2 }),
      row({ PatientID: 'B', StudyInstanceUID: '2', SeriesInstanceUID: '2.1', SeriesNumber: 1 }),
      row({ PatientID: 'B', StudyInstanceUID: '2', SeriesInstanceUID: '2.1', SeriesNumber: 1 }),
      row({ PatientID: 'A', StudyInstanceUID: '1', SeriesInstanceUID: '1.1' }),
    ];
    const tree = buildInventoryTree(rows, Uint8Array.from([1, 0, 1, 1]));
    expect(tree.map((p) => p.PatientID)).toEqual(['A', 'B']);
    const b = tree[1];
    expect(b.instances).toBe(3);
    expect(b.selected).toBe(2);
    expect(b.studies[0].series.map((s) => [s.key, s.instances, s.selected])).toEqual([
      ['2.1', 2, 1],
      ['2.2', 1, 1],
    ]);
  });
});

describe('inventoryCsv', () => {
  it('writes one row per instance with the lead columns and the chosen ones', () => {
    const rows = [
      { ...row({ path: 'a/1.dcm', SeriesDescription: 'Chest, thin' }), flags: ['x', 'y'] },
      row({ path: 'a/2.dcm' }),
    ];
    const text = inventoryCsv(
      rows,
      ['Modality', 'SeriesDescription'],
      Uint8Array.from([1, 0]),
      Uint8Array.from([1, 1]),
    );
    const parsed = parseCsv(text);
    expect(parsed[0]).toEqual([...INVENTORY_CSV_LEAD, 'Modality', 'SeriesDescription']);
    expect(parsed[1]).toEqual(['a/1.dcm', '1.1.1', 'yes', 'yes', 'x y', 'CT', 'Chest, thin']);
    expect(parsed[2].slice(0, 4)).toEqual(['a/2.dcm', '1.1.1', 'no', 'yes']);
    expect(parsed).toHaveLength(3);
  });
});

describe('preflightReport', () => {
  it('counts the selection by modality, SOP class and device, and the high-risk kinds', () => {
    const rows: InstanceRow[] = [
      row({ Manufacturer: 'ACME', ManufacturerModelName: 'Scan 1' }),
      row({ Modality: 'US', SOPClassUID: '1.2.840.10008.5.1.4.1.1.6.1', StudyInstanceUID: '9' }),
      row({ Modality: 'OT', SOPClassUID: '1.2.840.10008.5.1.4.1.1.7', BurnedInAnnotation: 'YES' }),
      row({ privateCreators: ['SURELY NOT KNOWN'], PatientID: 'P2' }),
      row({ Modality: 'MR' }),
    ];
    const r = preflightReport(rows, Uint8Array.from([1, 1, 1, 1, 0]));
    expect(r.instances).toBe(4);
    expect(r.foundInstances).toBe(5);
    expect(r.byModality[0]).toEqual({ name: 'CT', instances: 2 });
    expect(r.byDevice.find((d) => d.name === 'ACME Scan 1')?.instances).toBe(1);
    expect(r.highRisk).toMatchObject({
      total: 2,
      ultrasound: 1,
      secondaryCapture: 1,
      burnedInAnnotation: 1,
      otherModality: 1,
    });
    expect(r.unknownPrivateCreators).toEqual([{ name: 'SURELY NOT KNOWN', instances: 1 }]);
    expect(r.studiesWithSeveralIds).toBe(1);
    expect(r.estimate.outputBytes).toBe(4000);
    const text = preflightText(r);
    expect(text).toContain('High-risk images (text may be burned into the pixels): 2');
    expect(text).toContain('Studies with more than one PatientID: 1');
    expect(text).not.toContain('P2');
  });

  it('on the sample set it counts what the sample expects', () => {
    const set = generateSampleSet();
    const rows = set.files
      .filter(
        (f) =>
          !set.expected.rejected.some((r) => r.path === f.path) &&
          !set.expected.directories.includes(f.path),
      )
      .map((f) =>
        indexRow(readDicom(f.bytes, { untilPixelData: true }), f.path, {
          fileSize: f.bytes.length,
        }),
      );
    const r = preflightReport(rows);
    expect(r.instances).toBe(set.expected.instances);
    expect(Object.fromEntries(r.byModality.map((m) => [m.name, m.instances]))).toEqual(
      set.expected.modalities,
    );
    expect(r.highRisk.total).toBeGreaterThan(0);
  });
});

describe('qaBatches', () => {
  it('QA over the batches gives the same flags as QA over all rows', async () => {
    const { qaBatches } = await import('./qa-batches');
    const { qaFlags } = await import('./qa');
    const rows: InstanceRow[] = [];
    for (let s = 0; s < 30; s++)
      for (let i = 1; i <= 40; i++)
        if (!(s === 3 && i === 7))
          rows.push(
            row({
              StudyInstanceUID: `st${Math.floor(s / 3)}`,
              SeriesInstanceUID: `se${s}`,
              InstanceNumber: i,
              SOPInstanceUID: s === 20 && i === 1 ? 'dup' : `sop${s}.${i}`,
              PatientID: s === 13 && i === 2 ? 'OTHER' : 'P1',
            }),
          );
    rows.push(row({ StudyInstanceUID: 'st0', SeriesInstanceUID: 'se0', SOPInstanceUID: 'dup' }));
    const batches = qaBatches(rows, 100);
    expect(batches.length).toBeGreaterThan(3);
    expect(batches.flat()).toHaveLength(rows.length);
    const whole = qaFlags(rows);
    const parts = new Map(batches.flatMap((b) => [...qaFlags(b)]));
    const norm = (m: typeof whole) =>
      [...m]
        .map(([k, flags]) => [k, flags.map((f) => ({ ...f, paths: [...f.paths].sort() }))] as const)
        .sort((a, b) => (a[0] < b[0] ? -1 : 1));
    expect(norm(parts)).toEqual(norm(whole));
    const codes = new Set([...whole.values()].flat().map((f) => f.code));
    expect(codes).toEqual(
      new Set(['incomplete-series', 'duplicate-sop-instance', 'several-patients-in-study']),
    );
  });
});
