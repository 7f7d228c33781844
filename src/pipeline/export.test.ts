// Tests of runExport on the generated sample: resume after an interruption is byte-identical to an
// uninterrupted run and rewrites only unfinished volumes; a cancel reaches the writer; extra files, the redaction log and the
// DICOMDIR land in the package and in the manifest.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDicomFile } from '../core/dicom/read';
import { indexRow, type InstanceRow } from '../core/inventory';
import { readZipEntries } from '../core/package/read-zip';
import { parseCsv } from '../core/csv/csv';
import { verifyPackage, zipSource } from '../core/verify';
import { defaultRecipe, recipeHash, type Recipe } from '../core/profile/recipe';
import { generateSampleSet } from '../core/sample/sample-set';
import { deidWorkerApi, type DeidJob, type DeidJobResult } from '../../workers/deid-api';
import { planExport } from './export-plan';
import {
  runExport,
  type ExportCheckpoint,
  type ExportOptions,
  type ExportResult,
  type PackageFile,
} from './export';

const SECRET = new Uint8Array(32).fill(7);

interface Row extends InstanceRow {
  fileId: string;
}

let rows: Row[] = [];
const bytesOf = new Map<string, Uint8Array>();

beforeAll(async () => {
  for (const f of generateSampleSet(1).files) {
    try {
      const file = await readDicomFile(f.bytes);
      if (f.path.endsWith('DICOMDIR')) continue;
      rows.push({ ...indexRow(file, f.path, { fileSize: f.bytes.length }), fileId: f.path });
      bytesOf.set(f.path, f.bytes);
    } catch {
      // Files the scan would reject are not selected.
    }
  }
  rows = rows.sort((a, b) => (a.path < b.path ? -1 : 1));
});

function recipeWith(pkg: Partial<Recipe['package']>): Recipe {
  const recipe = defaultRecipe();
  recipe.package = { ...recipe.package, ...pkg };
  return recipe;
}

/** A run's written volumes, by name. */
type Written = Map<string, Uint8Array>;

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const c of chunks) parts.push(c.slice());
  return new Uint8Array(Buffer.concat(parts));
}

async function exportWith(
  recipe: Recipe,
  extra: Partial<ExportOptions> & { read?: (fileId: string) => void } = {},
): Promise<{ result: ExportResult; written: Written }> {
  const plan = await planExport(
    rows,
    recipe,
    SECRET,
    async (row) => {
      extra.read?.(row.fileId);
      return bytesOf.get(row.fileId)!.slice().buffer;
    },
    `t-${Math.random()}`,
  );
  const written: Written = new Map();
  const result = await runExport({
    planned: plan.planned,
    setup: plan.setup,
    deid: (job: DeidJob) => deidWorkerApi.deidentifyFile(job),
    window: 2,
    recipe,
    recipeSha256: await recipeHash(recipe),
    appVersion: 'test',
    writeVolume: async (name, chunks) => {
      written.set(name, await collect(chunks));
    },
    ...extra,
  });
  return { result, written };
}

async function entriesOf(zip: Uint8Array): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>();
  for await (const e of readZipEntries(new Blob([zip as Uint8Array<ArrayBuffer>])))
    out.set(e.name, await e.data());
  return out;
}

describe('export resume', () => {
  const recipe = recipeWith({ volumeSize: '150KB', dicomdir: true });

  it('a resumed export writes only the unfinished volumes and is byte-identical to an uninterrupted run', async () => {
    const whole = await exportWith(recipe);
    const names = [...whole.written.keys()];
    expect(names.length).toBeGreaterThanOrEqual(5);

    // Interrupted: the tab closes while the fourth volume is being written.
    let saved: ExportCheckpoint | undefined;
    const partial: Written = new Map();
    await expect(
      exportWith(recipe, {
        writeVolume: async (name, chunks) => {
          if (name === names[3]) {
            for await (const c of chunks) void c;
            throw new DOMException('the tab was closed', 'AbortError');
          }
          partial.set(name, await collect(chunks));
        },
        // The store keeps plain data: what comes back is a structured (here JSON) copy.
        onCheckpoint: async (c) => {
          saved = JSON.parse(JSON.stringify(c)) as ExportCheckpoint;
        },
      }),
    ).rejects.toThrow('the tab was closed');
    expect(saved?.volumes.map((v) => v.name)).toEqual(names.slice(0, 3));
    expect(saved!.volumes.map((v) => v.bytes)).toEqual(
      names.slice(0, 3).map((n) => whole.written.get(n)!.length),
    );

    // Resumed on a new page: a new plan, new worker caches, the checkpoint from the store.
    const read = new Set<string>();
    const resumed = await exportWith(recipe, { resume: saved, read: (id) => read.add(id) });
    expect([...resumed.written.keys()]).toEqual(names.slice(3));
    const all = new Map([...partial, ...resumed.written]);
    for (const name of names)
      expect(Buffer.from(all.get(name)!).equals(Buffer.from(whole.written.get(name)!)), name).toBe(
        true,
      );
    // Files of finished volumes are not read again.
    const finished = whole.result.manifest.files.filter((f) =>
      names.slice(0, 3).includes(f.volume!),
    );
    expect(finished.length).toBeGreaterThan(0);
    expect(read.size).toBe(rows.length - saved!.nextPlanned);
    // The crosswalk, the dump and the result are those of the uninterrupted run.
    expect(resumed.result.keyFile).toEqual(whole.result.keyFile);
    expect(resumed.result.dump).toEqual(whole.result.dump);
    expect(resumed.result.manifest).toEqual(whole.result.manifest);
    expect(resumed.result.volumes).toEqual(whole.result.volumes);
  });

  it('a checkpoint whose documents span a volume boundary resumes inside the documents', async () => {
    // Tiny volumes: every document gets a volume of its own, so checkpoints fall among them.
    const small = recipeWith({ volumeSize: '1KB', dicomdir: true });
    const whole = await exportWith(small);
    const checkpoints: ExportCheckpoint[] = [];
    await exportWith(small, {
      onCheckpoint: async (c) => void checkpoints.push(structuredClone(c)),
    });
    const inDocs = checkpoints.find((c) => c.documentsDone > 0)!;
    expect(inDocs).toBeDefined();
    const resumed = await exportWith(small, { resume: inDocs });
    for (const [name, bytes] of resumed.written)
      expect(Buffer.from(bytes).equals(Buffer.from(whole.written.get(name)!)), name).toBe(true);
    expect(resumed.written.size + inDocs.volumes.length).toBe(whole.written.size);
  });
});

describe('export cancel', () => {
  it('the export signal reaches the volume writer, and a write stopped by it rejects the export with the cancellation error', async () => {
    const controller = new AbortController();
    const seen: (AbortSignal | undefined)[] = [];
    let chunks = 0;
    const run = exportWith(recipeWith({}), {
      signal: controller.signal,
      writeVolume: async (_name, volume, signal) => {
        seen.push(signal);
        for await (const c of volume) {
          void c;
          if (++chunks === 3) controller.abort();
          // What a writer does (writeFileAtomically): stop with the signal's own reason.
          signal?.throwIfAborted();
        }
      },
    });
    await expect(run).rejects.toMatchObject({
      name: 'AbortError',
      message: 'The export was cancelled.',
    });
    expect(seen).toEqual([controller.signal]);
    expect(chunks).toBe(3);
  });
});

describe('package contents', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cleanroom-export-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('extra package files are written into the package and listed with their SHA-256', async () => {
    const extraFiles = ({ keyFile }: { keyFile: { patients: unknown[] } }): PackageFile[] => [
      {
        name: 'labels.csv',
        bytes: new TextEncoder().encode(`patients,${keyFile.patients.length}\n`),
      },
      { name: 'docs/README.txt', bytes: new TextEncoder().encode('read me\n') },
    ];
    const { result, written } = await exportWith(
      recipeWith({ volumeSize: undefined, dicomdir: false }),
      {
        extraFiles,
      },
    );
    const entries = await entriesOf([...written.values()][0]);
    expect(new TextDecoder().decode(entries.get('labels.csv'))).toMatch(/^patients,[1-9]/);
    expect(entries.has('docs/README.txt')).toBe(true);
    expect(result.manifest.documents?.map((d) => d.path)).toEqual([
      'labels.csv',
      'docs/README.txt',
    ]);
    expect(result.manifest.documents?.[1]).toMatchObject({ size: 8 });
    expect(result.manifest.files.some((f) => f.path === 'labels.csv')).toBe(false);
  });

  it('an extra file may not take a name the export writes', async () => {
    await expect(
      exportWith(recipeWith({ volumeSize: undefined, dicomdir: false }), {
        extraFiles: () => [{ name: 'Manifest.json', bytes: new Uint8Array(1) }],
      }),
    ).rejects.toThrow(/name the package already uses/);
  });

  it('redactions carried in the results become redaction-log.csv, redaction-log.json and the manifest log', async () => {
    const { result, written } = await exportWith(
      recipeWith({ volumeSize: undefined, dicomdir: false }),
      {
        deid: async (job: DeidJob): Promise<DeidJobResult> => {
          const r = await deidWorkerApi.deidentifyFile(job);
          if (!r.ok || r.facts.Modality !== 'US') return r;
          return {
            ...r,
            redaction: {
              boxes: [{ x: 1, y: 2, w: 30, h: 10, source: 'ocr', reason: 'date pattern' }],
              framesChanged: 1,
              pixelsChanged: 300,
              inputSyntax: r.facts.TransferSyntaxUID,
              outputSyntax: '1.2.840.10008.1.2.1',
              fill: 0,
            },
          };
        },
      },
    );
    const entries = await entriesOf([...written.values()][0]);
    const csv = parseCsv(new TextDecoder().decode(entries.get('redaction-log.csv')));
    const us = result.manifest.files.filter((f) => f.Modality === 'US').map((f) => f.path);
    expect(us.length).toBeGreaterThan(0);
    expect(csv.slice(1).map((r) => r[0])).toEqual([...us].sort());
    expect(
      JSON.parse(new TextDecoder().decode(entries.get('redaction-log.json'))).totals.files,
    ).toBe(us.length);
    expect(result.manifest.redactionLog).toHaveLength(us.length);
    expect(result.manifest.documents?.map((d) => d.path)).toEqual([
      'redaction-log.csv',
      'redaction-log.json',
    ]);
  });

  it('the DICOMDIR references every written file by its DICOM/ path, and dcmtk and dciodvfy accept it', async () => {
    const { result, written } = await exportWith(
      recipeWith({ volumeSize: undefined, dicomdir: true }),
    );
    const entries = await entriesOf([...written.values()][0]);
    const dicomdir = entries.get('DICOMDIR')!;
    expect(dicomdir).toBeDefined();
    for (const f of result.manifest.files)
      expect(f.path).toMatch(/^DICOM\/PA[0-9]{6}\/ST[0-9]{6}\/SE[0-9]{6}\/IM[0-9]{6}$/);
    const parsed = await readDicomFile(dicomdir);
    const refs = parsed.dataset
      .get(0x00041220)!
      .items!.map((i) => i.get(0x00041500)?.bytes)
      .filter((b): b is Uint8Array => b !== undefined)
      .map((b) => new TextDecoder().decode(b).trim().split('\\').join('/'));
    expect(refs).toEqual(result.manifest.files.map((f) => f.path));
    // Unpack and let the real tools read the file-set.
    for (const [name, bytes] of entries) {
      const path = join(dir, ...name.split('/'));
      spawnSync('mkdir', ['-p', join(path, '..')]);
      writeFileSync(path, bytes);
    }
    if (spawnSync('dciodvfy', ['-version']).error === undefined) {
      const run = spawnSync('dciodvfy', [join(dir, 'DICOMDIR')], { encoding: 'utf8' });
      expect((run.stdout + run.stderr).split('\n').filter((l) => /^Error/.test(l))).toEqual([]);
    }
    if (spawnSync('dcmdump', ['--version']).error === undefined) {
      const run = spawnSync('dcmdump', ['-dc', join(dir, 'DICOMDIR')], { encoding: 'utf8' });
      expect(run.status).toBe(0);
      expect(run.stdout + run.stderr).not.toMatch(/^[EW]:/m);
    }
    expect(result.manifest.documents?.map((d) => d.path)).toEqual(['DICOMDIR']);
  });

  it('a package with a DICOMDIR, extra files and a redaction log verifies clean; a changed extra file does not', async () => {
    const recipe = recipeWith({ volumeSize: '300KB', dicomdir: true });
    const { written } = await exportWith(recipe, {
      extraFiles: () => [
        { name: 'labels.csv', bytes: new TextEncoder().encode('PatientID,label\n') },
      ],
      deid: async (job: DeidJob): Promise<DeidJobResult> => {
        const r = await deidWorkerApi.deidentifyFile(job);
        return r.ok
          ? {
              ...r,
              redaction: {
                boxes: [],
                framesChanged: 0,
                pixelsChanged: 0,
                inputSyntax: r.facts.TransferSyntaxUID,
                outputSyntax: r.facts.TransferSyntaxUID,
                fill: 0,
              },
            }
          : r;
      },
    });
    const blobs = [...written].map(([name, b]) => new File([b as Uint8Array<ArrayBuffer>], name));
    const report = await verifyPackage(zipSource(blobs));
    const byId = new Map(report.checks.map((c) => [c.id, c]));
    // (The sample plants a study under two patient IDs and risky values on purpose: those checks
    // are verify's own tests; here the package's files and documents must all check out.)
    const fileChecks = [
      'checksums-match',
      'no-missing-files',
      'no-extra-files',
      'every-file-parses',
    ];
    for (const id of [...fileChecks, 'identity-removed', 'uids-pseudonymous'])
      expect(byId.get(id as 'checksums-match')!.status, id).toBe('pass');

    // The same package with labels.csv changed after packaging.
    const changed = await Promise.all(
      [...written].map(async ([name, b]) => {
        const entries = await entriesOf(b);
        if (!entries.has('labels.csv')) return new File([b as Uint8Array<ArrayBuffer>], name);
        const { zipEntries } = await import('../core/package/zip');
        const parts: Uint8Array[] = [];
        const list = [...entries].map(([n, data]) => ({
          name: n,
          data: n === 'labels.csv' ? new TextEncoder().encode('PatientID,label\nX,1\n') : data,
        }));
        for await (const c of zipEntries(list)) parts.push(c);
        return new File(parts as Uint8Array<ArrayBuffer>[], name);
      }),
    );
    const bad = await verifyPackage(zipSource(changed));
    const checksums = bad.checks.find((c) => c.id === 'checksums-match')!;
    expect(checksums.findings.map((f) => f.path)).toEqual(['labels.csv']);
  });
});
