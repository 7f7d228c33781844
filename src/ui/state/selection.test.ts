// Tests of the inventory selection: the rule proposes, a decision by hand overrides, totals follow.
import { describe, expect, it } from 'vitest';
import { seriesKeyOf, studyKeyOf, type SeriesKey } from '../../core/inventory';
import { fileIdOf, type InstanceRecord } from '../../store';
import { countByModality, decideSeries } from './selection';

const THIN_CT = 'Modality == "CT" and SliceThickness <= 1.0';

function instance(n: number, fields: Partial<InstanceRecord>): InstanceRecord {
  const base = {
    path: `f${n}.dcm`,
    fileSize: 100,
    TransferSyntaxUID: '1.2.840.10008.1.2.1',
    hasPixelData: true,
    privateCreators: [],
    ...fields,
  };
  return {
    ...base,
    fileId: fileIdOf('root', base.path),
    rootId: 'root',
    seriesKey: seriesKeyOf(base),
    studyKey: studyKeyOf(base),
    patientKey: base.PatientID ?? '',
    flags: [],
    ...fields,
  };
}

const key = (uid: string) => uid as SeriesKey;

const rows = [
  instance(1, {
    PatientID: 'P1',
    StudyInstanceUID: '1.1',
    SeriesInstanceUID: '1.1.1',
    Modality: 'CT',
    SliceThickness: 0.625,
  }),
  instance(2, {
    PatientID: 'P1',
    StudyInstanceUID: '1.1',
    SeriesInstanceUID: '1.1.1',
    Modality: 'CT',
    SliceThickness: 0.625,
  }),
  instance(3, {
    PatientID: 'P1',
    StudyInstanceUID: '1.1',
    SeriesInstanceUID: '1.1.2',
    Modality: 'CT',
    SliceThickness: 5,
  }),
  instance(4, {
    PatientID: 'P2',
    StudyInstanceUID: '2.1',
    SeriesInstanceUID: '2.1.1',
    Modality: 'MR',
    SliceThickness: 1,
  }),
  instance(5, {
    PatientID: 'P2',
    StudyInstanceUID: '2.1',
    SeriesInstanceUID: '2.1.2',
    Modality: 'CT',
    SliceThickness: 1,
  }),
  instance(6, {
    PatientID: 'P2',
    StudyInstanceUID: '2.1',
    SeriesInstanceUID: '2.1.2',
    Modality: 'CT',
    SliceThickness: 3,
  }),
];

function selectedKeys(text: string, input = rows): string[] {
  return [...decideSeries(input, text).series.values()].filter((s) => s.selected).map((s) => s.key);
}

describe('decideSeries', () => {
  it('selects every series when the rule box is empty', () => {
    const { series, totals } = decideSeries(rows, '');
    expect([...series.values()].every((s) => s.selected && s.matchesRule)).toBe(true);
    expect(totals).toEqual({ series: 4, instances: 6, bytes: 600, studies: 2, patients: 2 });
  });

  it('takes a whole series when the rule holds for any of its instances (series level)', () => {
    expect(selectedKeys(THIN_CT)).toEqual(['1.1.1', '2.1.2']);
    expect(decideSeries(rows, THIN_CT).totals).toEqual({
      series: 2,
      instances: 4,
      bytes: 400,
      studies: 2,
      patients: 2,
    });
  });

  it('selects nothing while the rule does not parse', () => {
    expect(selectedKeys('Modality ==')).toEqual([]);
    expect(decideSeries(rows, 'Modality ==').totals.instances).toBe(0);
  });

  it('a decision by hand overrides the rule both ways', () => {
    const decided = rows.map((r) =>
      r.SeriesInstanceUID === '1.1.1'
        ? { ...r, decision: 'exclude' as const }
        : r.SeriesInstanceUID === '2.1.1'
          ? { ...r, decision: 'include' as const }
          : r,
    );
    const { series } = decideSeries(decided, THIN_CT);
    expect(series.get(key('1.1.1'))).toMatchObject({
      selected: false,
      matchesRule: true,
      decision: 'exclude',
    });
    expect(series.get(key('2.1.1'))).toMatchObject({
      selected: true,
      matchesRule: false,
      decision: 'include',
    });
  });

  it('reports a series whose instances carry different decisions as mixed, counting only what is taken', () => {
    const mixed = [rows[0], { ...rows[1], decision: 'exclude' as const }];
    const { series, totals } = decideSeries(mixed, '');
    expect(series.get(key('1.1.1'))).toMatchObject({ decision: 'mixed', selectedCount: 1 });
    expect(totals.instances).toBe(1);
  });

  it('collects the QA flags and the SliceThickness range of a series', () => {
    const flagged = [
      { ...rows[4], flags: ['b-flag'] },
      { ...rows[5], flags: ['a-flag', 'b-flag'] },
    ];
    const entry = decideSeries(flagged, '').series.get(key('2.1.2'))!;
    expect(entry.flags).toEqual(['a-flag', 'b-flag']);
    expect(entry.sliceThickness).toEqual([1, 3]);
    expect(entry.first.Modality).toBe('CT');
  });
});

describe('countByModality', () => {
  it('counts instances per Modality, largest first', () => {
    expect(countByModality(rows)).toEqual([
      ['CT', 5],
      ['MR', 1],
    ]);
  });
});
