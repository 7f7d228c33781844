// The export step: planned files → de-identified in workers → streamed into zip volumes with the
// manifest, the recipe and the value dump inside; the crosswalk comes back for the key file, which
// the caller writes elsewhere. The same function runs in the browser and in the CLI.
import { toCsv } from '../core/csv/csv';
import {
  buildManifest,
  formatManifestCsv,
  formatManifestJson,
  type ManifestFile,
  type PackageManifest,
  type ReviewGateSummary,
} from '../core/package/manifest';
import type { KeyFileContent } from '../core/package/keyfile';
import { zipEntries, zipVolumes, type ZipEntryInput } from '../core/package/zip';
import { parseVolumeSize, type Recipe } from '../core/profile/recipe';
import { compileProfile } from '../core/profile/compile-profile';
import { ValueDump, type DumpRow } from '../core/review/dump';
import { deidentifyInOrder, type DeidCall } from './deid-run';
import type { DeidSetup } from '../../workers/deid-api';
import type { PlannedFile } from './plan';
import { DUMP_CSV_COLUMNS, dumpCsvRows } from './dump';

export interface ExportProgress {
  done: number;
  total: number;
  failed: number;
  bytesIn: number;
  bytesOut: number;
  volume: string;
}

export interface ExportFailure {
  fileId: string;
  code: string;
  reason: string;
}

export interface ExportOptions {
  planned: readonly PlannedFile[];
  setup: DeidSetup;
  deid: DeidCall;
  window: number;
  recipe: Recipe;
  recipeSha256: string;
  appVersion: string;
  /** Writes one zip volume from its chunks; returns when the bytes are on disk. */
  writeVolume(name: string, chunks: AsyncIterable<Uint8Array>): Promise<void>;
  onProgress?(p: ExportProgress): void;
  reviewGate?: ReviewGateSummary;
  signal?: AbortSignal;
}

export interface ExportResult {
  volumes: { name: string; entryCount: number }[];
  manifest: PackageManifest;
  failures: ExportFailure[];
  keyFile: KeyFileContent;
  dump: DumpRow[];
  warnings: string[];
}

/**
 * Packages are reproducible: no clock inside. The manifest's createdAt is the zip entries' fixed
 * time; when the package was made is in the report beside it.
 */
export const PACKAGE_TIMESTAMP = '1980-01-01T00:00:00Z';

const encoder = new TextEncoder();

export async function runExport(options: ExportOptions): Promise<ExportResult> {
  const { planned, recipe } = options;
  const files: ManifestFile[] = [];
  const failures: ExportFailure[] = [];
  const warnings = new Set<string>();
  const dump = new ValueDump();
  const patients = new Map<string, string>();
  const studies = new Map<string, string>();
  const uids = new Map<string, string>();
  const entryVolume = new Map<string, string>();
  const progress: ExportProgress = {
    done: 0,
    total: planned.length,
    failed: 0,
    bytesIn: 0,
    bytesOut: 0,
    volume: '',
  };

  async function* entries(): AsyncGenerator<ZipEntryInput> {
    for await (const { planned: p, result } of deidentifyInOrder(planned, {
      setup: options.setup,
      deid: options.deid,
      window: options.window,
      output: true,
      signal: options.signal,
    })) {
      progress.done++;
      progress.bytesIn += p.file.row.fileSize;
      if (!result.ok || !result.output) {
        progress.failed++;
        failures.push({
          fileId: p.file.fileId,
          code: result.ok ? 'no-output' : result.code,
          reason: result.ok ? 'no output was written' : result.reason,
        });
        options.onProgress?.(progress);
        continue;
      }
      const { output, facts } = result;
      for (const w of result.warnings) warnings.add(w);
      for (const [from, to] of result.uidMap) uids.set(from, to);
      patients.set(p.patient.key, p.patient.pseudonym);
      if (p.file.row.StudyInstanceUID && facts.StudyInstanceUID)
        studies.set(p.file.row.StudyInstanceUID, facts.StudyInstanceUID);
      dump.add(result.values, {
        tokens: p.patient.tokens,
        pseudonym: p.patient.pseudonym,
        example: p.entryPath,
      });
      files.push({
        path: p.entryPath,
        size: output.bytes.byteLength,
        sha256: output.sha256,
        SOPClassUID: facts.SOPClassUID,
        Modality: facts.Modality,
        patient: p.patient.pseudonym,
        study: facts.StudyInstanceUID,
        series: facts.SeriesInstanceUID,
      });
      progress.bytesOut += output.bytes.byteLength;
      options.onProgress?.(progress);
      yield { name: p.entryPath, data: output.bytes, crc32: output.crc32 };
    }
    if (options.signal?.aborted) throw new DOMException('The export was cancelled.', 'AbortError');
    yield* packageDocuments();
  }

  let manifest: PackageManifest | undefined;
  const dumpRows = (): DumpRow[] => dump.rows();

  async function* packageDocuments(): AsyncGenerator<ZipEntryInput> {
    const rows = dumpRows();
    for (const f of files) {
      const volume = entryVolume.get(f.path);
      if (volume) f.volume = volume;
    }
    manifest = await buildManifest({
      appVersion: options.appVersion,
      createdAt: PACKAGE_TIMESTAMP,
      recipe,
      recipeSha256: options.recipeSha256,
      options: compileProfile(recipe.deid.options, recipe.deid.allowList).methodCodes.map((c) => ({
        code: c.value,
      })),
      reviewGate: options.reviewGate ?? {
        reviewedByPerson: false,
        notes: 'Values nobody reviewed were cleaned automatically by the recipe.',
      },
      uniqueValues: { distinctValues: rows.length, file: 'values.csv' },
      files,
    });
    yield { name: 'manifest.json', data: encoder.encode(formatManifestJson(manifest)) };
    yield { name: 'manifest.csv', data: encoder.encode(formatManifestCsv(manifest)) };
    yield { name: 'recipe.json', data: encoder.encode(`${JSON.stringify(recipe, null, 2)}\n`) };
    yield { name: 'values.csv', data: encoder.encode(toCsv(DUMP_CSV_COLUMNS, dumpCsvRows(rows))) };
  }

  const volumes: { name: string; entryCount: number }[] = [];
  const compression = recipe.package.compression ?? 'store';
  if (recipe.package.volumeSize) {
    const maxBytes = parseVolumeSize(recipe.package.volumeSize);
    for await (const volume of zipVolumes(entries(), {
      maxBytes,
      baseName: recipe.package.name,
      compression,
    })) {
      progress.volume = volume.name;
      const names = volume.entryNames;
      await options.writeVolume(
        volume.name,
        tagVolume(volume.chunks, names, volume.name, entryVolume),
      );
      volumes.push({ name: volume.name, entryCount: names.length });
    }
  } else {
    const name = `${recipe.package.name}.zip`;
    progress.volume = name;
    const chunks = zipEntries(entries(), { compression });
    await options.writeVolume(name, chunks);
    volumes.push({ name, entryCount: files.length + 4 });
  }
  if (!manifest) throw new Error('the package ended before its manifest was written');
  return {
    volumes,
    manifest,
    failures,
    keyFile: {
      patients: [...patients]
        .map(([id_old, id_new]) => ({ id_old: id_old.replace(/^\\/, ''), id_new }))
        .sort(byOld),
      studies: [...studies].map(([id_old, id_new]) => ({ id_old, id_new })).sort(byOld),
      uids: [...uids].map(([id_old, id_new]) => ({ id_old, id_new })).sort(byOld),
    },
    dump: dumpRows(),
    warnings: [...warnings].sort(),
  };
}

const byOld = (a: { id_old: string }, b: { id_old: string }): number =>
  a.id_old < b.id_old ? -1 : a.id_old > b.id_old ? 1 : 0;

/** Passes a volume's chunks through, remembering which volume each entry landed in. */
async function* tagVolume(
  chunks: AsyncIterable<Uint8Array>,
  names: string[],
  volume: string,
  entryVolume: Map<string, string>,
): AsyncGenerator<Uint8Array> {
  let seen = 0;
  for await (const chunk of chunks) {
    for (; seen < names.length; seen++) entryVolume.set(names[seen], volume);
    yield chunk;
  }
  for (; seen < names.length; seen++) entryVolume.set(names[seen], volume);
}
