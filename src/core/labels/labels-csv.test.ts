// Labels CSV: key and label columns are found, problems name lines (never values), the writer is sorted and reads back.
import { describe, expect, it } from 'vitest';
import { formatLabelsCsv, parseLabelsCsv } from './labels-csv';

describe('parseLabelsCsv', () => {
  it('finds the key column in common spellings and the other column as the label', () => {
    const p = parseLabelsCsv('Patient ID,Finding\r\nMRN-1,positive\r\nMRN-2,negative\r\n');
    expect(p.keyColumn).toBe('PatientID');
    expect(p.labelColumn).toBe('Finding');
    expect([...p.labels]).toEqual([
      ['MRN-1', 'positive'],
      ['MRN-2', 'negative'],
    ]);
    expect(p.problems).toEqual([]);
    expect(parseLabelsCsv('accession,label\nA1,1\n').keyColumn).toBe('AccessionNumber');
    expect(parseLabelsCsv('StudyInstanceUID,label\n1.2,1\n').keyColumn).toBe('StudyInstanceUID');
    expect(parseLabelsCsv('series_instance_uid,y\n1.2,1\n').keyColumn).toBe('SeriesInstanceUID');
    expect(parseLabelsCsv('SOPInstanceUID,y\n1.2,1\n').keyColumn).toBe('SOPInstanceUID');
  });

  it('with several other columns, takes the one named like a label', () => {
    const p = parseLabelsCsv('\uFEFFnotes,PatientID,site,label\nx,P1,A,yes\n');
    expect(p.labelColumn).toBe('label');
    expect(p.labels.get('P1')).toBe('yes');
  });

  it('reports problems by line and never quotes a key', () => {
    const p = parseLabelsCsv(
      'PatientID,label\nSECRET-1,a\n,b\nSECRET-2,\nSECRET-1,c\nSECRET-3,a,extra\nSECRET-1,a\n\n',
    );
    expect(p.labels.size).toBe(1);
    expect(p.problems.map((x) => x.line)).toEqual([3, 4, 5, 6]);
    expect(p.problems[2].message).toContain('line 2');
    expect(JSON.stringify(p.problems)).not.toContain('SECRET');
  });

  it('a file without an identifier column gives no labels and a problem on line 1', () => {
    const p = parseLabelsCsv('name,label\nx,1\n');
    expect(p.labels.size).toBe(0);
    expect(p.problems).toEqual([{ line: 1, message: expect.stringContaining('No identifier') }]);
  });
});

describe('formatLabelsCsv', () => {
  it('writes the key column header, sorted rows, and parses back to the same labels', () => {
    const labels = new Map([
      ['SITE-000002', 'neg'],
      ['SITE-000001', 'pos, maybe'],
    ]);
    const text = formatLabelsCsv(labels, 'PatientID', 'label');
    expect(text).toBe('PatientID,label\nSITE-000001,"pos, maybe"\nSITE-000002,neg\n');
    const back = parseLabelsCsv(text);
    expect(back.keyColumn).toBe('PatientID');
    expect(back.labels).toEqual(labels);
  });
});
