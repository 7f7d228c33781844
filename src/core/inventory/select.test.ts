import { describe, expect, it } from 'vitest';
import { readDicom } from '../dicom/read';
import { generateSampleSet } from '../sample/sample-set';
import { indexRow, type InstanceRow } from './index';
import { parseRule, rulePaths, type Rule } from './rules';
import { groupSeries, groupStudies, matchInstance, selectSeries, selectStudies } from './select';

function rule(text: string): Rule {
  const r = parseRule(text);
  if (!r.ok) throw new Error(r.error.message);
  return r.rule;
}

const set = generateSampleSet();
const instanceFiles = set.files.filter(
  (f) =>
    !set.expected.rejected.some((r) => r.path === f.path) &&
    !set.expected.directories.includes(f.path),
);

function rowsFor(text?: string): InstanceRow[] {
  const extraPaths = text ? rulePaths(rule(text)) : undefined;
  return instanceFiles.map((f) =>
    indexRow(readDicom(f.bytes, { untilPixelData: true }), f.path, {
      fileSize: f.bytes.length,
      extraPaths,
    }),
  );
}

describe('selection on the generated sample set', () => {
  const rows = rowsFor();

  it('the CT rule selects exactly the thin CT series', () => {
    expect([...selectSeries(rows, rule(set.expected.ctThinRule))]).toEqual(
      set.expected.ctThinSeries,
    );
  });

  it('the inventory counts match what the sample expects', () => {
    expect(rows).toHaveLength(set.expected.instances);
    expect(groupSeries(rows).size).toBe(set.expected.series);
    expect(groupStudies(rows).size).toBe(set.expected.studies);
    expect(new Set(rows.map((r) => r.PatientID)).size).toBe(set.expected.patients);
    const byModality: Record<string, number> = {};
    for (const r of rows) byModality[r.Modality!] = (byModality[r.Modality!] ?? 0) + 1;
    expect(byModality).toEqual(set.expected.modalities);
  });

  it('rules on sequence paths work once those paths are read into the rows', () => {
    const text = 'RequestAttributesSequence > RequestedProcedureDescription contains "chest"';
    expect(selectSeries(rowsFor(), rule(text)).size).toBe(0);
    expect(selectSeries(rowsFor(text), rule(text)).size).toBe(2);
  });

  it('selectStudies picks the studies that hold a match', () => {
    expect(selectStudies(rows, rule('Modality == "US"')).size).toBe(1);
    expect(selectStudies(rows, rule('Modality in ["CT", "MR", "US"]')).size).toBe(3);
  });
});

describe('quantifiers', () => {
  const base = {
    fileSize: 1,
    TransferSyntaxUID: '1.2.840.10008.1.2.1',
    hasPixelData: true,
    privateCreators: [],
    SeriesInstanceUID: 'S',
    StudyInstanceUID: 'T',
  };
  const rows: InstanceRow[] = [
    { ...base, path: 'a', Modality: 'CT', SliceThickness: 1 },
    { ...base, path: 'b', Modality: 'CT', SliceThickness: 10 },
  ];
  it("'any' (the default) selects a series when one instance matches", () => {
    expect(selectSeries(rows, rule('SliceThickness <= 1')).has('S' as never)).toBe(true);
  });
  it("'all' needs every instance to match", () => {
    expect(selectSeries(rows, rule('SliceThickness <= 1'), { quantifier: 'all' }).size).toBe(0);
    expect(selectStudies(rows, rule('Modality == "CT"'), { quantifier: 'all' }).size).toBe(1);
  });
  it('matchInstance evaluates one row, with a custom value source', () => {
    expect(matchInstance(rule('Modality == "CT"'), rows[0])).toBe(true);
    expect(matchInstance(rule('Modality == "CT"'), rows[0], () => 'MR')).toBe(false);
  });
});
