// Tests of the export plan the browser uses: the same secret file reading, selection and plan as the CLI.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seriesKeyOf, studyKeyOf } from '../core/inventory';
import { defaultRecipe, type Recipe } from '../core/profile/recipe';
import { fileIdOf, type InstanceRecord } from '../store/types';
import { loadSecret, type ScannedFolder } from '../cli/session';
import { planRun } from '../cli/plan-run';
import {
  bytesToHex,
  parseSecretFile,
  planExport,
  secretFingerprint,
  selectRows,
  SelectionRuleError,
} from './export-plan';

function instance(path: string, fields: Partial<InstanceRecord>): InstanceRecord {
  const base = {
    path,
    fileSize: 100,
    TransferSyntaxUID: '1.2.840.10008.1.2.1',
    hasPixelData: true,
    privateCreators: [],
    ...fields,
  };
  return {
    ...base,
    fileId: fileIdOf('root', path),
    rootId: 'root',
    seriesKey: seriesKeyOf(base),
    studyKey: studyKeyOf(base),
    patientKey: base.PatientID ?? '',
    flags: [],
    ...fields,
  };
}

const rows = [
  instance('b/2.dcm', {
    PatientID: 'P2',
    PatientName: 'Roe^Jane',
    StudyInstanceUID: '2.1',
    StudyDate: '20200101',
    SeriesInstanceUID: '2.1.1',
    Modality: 'MR',
    InstanceNumber: 1,
  }),
  instance('a/1.dcm', {
    PatientID: 'P1',
    PatientName: 'Doe^John',
    StudyInstanceUID: '1.1',
    StudyDate: '20190101',
    SeriesInstanceUID: '1.1.1',
    Modality: 'CT',
    SliceThickness: 0.5,
    InstanceNumber: 2,
    extra: { OtherPatientNames: 'Doe^Johnny' },
  }),
  instance('a/0.dcm', {
    PatientID: 'P1',
    PatientName: 'Doe^John',
    StudyInstanceUID: '1.1',
    StudyDate: '20190101',
    SeriesInstanceUID: '1.1.1',
    Modality: 'CT',
    SliceThickness: 0.5,
    InstanceNumber: 1,
  }),
];

const withRule = (rule: string): Recipe => {
  const recipe = defaultRecipe();
  recipe.selection = { level: 'series', rule };
  return recipe;
};

describe('parseSecretFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cleanroom-secret-'));
  const cases: [string, Uint8Array][] = [
    ['hex text with a newline', new TextEncoder().encode(`${'0a1b'.repeat(16)}\n`)],
    ['raw bytes', Uint8Array.from({ length: 32 }, (_, i) => (i * 37) % 256)],
    ['text that is not hex', new TextEncoder().encode('a long passphrase-like secret text')],
    ['hex text of an odd length (taken as raw bytes)', new TextEncoder().encode('abc'.repeat(11))],
  ];

  it.each(cases)('reads %s exactly as the CLI --secret-file does', async (_name, bytes) => {
    const path = join(dir, 'secret');
    writeFileSync(path, bytes);
    const cli = await loadSecret(path);
    expect(bytesToHex(parseSecretFile(bytes))).toBe(bytesToHex(cli.secret));
  });

  it('refuses a secret shorter than 16 bytes', () => {
    expect(() => parseSecretFile(new TextEncoder().encode('short'))).toThrow(RangeError);
    expect(() => parseSecretFile(new Uint8Array(15))).toThrow(RangeError);
    expect(parseSecretFile(new Uint8Array(16))).toHaveLength(16);
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('names a secret by a fingerprint that reveals nothing of it but equality', async () => {
    const a = parseSecretFile(new TextEncoder().encode('11'.repeat(32)));
    expect(await secretFingerprint(a)).toMatch(/^[0-9a-f]{8}$/);
    expect(await secretFingerprint(a)).toBe(await secretFingerprint(a.slice()));
    expect(await secretFingerprint(a)).not.toBe(bytesToHex(a).slice(0, 8));
  });
});

describe('selectRows', () => {
  it('takes every row in path order when there is no rule', () => {
    expect(selectRows(rows, defaultRecipe()).map((r) => r.path)).toEqual([
      'a/0.dcm',
      'a/1.dcm',
      'b/2.dcm',
    ]);
  });

  it('applies the rule at its level, then decisions made by hand', () => {
    expect(selectRows(rows, withRule('Modality == "CT"')).map((r) => r.path)).toEqual([
      'a/0.dcm',
      'a/1.dcm',
    ]);
    const decided = [{ ...rows[0], decision: 'include' as const }, rows[1], rows[2]];
    expect(selectRows(decided, withRule('Modality == "CT"'))).toHaveLength(3);
  });

  it('throws SelectionRuleError with the column when the rule does not parse', () => {
    expect(() => selectRows(rows, withRule('Modality =='))).toThrow(SelectionRuleError);
  });
});

describe('planExport', () => {
  it('plans the same entry paths, pseudonyms, date shifts and setup as the CLI plan-run', async () => {
    const secret = parseSecretFile(new TextEncoder().encode('5a'.repeat(32)));
    const recipe = defaultRecipe();
    const read = async () => new ArrayBuffer(0);
    const browser = await planExport(selectRows(rows, recipe), recipe, secret, read, 'x');
    const sorted = [...rows].sort((a, b) => (a.path < b.path ? -1 : 1));
    const scanned = { instances: sorted, absolutePath: (id: string) => id } as ScannedFolder;
    const cli = await planRun(scanned, recipe, secret);
    const shape = (p: (typeof browser.planned)[number]) => [
      p.file.fileId,
      p.entryPath,
      p.patient.pseudonym,
      p.patient.dateShiftDays,
      p.patient.tokens.map((t) => t.token).join(' '),
    ];
    expect(browser.planned.map(shape)).toEqual(cli.planned.map(shape));
    // Identifiers read at scan time into row.extra reach the cleaning, as in the CLI.
    const p1 = browser.planned.find((p) => p.file.row.PatientID === 'P1')!;
    expect(p1.patient.tokens.map((t) => t.token)).toContain('JOHNNY');
    expect({ ...browser.setup, id: 'cli' }).toEqual(cli.setup);
  });
});
