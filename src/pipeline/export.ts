// The export step: planned files → de-identified in workers → streamed into zip volumes with the
// manifest, the recipe, the value dump, the DICOMDIR, the redaction log and the caller's extra files
// inside; the crosswalk comes back for the key file, which the caller writes elsewhere. The same
// function runs in the browser and in the CLI, and resumes at the first unfinished volume.
import { toCsv } from '../core/csv/csv';
import {
  buildManifest,
  formatManifestCsv,
  formatManifestJson,
  type ManifestDocument,
  type ManifestFile,
  type PackageManifest,
  type ReviewGateSummary,
} from '../core/package/manifest';
import type { KeyFileContent } from '../core/package/keyfile';
import {
  encodeEntryName,
  VolumePlanner,
  zipEntries,
  zipVolumes,
  type ZipEntryInput,
} from '../core/package/zip';
import { sha256Hex } from '../core/package/sha256';
import { buildDicomdir, FileIdAllocator, type DicomdirFile } from '../core/package/dicomdir';
import { collectDirectoryKeys } from '../core/package/dicomdir-records';
import {
  formatRedactionLogCsv,
  formatRedactionLogJson,
  REDACTION_LOG_CSV,
  REDACTION_LOG_JSON,
  type RedactionLogRow,
} from '../core/package/redaction-log';
import { parseVolumeSize, type Recipe } from '../core/profile/recipe';
import { compileProfile } from '../core/profile/compile-profile';
import type { DumpRow, ValueOccurrence } from '../core/review/dump';
import { deidentifyInOrder, type DeidCall, type DeidRunOptions } from './deid-run';
import type { DeidJobResult, DeidSetup, FileDigest } from '../../workers/deid-api';
import type { PlannedFile } from './plan';
import { DUMP_CSV_COLUMNS, dumpCsvRows } from './dump';
import { ValueDump, type DumpStateEntry } from '../core/review/dump';

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

/** A file the caller adds to the package (labels.csv, README.txt, LICENSE, a report). */
export interface PackageFile {
  /** Path inside the package ('labels.csv', 'docs/README.txt'); must not be one the export writes. */
  name: string;
  bytes: Uint8Array;
}

/** What the run knows once every file is written: enough to build labels.csv or a report. */
export interface ExportRunFacts {
  keyFile: KeyFileContent;
  files: readonly ManifestFile[];
}

/** A finished volume. */
export interface ExportVolume {
  name: string;
  entryCount: number;
  bytes: number;
}

/**
 * Everything a resumed export needs to write the remaining volumes exactly as an uninterrupted run
 * would: the state of the run at the end of the last finished volume. Plain data (IndexedDB, JSON).
 */
export interface ExportCheckpoint {
  /** Volumes written completely, in order. */
  volumes: ExportVolume[];
  /** Planned files handled before the next volume starts (failed ones included). */
  nextPlanned: number;
  /** Package documents already written (when documents span a volume boundary). */
  documentsDone: number;
  files: ManifestFile[];
  dicomdir: DicomdirFile[];
  failures: ExportFailure[];
  warnings: string[];
  dump: DumpStateEntry[];
  patients: [string, string][];
  studies: [string, string][];
  uids: [string, string][];
  redactions: RedactionLogRow[];
  progress: { done: number; failed: number; bytesIn: number; bytesOut: number };
  /** What the caller's onFileWritten kept (e.g. the dataset report's rows), plain data. */
  extras?: unknown;
}

export interface ExportOptions {
  planned: readonly PlannedFile[];
  setup: DeidSetup;
  deid: DeidCall;
  window: number;
  recipe: Recipe;
  recipeSha256: string;
  appVersion: string;
  /**
   * Writes one zip volume from its chunks; returns when the bytes are on disk. `signal` is the
   * export's: when it aborts, stop writing, leave no half-written volume and reject.
   */
  writeVolume(name: string, chunks: AsyncIterable<Uint8Array>, signal?: AbortSignal): Promise<void>;
  onProgress?(p: ExportProgress): void;
  reviewGate?: ReviewGateSummary;
  signal?: AbortSignal;
  /** Files to add to the package, asked for once every DICOM file is written. */
  extraFiles?(facts: ExportRunFacts): Promise<PackageFile[]> | PackageFile[];
  /** Called after each finished volume but the last, with the state to resume from; awaited. */
  onCheckpoint?(checkpoint: ExportCheckpoint): Promise<void>;
  /** Resume from this checkpoint: its volumes are not written again. */
  resume?: ExportCheckpoint;
  /** Gets each written DICOM file's dataset-report digest, made in the workers; awaited. */
  onFileDigest?(path: string, digest: FileDigest): Promise<void> | void;
  /** The approved burned-in text boxes of a file (from the Pixels step); undefined = none. */
  redactionFor?: DeidRunOptions['redactionFor'];
}

export interface ExportResult {
  volumes: ExportVolume[];
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

export const DICOMDIR_NAME = 'DICOMDIR';
/** Names the export writes itself; an extra file may not take one. */
const RESERVED = new Set(
  [
    DICOMDIR_NAME,
    'manifest.json',
    'manifest.csv',
    'recipe.json',
    'values.csv',
    REDACTION_LOG_CSV,
    REDACTION_LOG_JSON,
  ].map((n) => n.toLowerCase()),
);

const encoder = new TextEncoder();

/** DICOMDIR on unless the recipe turns it off. */
export function wantsDicomdir(recipe: Recipe): boolean {
  return recipe.package.dicomdir ?? true;
}

/**
 * Entry paths of the planned files. With a DICOMDIR the files go under `DICOM/` with File IDs a
 * DICOMDIR may reference (PS3.10 8.2: 8 components of 8 characters A–Z, 0–9, _), since the readable
 * `<pseudonym>/<study>/<series>_<modality>/<instance>.dcm` paths are not; without, the planned paths.
 */
export function exportEntryPaths(planned: readonly PlannedFile[], dicomdir: boolean): string[] {
  if (!dicomdir) return planned.map((p) => p.entryPath);
  const ids = new FileIdAllocator();
  return planned.map((p) =>
    ids
      .allocate({
        patient: p.patient.key,
        study: String(p.studyIndex),
        series: p.file.row.SeriesInstanceUID ?? '',
      })
      .join('/'),
  );
}

const DIRECTORY_KEYS = [
  'PatientName',
  'PatientID',
  'StudyDate',
  'StudyTime',
  'StudyDescription',
  'StudyID',
  'AccessionNumber',
] as const;

/** The DICOMDIR keys of one written file, from its de-identified values (top level only). */
function directoryFacts(
  path: string,
  result: Extract<DeidJobResult, { ok: true }>,
  pseudonym: string,
): DicomdirFile | undefined {
  const { facts } = result;
  if (!facts.SOPClassUID || !facts.SOPInstanceUID || !facts.StudyInstanceUID) return undefined;
  if (!facts.SeriesInstanceUID) return undefined;
  const top: Partial<Record<(typeof DIRECTORY_KEYS)[number], string>> = {};
  const wanted: ReadonlySet<string> = new Set(DIRECTORY_KEYS);
  for (const v of result.values as ValueOccurrence[])
    if (wanted.has(v.path)) top[v.path as (typeof DIRECTORY_KEYS)[number]] = v.value;
  return {
    fileId: path.split('/'),
    PatientID: top.PatientID ?? pseudonym,
    PatientName: top.PatientName,
    StudyInstanceUID: facts.StudyInstanceUID,
    StudyDate: top.StudyDate,
    StudyTime: top.StudyTime,
    StudyDescription: top.StudyDescription,
    StudyID: top.StudyID,
    AccessionNumber: top.AccessionNumber,
    SeriesInstanceUID: facts.SeriesInstanceUID,
    Modality: facts.Modality,
    SeriesNumber: facts.SeriesNumber,
    SOPClassUID: facts.SOPClassUID,
    SOPInstanceUID: facts.SOPInstanceUID,
    TransferSyntaxUID: facts.TransferSyntaxUID,
    InstanceNumber: facts.InstanceNumber,
    keys: collectDirectoryKeys(result.values as ValueOccurrence[]),
  };
}

/** What a cancelled export rejects with, whichever step (workers, zip, writer) saw the cancel. */
export function exportCancelledError(): DOMException {
  return new DOMException('The export was cancelled.', 'AbortError');
}

const byOld = (a: { id_old: string }, b: { id_old: string }): number =>
  a.id_old < b.id_old ? -1 : a.id_old > b.id_old ? 1 : 0;

/** Counts the bytes of a volume as they pass to the writer. */
async function* counted(
  chunks: AsyncIterable<Uint8Array>,
  tally: { bytes: number },
): AsyncGenerator<Uint8Array> {
  for await (const chunk of chunks) {
    tally.bytes += chunk.length;
    yield chunk;
  }
}

export async function runExport(options: ExportOptions): Promise<ExportResult> {
  const { planned, recipe } = options;
  const resume = options.resume;
  const files: ManifestFile[] = resume ? resume.files.map((f) => ({ ...f })) : [];
  const dirFiles: DicomdirFile[] = resume ? [...resume.dicomdir] : [];
  const failures: ExportFailure[] = resume ? [...resume.failures] : [];
  const warnings = new Set<string>(resume?.warnings);
  const dump = resume ? ValueDump.restore(resume.dump) : new ValueDump();
  const patients = new Map<string, string>(resume?.patients);
  const studies = new Map<string, string>(resume?.studies);
  const uids = new Map<string, string>(resume?.uids);
  const redactions: RedactionLogRow[] = resume ? [...resume.redactions] : [];
  const progress: ExportProgress = {
    done: resume?.progress.done ?? 0,
    total: planned.length,
    failed: resume?.progress.failed ?? 0,
    bytesIn: resume?.progress.bytesIn ?? 0,
    bytesOut: resume?.progress.bytesOut ?? 0,
    volume: '',
  };
  const dicomdir = wantsDicomdir(recipe);
  const paths = exportEntryPaths(planned, dicomdir);
  const compression = recipe.package.compression ?? 'store';
  const maxBytes = recipe.package.volumeSize ? parseVolumeSize(recipe.package.volumeSize) : 0;
  const doneVolumes: ExportVolume[] = resume ? [...resume.volumes] : [];
  const firstIndex = doneVolumes.length + 1;
  const startAt = resume?.nextPlanned ?? 0;
  if (resume && (maxBytes === 0 || startAt > planned.length))
    throw new Error('the checkpoint does not belong to this export plan');
  // Mirrors zipVolumes' placement so that the state at each volume boundary is known before the
  // entry that opens the next volume changes it.
  const planner =
    maxBytes > 0
      ? new VolumePlanner({ maxBytes, baseName: recipe.package.name, compression, firstIndex })
      : undefined;
  const checkpoints = new Map<number, ExportCheckpoint>();
  let entryIndex = 0;
  let documentsDone = 0;

  const snapshot = (nextPlanned: number): ExportCheckpoint => ({
    volumes: [],
    nextPlanned,
    documentsDone,
    files: files.map((f) => ({ ...f })),
    dicomdir: [...dirFiles],
    failures: [...failures],
    warnings: [...warnings].sort(),
    dump: dump.snapshot(),
    patients: [...patients],
    studies: [...studies],
    uids: [...uids],
    redactions: [...redactions],
    progress: {
      done: progress.done,
      failed: progress.failed,
      bytesIn: progress.bytesIn,
      bytesOut: progress.bytesOut,
    },
  });

  /** Places an entry; returns its volume's name, saving the state when it opens a new volume. */
  const place = (name: string, size: number, nextPlanned: number): string | undefined => {
    if (!planner) return undefined;
    const { plan, opened } = planner.add(encodeEntryName(name, entryIndex++).length, size);
    if (opened && plan.index > firstIndex) checkpoints.set(plan.index - 1, snapshot(nextPlanned));
    return plan.name;
  };

  async function* entries(): AsyncGenerator<ZipEntryInput> {
    let index = startAt;
    for await (const { planned: p, result } of deidentifyInOrder(planned.slice(startAt), {
      setup: options.setup,
      deid: options.deid,
      window: options.window,
      output: true,
      signal: options.signal,
      redactionFor: options.redactionFor,
      digest: options.onFileDigest !== undefined,
    })) {
      const at = index++;
      if (!result.ok || !result.output) {
        progress.done++;
        progress.bytesIn += p.file.row.fileSize;
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
      const { sha256, crc32 } = output;
      if (sha256 === undefined || crc32 === undefined)
        throw new Error('The de-identification worker wrote a file without its checksums.');
      const path = paths[at];
      const volume = place(path, output.bytes.byteLength, at);
      progress.done++;
      progress.bytesIn += p.file.row.fileSize;
      for (const w of result.warnings) warnings.add(w);
      for (const [from, to] of result.uidMap) uids.set(from, to);
      patients.set(p.patient.key, p.patient.pseudonym);
      if (p.file.row.StudyInstanceUID && facts.StudyInstanceUID)
        studies.set(p.file.row.StudyInstanceUID, facts.StudyInstanceUID);
      dump.add(result.values, {
        tokens: p.patient.tokens,
        pseudonym: p.patient.pseudonym,
        example: path,
      });
      if (result.redaction) redactions.push({ path, redaction: result.redaction });
      if (dicomdir) {
        const dir = directoryFacts(path, result, p.patient.pseudonym);
        if (dir) dirFiles.push(dir);
        else warnings.add('a file without the UIDs a DICOMDIR record needs is not in the DICOMDIR');
      }
      files.push({
        path,
        size: output.bytes.byteLength,
        sha256,
        SOPClassUID: facts.SOPClassUID,
        Modality: facts.Modality,
        patient: p.patient.pseudonym,
        study: facts.StudyInstanceUID,
        series: facts.SeriesInstanceUID,
        ...(volume ? { volume } : {}),
      });
      progress.bytesOut += output.bytes.byteLength;
      if (options.onFileDigest && result.digest) await options.onFileDigest(path, result.digest);
      options.onProgress?.(progress);
      yield { name: path, data: output.bytes, crc32 };
    }
    if (options.signal?.aborted) throw exportCancelledError();
    const docs = await packageDocuments();
    for (const [i, doc] of docs.entries()) {
      if (i < (resume?.documentsDone ?? 0)) continue;
      documentsDone = i;
      place(doc.name, doc.bytes.byteLength, planned.length);
      yield { name: doc.name, data: doc.bytes };
    }
  }

  let manifest: PackageManifest | undefined;

  /** Every document in package order: listed ones (with checksums in the manifest) first. */
  async function packageDocuments(): Promise<PackageFile[]> {
    const listed: PackageFile[] = [];
    if (dicomdir && dirFiles.length > 0)
      listed.push({
        name: DICOMDIR_NAME,
        bytes: await buildDicomdir(dirFiles, { fileSetId: recipe.package.name }),
      });
    if (redactions.length > 0) {
      listed.push({
        name: REDACTION_LOG_CSV,
        bytes: encoder.encode(formatRedactionLogCsv(redactions)),
      });
      listed.push({
        name: REDACTION_LOG_JSON,
        bytes: encoder.encode(formatRedactionLogJson(redactions)),
      });
    }
    const extra = (await options.extraFiles?.({ keyFile: keyFileContent(), files })) ?? [];
    const taken = new Set([...files.map((f) => f.path.toLowerCase()), ...RESERVED]);
    for (const [i, f] of extra.entries()) {
      encodeEntryName(f.name, i);
      if (taken.has(f.name.toLowerCase()))
        throw new Error(`extra package file ${i} has a name the package already uses`);
      taken.add(f.name.toLowerCase());
      listed.push(f);
    }
    const documents: ManifestDocument[] = [];
    for (const d of listed)
      documents.push({ path: d.name, size: d.bytes.byteLength, sha256: await sha256Hex(d.bytes) });
    const rows = dump.rows();
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
      ...(redactions.length > 0
        ? {
            redactionLog: [...redactions]
              .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
              .map((r) => ({ path: r.path, ...r.redaction })),
          }
        : {}),
      ...(documents.length > 0 ? { documents } : {}),
      files,
    });
    return [
      ...listed,
      { name: 'manifest.json', bytes: encoder.encode(formatManifestJson(manifest)) },
      { name: 'manifest.csv', bytes: encoder.encode(formatManifestCsv(manifest)) },
      { name: 'recipe.json', bytes: encoder.encode(`${JSON.stringify(recipe, null, 2)}\n`) },
      { name: 'values.csv', bytes: encoder.encode(toCsv(DUMP_CSV_COLUMNS, dumpCsvRows(rows))) },
    ];
  }

  function keyFileContent(): KeyFileContent {
    return {
      patients: [...patients]
        .map(([id_old, id_new]) => ({ id_old: id_old.replace(/^\\/, ''), id_new }))
        .sort(byOld),
      studies: [...studies].map(([id_old, id_new]) => ({ id_old, id_new })).sort(byOld),
      uids: [...uids].map(([id_old, id_new]) => ({ id_old, id_new })).sort(byOld),
    };
  }

  /** The caller's writer with the export's signal; a write stopped by a cancel is a cancel. */
  const writeVolume = async (name: string, chunks: AsyncIterable<Uint8Array>): Promise<void> => {
    try {
      await options.writeVolume(name, chunks, options.signal);
    } catch (error) {
      if (options.signal?.aborted) throw exportCancelledError();
      throw error;
    }
  };

  const volumes: ExportVolume[] = [...doneVolumes];
  if (maxBytes > 0) {
    for await (const volume of zipVolumes(entries(), {
      maxBytes,
      baseName: recipe.package.name,
      compression,
      firstIndex,
    })) {
      progress.volume = volume.name;
      const tally = { bytes: 0 };
      await writeVolume(volume.name, counted(volume.chunks, tally));
      volumes.push({ name: volume.name, entryCount: volume.entryNames.length, bytes: tally.bytes });
      const checkpoint = checkpoints.get(volume.index);
      if (checkpoint && options.onCheckpoint) {
        checkpoint.volumes = [...volumes];
        await options.onCheckpoint(checkpoint);
      }
      checkpoints.delete(volume.index);
    }
  } else {
    const name = `${recipe.package.name}.zip`;
    progress.volume = name;
    const tally = { bytes: 0, entries: 0 };
    async function* countedEntries(): AsyncGenerator<ZipEntryInput> {
      for await (const e of entries()) {
        tally.entries++;
        yield e;
      }
    }
    await writeVolume(name, counted(zipEntries(countedEntries(), { compression }), tally));
    volumes.push({ name, entryCount: tally.entries, bytes: tally.bytes });
  }
  if (!manifest) throw new Error('the package ended before its manifest was written');
  return {
    volumes,
    manifest,
    failures,
    keyFile: keyFileContent(),
    dump: dump.rows(),
    warnings: [...warnings].sort(),
  };
}
