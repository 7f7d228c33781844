// Tests of report.json: the CLI's shape, counts by reason and risk, and no path or value of a file.
import { describe, expect, it } from 'vitest';
import { defaultRecipe } from '../core/profile/recipe';
import type { DumpRow } from '../core/review/dump';
import type { ExportResult } from './export';
import {
  buildExportReport,
  countRisks,
  formatExportReport,
  NOT_REVIEWED_NOTE,
} from './export-report';

const PATH = 'Doe^John/1965-03-12/CT/1.dcm';

function result(): ExportResult {
  return {
    volumes: [{ name: 'cleanroom-dataset-001.zip', entryCount: 6, bytes: 4096 }],
    manifest: {
      files: [{ path: 'SITE-000001/1/1_CT/1.dcm' }, { path: 'SITE-000001/1/1_CT/2.dcm' }],
      totals: { bytes: 2048 },
    } as unknown as ExportResult['manifest'],
    failures: [
      { fileId: `root/${PATH}`, code: 'truncated', reason: 'the file ends inside an element' },
      { fileId: 'root/x.dcm', code: 'truncated', reason: 'the file ends inside an element' },
      {
        fileId: 'root/y.dcm',
        code: 'read-failed',
        reason: 'the file is gone or was moved since the scan',
      },
    ],
    keyFile: { patients: [{ id_old: 'P1', id_new: 'SITE-000001' }], studies: [], uids: [] },
    dump: [{ risk: 'high' }, { risk: 'high' }, { risk: 'low' }, { risk: 'medium' }] as DumpRow[],
    warnings: [],
  };
}

describe('buildExportReport', () => {
  const report = buildExportReport({
    appVersion: '0.1.0',
    madeAt: new Date('2026-01-02T03:04:05Z'),
    recipe: defaultRecipe(),
    recipeSha256: 'ab'.repeat(32),
    result: result(),
    selected: 5,
    rejectedAtScan: 1,
    keyFileName: 'cleanroom-dataset-key.zip',
  });
  const text = formatExportReport(report);

  it('counts files, failure reasons and risks, and says no person reviewed the values', () => {
    expect(report).toMatchObject({
      app: 'cleanroom',
      recipe: { name: 'Research dataset', sha256: 'ab'.repeat(32) },
      files: { selected: 5, written: 2, failed: 3, rejectedAtScan: 1 },
      failureReasons: {
        'the file ends inside an element': 2,
        'the file is gone or was moved since the scan': 1,
      },
      bytes: 2048,
      review: { reviewedByPerson: false, note: NOT_REVIEWED_NOTE, distinctValues: 4, high: 2 },
      keyFile: 'cleanroom-dataset-key.zip (kept apart from the package)',
    });
    expect(countRisks(result())).toEqual({ high: 2, medium: 1, low: 1 });
  });

  it('holds no path of an original file and no crosswalk value', () => {
    expect(text).not.toContain('Doe');
    expect(text).not.toContain('x.dcm');
    expect(text).not.toContain('P1');
    expect(text.endsWith('}\n')).toBe(true);
  });
});
