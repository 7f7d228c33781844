// The `cleanroom` command end to end, as a user runs it: the bundled CLI in a child process on the
// sample generator's folder and on the real-world sample files; outputs opened and checked byte by byte.
import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  writeFileSync,
  existsSync,
} from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateSampleSet } from '../core/sample/sample-set';
import { parseCsv } from '../core/csv/csv';
import { readZipEntries } from '../core/package/read-zip';
import { readDicomFile } from '../core/dicom/read';
import { defaultRecipe } from '../core/profile/recipe';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(repo, 'dist-cli', 'cleanroom.mjs');
const samples = join(repo, 'test-data', 'dicom-samples');

function run(args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', cwd: repo });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function csv(path: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(readFileSync(path, 'utf8'));
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
}

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

let work: string;
let sampleDir: string;
const sample = generateSampleSet(1);

beforeAll(() => {
  execFileSync(process.execPath, [join(repo, 'scripts', 'build-cli.mjs')], { cwd: repo });
  work = mkdtempSync(join(tmpdir(), 'cleanroom-cli-'));
  sampleDir = join(work, 'sample');
  for (const f of sample.files) {
    mkdirSync(join(sampleDir, f.path, '..'), { recursive: true });
    writeFileSync(join(sampleDir, f.path), f.bytes);
  }
  writeFileSync(join(work, 'secret.hex'), '5e'.repeat(32));
}, 60_000);

describe('cleanroom scan', () => {
  it('lists every instance with the inventory columns and every rejected file with a reason', () => {
    const out = join(work, 'scan', 'inventory.csv');
    mkdirSync(join(out, '..'), { recursive: true });
    const r = run(['scan', sampleDir, '--out', out, '--json']);
    expect(r.code).toBe(0);
    const rows = csv(out);
    expect(Object.keys(rows[0])).toEqual([
      'path',
      'SOPClassUID',
      'Modality',
      'PatientID',
      'StudyInstanceUID',
      'SeriesInstanceUID',
      'SOPInstanceUID',
      'Rows',
      'Columns',
      'TransferSyntaxUID',
      'selected',
      'qa_flags',
    ]);
    expect(rows).toHaveLength(sample.expected.instances);
    const rejected = csv(join(work, 'scan', 'rejected.csv'));
    for (const { path } of sample.expected.rejected)
      expect(rejected.map((x) => x.path)).toContain(path);
    for (const path of sample.expected.directories)
      expect(rejected.find((x) => x.path === path)?.reason).toMatch(/DICOMDIR/);
    expect(JSON.parse(r.stdout)).toMatchObject({ instances: sample.expected.instances });
  });

  it('selects exactly the thin CT series with the recipe rule', () => {
    const recipePath = join(work, 'thin-ct.json');
    const recipe = {
      ...defaultRecipe(),
      selection: { rule: sample.expected.ctThinRule, level: 'series' },
    };
    writeFileSync(recipePath, JSON.stringify(recipe));
    const out = join(work, 'scan-ct', 'inventory.csv');
    mkdirSync(join(out, '..'), { recursive: true });
    expect(run(['scan', sampleDir, '--out', out, '--recipe', recipePath]).code).toBe(0);
    const selectedSeries = new Set(
      csv(out)
        .filter((r) => r.selected === 'true')
        .map((r) => r.SeriesInstanceUID),
    );
    expect([...selectedSeries].sort()).toEqual([...sample.expected.ctThinSeries].sort());
  });
});

describe('cleanroom export', () => {
  let zipPath: string;
  let zipBytes: Buffer;

  beforeAll(() => {
    const r = run([
      'export',
      sampleDir,
      '--out',
      join(work, 'pkg'),
      '--key-out',
      join(work, 'key'),
      '--secret-file',
      join(work, 'secret.hex'),
    ]);
    // The truncated sample file fails de-identification and is reported: exit 1, the run goes on.
    expect([0, 1]).toContain(r.code);
    const zips = readdirSync(join(work, 'pkg')).filter((f) => f.endsWith('.zip'));
    expect(zips).toHaveLength(1);
    zipPath = join(work, 'pkg', zips[0]);
    zipBytes = readFileSync(zipPath);
  }, 120_000);

  it('leaves no planted PHI value in any byte of the package: entries, names, manifest', () => {
    const text = zipBytes.toString('latin1');
    const upper = text.toUpperCase();
    const leaks = sample.answers
      .filter((a) => a.kind !== 'pixels')
      .filter((a) => text.includes(a.value) || upper.includes(a.value.toUpperCase()))
      .map((a) => `${a.kind} at ${a.where}`);
    expect(leaks).toEqual([]);
  });

  it('writes entries that parse, with checksums matching the manifest', async () => {
    const entries = new Map<string, Uint8Array>();
    for await (const e of readZipEntries(new Blob([new Uint8Array(zipBytes)])))
      entries.set(e.name, await e.data());
    const manifest = JSON.parse(new TextDecoder().decode(entries.get('manifest.json')!));
    expect(manifest.files.length).toBeGreaterThan(0);
    for (const f of manifest.files) {
      const bytes = entries.get(f.path)!;
      expect(bytes, f.path).toBeDefined();
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(f.sha256);
      const parsed = await readDicomFile(bytes);
      expect(parsed.dataset.size).toBeGreaterThan(0);
    }
    expect(entries.has('values.csv')).toBe(true);
    expect(entries.has('recipe.json')).toBe(true);
  });

  it('keeps the key file apart from the package', () => {
    expect(readdirSync(join(work, 'pkg')).some((f) => f.includes('key'))).toBe(false);
    expect(existsSync(join(work, 'key', 'cleanroom-dataset-key.zip'))).toBe(true);
  });

  it('gives a byte-identical package for the same input, recipe and secret, with one or two workers', () => {
    const again = join(work, 'pkg-again');
    run([
      'export',
      sampleDir,
      '--out',
      again,
      '--key-out',
      `${again}-key`,
      '--secret-file',
      join(work, 'secret.hex'),
      '--workers',
      '1',
    ]);
    const zip = readdirSync(again).find((f) => f.endsWith('.zip'))!;
    expect(sha(join(again, zip))).toBe(sha(zipPath));
  }, 120_000);

  it('refuses a key folder inside the package folder', () => {
    const r = run([
      'export',
      sampleDir,
      '--out',
      join(work, 'p2'),
      '--key-out',
      join(work, 'p2', 'key'),
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/key-out must not be inside --out/);
  });
});

describe('cleanroom export with nothing to export', () => {
  it('stops with a plain message and writes no package when no file is a DICOM instance', () => {
    const input = join(work, 'not-dicom');
    mkdirSync(input, { recursive: true });
    writeFileSync(join(input, 'notes.txt'), 'not an image');
    writeFileSync(join(input, 'empty.dcm'), new Uint8Array(0));
    const out = join(work, 'nothing-out');
    const r = run(['export', input, '--out', out, '--quiet']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/nothing to do: none of the 2 files .* is a DICOM instance/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(out) ? readdirSync(out).filter((f) => f.endsWith('.zip')) : []).toEqual([]);
  });

  it('says so when the recipe selects none of the instances', () => {
    const recipe = defaultRecipe();
    recipe.selection = { ...recipe.selection, rule: 'Modality == "XYZZY"' };
    const recipePath = join(work, 'select-nothing.json');
    writeFileSync(recipePath, JSON.stringify(recipe));
    const r = run(['dump', sampleDir, '--out', join(work, 'none.csv'), '--recipe', recipePath]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/the recipe's selection matches none of the \d+ DICOM instances/);
  });
});

describe('cleanroom dump', () => {
  it('lists every distinct value left, ranked high → medium → low, with no planted identifier', () => {
    const out = join(work, 'values.csv');
    const r = run([
      'dump',
      sampleDir,
      '--out',
      out,
      '--secret-file',
      join(work, 'secret.hex'),
      '--json',
    ]);
    // The truncated sample file is already refused by the scan, so every selected file de-identifies.
    expect(r.code).toBe(0);
    const rows = csv(out);
    expect(Object.keys(rows[0])).toEqual(['path', 'vr', 'value', 'count', 'risk', 'reason']);
    const order = { high: 0, medium: 1, low: 2 } as Record<string, number>;
    for (let i = 1; i < rows.length; i++)
      expect(order[rows[i - 1].risk]).toBeLessThanOrEqual(order[rows[i].risk]);
    const text = readFileSync(out, 'utf8').toUpperCase();
    const leaks = sample.answers
      .filter((a) => a.kind !== 'pixels' && a.kind !== 'path')
      .filter((a) => text.includes(a.value.toUpperCase()));
    expect(leaks.map((a) => a.where)).toEqual([]);
    expect(JSON.parse(r.stdout).distinctValues).toBe(rows.length);
  }, 120_000);
});

describe('cleanroom verify', () => {
  it('passes a package Cleanroom wrote, except for the checks a person must finish, and writes JSON and HTML reports', () => {
    const pkg = join(work, 'pkg');
    const zip = readdirSync(pkg).find((f) => f.endsWith('.zip'))!;
    const report = join(work, 'verify', 'report.json');
    mkdirSync(join(report, '..'), { recursive: true });
    const r = run(['verify', join(pkg, zip), '--report', report]);
    const json = JSON.parse(readFileSync(report, 'utf8'));
    const status = Object.fromEntries(
      json.checks.map((c: { id: string; status: string }) => [c.id, c.status]),
    );
    for (const id of [
      'manifest-present',
      'checksums-match',
      'no-missing-files',
      'no-extra-files',
      'every-file-parses',
      'elements-allowed',
      'private-elements-safe',
      'identity-removed',
      'uids-pseudonymous',
    ]) {
      expect(status[id], id).toBe('pass');
    }
    expect(status['pixels-ocr']).toBe('pass');
    expect(r.code).toBe(json.verdict === 'pass' ? 0 : 1);
    expect(readFileSync(report.replace(/\.json$/, '.html'), 'utf8')).toMatch(/<html/i);
  }, 120_000);

  it('finds a broken checksum in an altered copy', () => {
    const pkg = join(work, 'pkg');
    const zip = readdirSync(pkg).find((f) => f.endsWith('.zip'))!;
    const bytes = readFileSync(join(pkg, zip));
    // Flip one byte inside the first entry's data (after its 30-byte header and name): the CRC and SHA-256 break.
    const nameLength = bytes.readUInt16LE(26);
    const altered = Buffer.from(bytes);
    altered[30 + nameLength + 200] ^= 0xff;
    const copy = join(work, 'verify', 'altered.zip');
    writeFileSync(copy, altered);
    const r = run(['verify', copy, '--report', join(work, 'verify', 'altered.json')]);
    expect(r.code).toBe(1);
  }, 120_000);
});

describe('cleanroom on real-world sample files', () => {
  it('exports or reports every file of the sample collection, and every output parses', async () => {
    const out = join(work, 'real');
    const r = run([
      'export',
      samples,
      '--out',
      out,
      '--key-out',
      `${out}-key`,
      '--secret-file',
      join(work, 'secret.hex'),
    ]);
    expect([0, 1]).toContain(r.code);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    const rejected = csv(join(`${out}-key`, 'rejected.csv'));
    const failures = csv(join(`${out}-key`, 'failures.csv'));
    for (const f of [...rejected, ...failures]) expect(f.reason.length).toBeGreaterThan(5);
    expect(report.files.written + report.files.failed).toBe(report.files.selected);
    const zip = readdirSync(out).find((f) => f.endsWith('.zip'))!;
    let parsed = 0;
    for await (const e of readZipEntries(
      new Blob([new Uint8Array(readFileSync(join(out, zip)))]),
    )) {
      if (!e.name.endsWith('.dcm')) continue;
      await readDicomFile(await e.data());
      parsed++;
    }
    expect(parsed).toBe(report.files.written);
  }, 120_000);
});

describe('cleanroom arguments', () => {
  it('exits 2 with a plain message and no stack trace on bad arguments', () => {
    for (const args of [
      ['scan'],
      ['nonsense'],
      ['scan', sampleDir],
      ['scan', join(work, 'missing'), '--out', 'x.csv'],
      ['export', sampleDir, '--out', join(work, 'o'), '--volume-size', 'huge'],
    ]) {
      const r = run(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^cleanroom: /);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
