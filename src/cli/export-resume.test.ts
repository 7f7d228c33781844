// `cleanroom export --resume`: the bundled CLI is killed after some volumes (the test-only knob
// CLEANROOM_TEST_STOP_AFTER_VOLUMES), resumed, and every volume compared by SHA-256 with an
// uninterrupted run with the same secret; plus the sealed resume record on its own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { generateSampleSet } from '../core/sample/sample-set';
import type { ExportCheckpoint } from '../pipeline/export';
import {
  openResumeRecord,
  resumeRecordPath,
  ResumeRecordError,
  sealResumeRecord,
  type ResumeRecord,
} from './export-resume';

const repo = fileURLToPath(new URL('../..', import.meta.url));
// A private build (inside node_modules, so its packages resolve): dist-cli is rebuilt by other tests.
const cliDir = join(repo, 'node_modules', '.cache', 'cleanroom-export-resume-cli');
const cli = join(cliDir, 'cleanroom.mjs');
const PACKAGE = 'cleanroom-dataset';

let work: string;
let input: string;
let secretFile: string;

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

function exportTo(out: string, extra: string[] = [], env: Record<string, string> = {}) {
  const r = spawnSync(
    process.execPath,
    [
      cli,
      'export',
      input,
      '--out',
      out,
      '--key-out',
      `${out}-key`,
      '--volume-size',
      '150KB',
      '--workers',
      '1',
      '--quiet',
      ...extra,
    ],
    { encoding: 'utf8', cwd: repo, env: { ...process.env, ...env } },
  );
  return { code: r.status, signal: r.signal, stderr: r.stderr };
}

const volumesIn = (dir: string) =>
  readdirSync(dir)
    .filter((n) => n.endsWith('.zip'))
    .sort();

beforeAll(async () => {
  const workers = readdirSync(join(repo, 'workers'))
    .filter((f) => f.endsWith('.node-worker.ts'))
    .map((f) => `workers/${f}`);
  await build({
    absWorkingDir: repo,
    entryPoints: {
      cleanroom: 'src/cli/main.ts',
      ...Object.fromEntries(workers.map((f) => [f.slice(8, -3), f])),
    },
    outdir: cliDir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    define: { __APP_VERSION__: '"test"' },
    packages: 'external',
    logLevel: 'warning',
  });
  work = mkdtempSync(join(tmpdir(), 'cleanroom-resume-'));
  input = join(work, 'input');
  for (const f of generateSampleSet(1).files) {
    mkdirSync(join(input, f.path, '..'), { recursive: true });
    writeFileSync(join(input, f.path), f.bytes);
  }
  secretFile = join(work, 'secret.hex');
  writeFileSync(secretFile, '3c'.repeat(32));
}, 120_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('cleanroom export --resume', () => {
  it('a killed export resumed with --resume writes only the missing volumes, byte-identical to an uninterrupted run', () => {
    const whole = join(work, 'whole');
    const first = exportTo(whole, ['--secret-file', secretFile]);
    expect(first.code, first.stderr).toBeLessThanOrEqual(1);
    const names = volumesIn(whole);
    expect(names.length).toBeGreaterThanOrEqual(4);
    expect(existsSync(resumeRecordPath(whole, PACKAGE))).toBe(false);

    const stopped = join(work, 'stopped');
    const killed = exportTo(stopped, ['--secret-file', secretFile], {
      CLEANROOM_TEST_STOP_AFTER_VOLUMES: '2',
    });
    expect(killed.signal).toBe('SIGKILL');
    expect(existsSync(resumeRecordPath(stopped, PACKAGE))).toBe(true);
    expect(volumesIn(stopped)).toEqual(names.slice(0, 2));
    const kept = new Map(names.slice(0, 2).map((n) => [n, statSync(join(stopped, n)).mtimeMs]));

    const resumed = exportTo(stopped, ['--secret-file', secretFile, '--resume']);
    expect(resumed.code, resumed.stderr).toBe(first.code);
    expect(volumesIn(stopped)).toEqual(names);
    for (const name of names) expect(sha(join(stopped, name)), name).toBe(sha(join(whole, name)));
    // The finished volumes were kept, not written again.
    for (const [name, mtime] of kept) expect(statSync(join(stopped, name)).mtimeMs).toBe(mtime);
    expect(readdirSync(stopped).filter((n) => n.endsWith('.partial'))).toEqual([]);
    expect(existsSync(resumeRecordPath(stopped, PACKAGE))).toBe(false);
    expect(sha(join(`${stopped}-key`, `${PACKAGE}-key.zip`))).toBe(
      sha(join(`${whole}-key`, `${PACKAGE}-key.zip`)),
    );
  }, 300_000);

  it('a stopped export without --resume is refused with a message that says what to do', () => {
    const out = join(work, 'refused');
    const killed = exportTo(out, ['--secret-file', secretFile], {
      CLEANROOM_TEST_STOP_AFTER_VOLUMES: '1',
    });
    expect(killed.signal).toBe('SIGKILL');
    const again = exportTo(out, ['--secret-file', secretFile]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/stopped before it finished/);
    expect(again.stderr).toMatch(/--resume/);
    expect(again.stderr).toMatch(/start over/);
    expect(again.stderr).not.toMatch(/internal error|\n\s+at /);

    const otherSecret = join(work, 'other.hex');
    writeFileSync(otherSecret, 'a7'.repeat(32));
    const wrong = exportTo(out, ['--secret-file', otherSecret, '--resume']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/another project secret/);

    const changed = exportTo(out, ['--secret-file', secretFile, '--resume', '--site', 'Other']);
    expect(changed.code).toBe(2);
    expect(changed.stderr).toMatch(/changed since the export/);
  }, 300_000);
});

describe('resume record', () => {
  const checkpoint = {
    volumes: [{ name: 'p-001.zip', entryCount: 3, bytes: 1234 }],
    nextPlanned: 3,
    patients: [['ORIGINAL^PATIENT-ID', 'SITE-000001']],
  } as unknown as ExportCheckpoint;
  const record: ResumeRecord = { planHash: 'ab'.repeat(32), packageName: 'p', checkpoint };
  const secret = new Uint8Array(32).fill(9);

  it('the resume record is sealed: no crosswalk value is readable in its bytes', async () => {
    const sealed = await sealResumeRecord(record, secret);
    expect(Buffer.from(sealed).includes('ORIGINAL^PATIENT-ID')).toBe(false);
    expect(Buffer.from(sealed).includes('SITE-000001')).toBe(false);
    expect(await openResumeRecord(sealed, secret)).toEqual(record);
  });

  it('the resume record opens only with the project secret that sealed it', async () => {
    const sealed = await sealResumeRecord(record, secret);
    await expect(openResumeRecord(sealed, new Uint8Array(32).fill(8))).rejects.toMatchObject({
      reason: 'wrong-secret',
    });
    await expect(openResumeRecord(new Uint8Array(64), secret)).rejects.toBeInstanceOf(
      ResumeRecordError,
    );
  });
});
