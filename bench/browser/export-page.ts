// Bench-only page for bench/export-chromium.bench.ts: indexes the generated slices in OPFS (untimed),
// then times the raw read+write floor and the app's export path (planExport → runExport with the
// real de-identification worker pool, zip writer, package extras → writeFileAtomically into OPFS).
import { createPool } from '../../workers/pool';
import type { DeidWorkerApi } from '../../workers/deid-api';
import { readDicomFile } from '../../src/core/dicom/read';
import { indexRow, type InstanceRow } from '../../src/core/inventory';
import { defaultRecipe, recipeHash } from '../../src/core/profile/recipe';
import { planExport } from '../../src/pipeline/export-plan';
import { runExport } from '../../src/pipeline/export';
import { createPackageExtras } from '../../src/pipeline/package-extras';
import { IDENTIFIER_PATHS } from '../../src/pipeline/identifiers';
import { writeFileAtomically } from '../../src/platform/browser/write-output';
import { IoWorker } from './opfs-io-protocol';

export const INPUT = 'export-in';
const HEADER_BYTES = 64 * 1024;

export interface Timed {
  files: number;
  bytes: number;
  seconds: number;
}

type Row = InstanceRow & { fileId: string };

const ioUrl = new URL('./opfs-io.worker.js', import.meta.url);
let rows: Row[] = [];
const fileOf = new Map<string, FileSystemFileHandle>();

async function folder(path: string, create = true): Promise<FileSystemDirectoryHandle> {
  let dir = await navigator.storage.getDirectory();
  for (const part of path.split('/').filter(Boolean))
    dir = await dir.getDirectoryHandle(part, { create });
  return dir;
}

const bench = {
  /** Untimed: the I/O worker writes `count` generated slices (bench/inputs.ts) into OPFS. */
  async generate(count: number, seed: number): Promise<{ bytes: number; paths: string[] }> {
    await bench.clear(INPUT);
    const io = new IoWorker(ioUrl);
    try {
      return await io.request({ op: 'generate', folder: INPUT, count, seed });
    } finally {
      io.terminate();
    }
  },

  async clear(path: string): Promise<void> {
    const root = await navigator.storage.getDirectory();
    await root.removeEntry(path, { recursive: true }).catch(() => undefined);
  },

  /** Untimed: the inventory rows the scan would have stored, from each file's header. */
  async index(paths: string[]): Promise<number> {
    rows = [];
    fileOf.clear();
    for (const path of paths) {
      const parts = path.split('/');
      const name = parts.pop()!;
      const handle = await (await folder(`${INPUT}/${parts.join('/')}`, false)).getFileHandle(name);
      const file = await handle.getFile();
      const head = new Uint8Array(await file.slice(0, HEADER_BYTES).arrayBuffer());
      const dicom = await readDicomFile(head, { untilPixelData: true, fileSize: file.size });
      rows.push({
        ...indexRow(dicom, path, { fileSize: file.size, extraPaths: IDENTIFIER_PATHS }),
        fileId: path,
      });
      fileOf.set(path, handle);
    }
    rows.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    return rows.length;
  },

  /**
   * The floor: read every input File and stream its bytes into one file through the same
   * writeFileAtomically (createWritable) the export writes its zip with; 4 reads ahead.
   */
  async floor(writeBytes?: number): Promise<Timed> {
    const out = await folder('out-floor');
    const t0 = performance.now();
    let bytes = 0;
    const handles = rows.map((r) => fileOf.get(r.fileId)!);
    async function* chunks(): AsyncGenerator<Uint8Array> {
      const ahead: Promise<ArrayBuffer>[] = [];
      let next = 0;
      const fill = () => {
        while (ahead.length < 4 && next < handles.length)
          ahead.push(handles[next++].getFile().then((f) => f.arrayBuffer()));
      };
      fill();
      while (ahead.length > 0) {
        const data = await ahead.shift()!;
        fill();
        bytes += data.byteLength;
        yield new Uint8Array(data);
      }
    }
    await writeFileAtomically(out, 'floor.bin', chunks(), { writeBytes });
    return { files: handles.length, bytes, seconds: (performance.now() - t0) / 1000 };
  },

  /** The export, as the Export screen runs it, into OPFS folder `out-export`. */
  async exportPackage(
    workers: number,
    writeBytes?: number,
  ): Promise<Timed & { bytesOut: number; failed: number; volumes: number; entries: number }> {
    const recipe = defaultRecipe();
    recipe.package.name = 'bench-package';
    const secret = crypto.getRandomValues(new Uint8Array(32));
    const out = await folder('out-export');
    const pool = createPool<DeidWorkerApi>(
      () =>
        new Worker(new URL('./deid.worker.js', import.meta.url), { type: 'module', name: 'deid' }),
      workers,
      { idleTimeoutMs: 0 },
    );
    // Warm-up outside the clock: start every worker (their module load and codec set-up).
    const warm = await fileOf.get(rows[0].fileId)!.getFile();
    const warmPlan = await planExport(rows.slice(0, 1), recipe, secret, async () => warm, 'warm');
    await Promise.all(
      Array.from({ length: workers }, () =>
        pool.call('deidentifyFile', [
          {
            setup: warmPlan.setup,
            fileId: 'warm',
            source: warm,
            pseudonym: 'WARM',
            dateShiftDays: 0,
            identifiers: [],
            output: true,
          },
        ]),
      ),
    );
    const t0 = performance.now();
    // The app reads each planned file as a File from the picked folder when the export reaches it.
    const plan = await planExport(
      rows,
      recipe,
      secret,
      (row) => fileOf.get(row.fileId)!.getFile(),
      'bench-export',
    );
    const extras = createPackageExtras({ recipe });
    const result = await runExport({
      planned: plan.planned,
      setup: plan.setup,
      deid: (job) => pool.call('deidentifyFile', [job]),
      window: workers * 2,
      recipe,
      recipeSha256: await recipeHash(recipe),
      appVersion: 'bench',
      writeVolume: (name, chunks, signal) =>
        writeFileAtomically(out, name, chunks, { signal, writeBytes }),
      onFileDigest: (path, digest) => extras.onFileDigest(path, digest),
      extraFiles: (facts) => extras.extraFiles(facts),
    });
    const seconds = (performance.now() - t0) / 1000;
    pool.terminate();
    return {
      files: result.manifest.files.length,
      bytes: rows.reduce((s, r) => s + r.fileSize, 0),
      seconds,
      bytesOut: result.volumes.reduce((s, v) => s + v.bytes, 0),
      failed: result.failures.length,
      volumes: result.volumes.length,
      entries: result.volumes.reduce((s, v) => s + v.entryCount, 0),
    };
  },
};

export type ExportBenchPage = typeof bench;
(globalThis as unknown as { cleanroomBench: ExportBenchPage }).cleanroomBench = bench;
