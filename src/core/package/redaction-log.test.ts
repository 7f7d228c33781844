// Tests of the redaction log: one CSV row per box, every changed file listed, JSON totals, no text.
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../csv/csv';
import {
  formatRedactionLogCsv,
  formatRedactionLogJson,
  REDACTION_LOG_COLUMNS,
  type RedactionLogRow,
} from './redaction-log';

const ROWS: RedactionLogRow[] = [
  {
    path: 'SITE-000002/01/0001_US/00001.dcm',
    redaction: {
      boxes: [
        { x: 0, y: 0, w: 100, h: 20, source: 'template', reason: 'device template' },
        {
          x: 10,
          y: 400,
          w: 50,
          h: 12,
          frame: 3,
          source: 'ocr',
          reason: 'matches PatientName',
          approvedBy: 'reviewer',
        },
      ],
      framesChanged: 12,
      pixelsChanged: 24600,
      inputSyntax: '1.2.840.10008.1.2.4.50',
      outputSyntax: '1.2.840.10008.1.2.1',
      fill: [0, 0, 0],
    },
  },
  {
    path: 'SITE-000001/01/0002_OT/00001.dcm',
    redaction: {
      boxes: [],
      framesChanged: 0,
      pixelsChanged: 0,
      inputSyntax: '1.2.840.10008.1.2.1',
      outputSyntax: '1.2.840.10008.1.2.1',
      fill: 0,
    },
  },
];

describe('redaction log', () => {
  it('CSV has one row per box, files in path order, and a row for a file with no box', () => {
    const [header, ...rows] = parseCsv(formatRedactionLogCsv(ROWS));
    expect(header).toEqual([...REDACTION_LOG_COLUMNS]);
    expect(rows).toHaveLength(3);
    expect(rows[0].slice(0, 2)).toEqual(['SITE-000001/01/0002_OT/00001.dcm', '']);
    expect(rows[1]).toEqual([
      'SITE-000002/01/0001_US/00001.dcm',
      'all',
      '0',
      '0',
      '100',
      '20',
      'template',
      'device template',
      '',
      '12',
      '24600',
      '1.2.840.10008.1.2.4.50',
      '1.2.840.10008.1.2.1',
      '0\\0\\0',
    ]);
    expect(rows[2].slice(0, 9)).toEqual([
      'SITE-000002/01/0001_US/00001.dcm',
      '3',
      '10',
      '400',
      '50',
      '12',
      'ocr',
      'matches PatientName',
      'reviewer',
    ]);
  });

  it('JSON totals count files, boxes, frames and pixels; same rows give the same text', () => {
    const json = JSON.parse(formatRedactionLogJson(ROWS));
    expect(json.totals).toEqual({ files: 2, boxes: 2, framesChanged: 12, pixelsChanged: 24600 });
    expect(json.files.map((f: { path: string }) => f.path)).toEqual([ROWS[1].path, ROWS[0].path]);
    expect(formatRedactionLogJson([...ROWS].reverse())).toBe(formatRedactionLogJson(ROWS));
  });

  it('an empty log is a header only and zero totals', () => {
    expect(parseCsv(formatRedactionLogCsv([]))).toHaveLength(1);
    expect(JSON.parse(formatRedactionLogJson([])).totals.files).toBe(0);
  });
});
