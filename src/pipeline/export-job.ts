// The export's resume record in the store (table exportJobs): which plan it was, which volumes are
// finished, and the state at the end of the last one, so a closed tab can resume where it stopped.
import type { CleanroomDb, ExportJobRow } from '../store';
import { sha256Hex } from '../core/package/sha256';
import type { ExportCheckpoint } from './export';
import type { PlannedFile } from './plan';
import type { PackageExtras, PackageExtrasState } from './package-extras';
import type { FileDigest } from '../../workers/deid-api';

/**
 * Names a plan: the same files in the same order with the same entry paths and pseudonyms, the
 * same recipe, secret and app version. A checkpoint is used only by a plan with the same name.
 * The secret enters as a keyed digest, never as itself.
 */
export async function exportPlanHash(input: {
  planned: readonly PlannedFile[];
  recipeSha256: string;
  secret: Uint8Array;
  appVersion: string;
}): Promise<string> {
  const secretDigest = await sha256Hex(
    new Uint8Array([...new TextEncoder().encode('cleanroom-export-plan\u0000'), ...input.secret]),
  );
  const lines = [
    'cleanroom-export-plan/1',
    input.appVersion,
    input.recipeSha256,
    secretDigest,
    ...input.planned.map((p) =>
      [p.file.fileId, p.file.row.fileSize, p.entryPath, p.patient.pseudonym].join('\u0000'),
    ),
  ];
  return sha256Hex(new TextEncoder().encode(lines.join('\n')));
}

/** An export a closed tab (or a stop) left with finished volumes. */
export interface ResumableExport {
  id: string;
  planHash: string;
  packageName: string;
  files: number;
  volumesDone: string[];
  output?: FileSystemDirectoryHandle;
  outputName?: string;
  checkpoint: ExportCheckpoint;
  updatedAt: number;
}

/**
 * Records a new export. Older unfinished jobs are dropped: only the latest export can be resumed,
 * and their checkpoints (de-identified values, crosswalk) are not kept longer than needed.
 */
export async function startExportJob(
  db: CleanroomDb,
  init: {
    planHash: string;
    packageName: string;
    files: number;
    output?: FileSystemDirectoryHandle;
    outputName?: string;
    /** Resuming this job: keep it (and its checkpoint) instead of starting another. */
    resumeId?: string;
  },
): Promise<string> {
  const now = Date.now();
  if (init.resumeId !== undefined) {
    await db.exportJobs.update(init.resumeId, { state: 'running', updatedAt: now });
    return init.resumeId;
  }
  const stale = await db.exportJobs.filter((j) => j.state !== 'done').primaryKeys();
  await db.exportJobs.bulkDelete(stale);
  const row: ExportJobRow = {
    id: crypto.randomUUID(),
    state: 'running',
    planHash: init.planHash,
    volumesDone: [],
    startedAt: now,
    updatedAt: now,
    detail: {
      packageName: init.packageName,
      files: init.files,
      ...(init.output ? { output: init.output } : {}),
      ...(init.outputName ? { outputName: init.outputName } : {}),
    },
  };
  try {
    await db.exportJobs.put(row);
  } catch (error) {
    // A folder handle that cannot be stored (a wrapped or foreign object): Resume asks for the folder.
    if (!(error instanceof Error && error.name === 'DataCloneError')) throw error;
    delete row.detail!.output;
    await db.exportJobs.put(row);
  }
  return row.id;
}

/** Saves the state after a finished volume (the export awaits it before the next volume). */
export async function saveExportCheckpoint(
  db: CleanroomDb,
  id: string,
  checkpoint: ExportCheckpoint,
): Promise<void> {
  await db.transaction('rw', db.exportJobs, async () => {
    const job = await db.exportJobs.get(id);
    if (!job?.detail) return;
    await db.exportJobs.put({
      ...job,
      volumesDone: checkpoint.volumes.map((v) => v.name),
      updatedAt: Date.now(),
      detail: { ...job.detail, checkpoint },
    });
  });
}

/** Ends a job. A finished one drops its checkpoint; a stopped one keeps it for Resume. */
export async function endExportJob(
  db: CleanroomDb,
  id: string,
  state: 'done' | 'failed' | 'cancelled',
): Promise<void> {
  await db.transaction('rw', db.exportJobs, async () => {
    const job = await db.exportJobs.get(id);
    if (!job) return;
    const detail =
      job.detail && state === 'done' ? { ...job.detail, checkpoint: undefined } : job.detail;
    await db.exportJobs.put({ ...job, state, updatedAt: Date.now(), detail });
  });
}

/** The latest unfinished export with at least one finished volume, if any. */
export async function findResumableExport(db: CleanroomDb): Promise<ResumableExport | undefined> {
  const jobs = await db.exportJobs.filter((j) => j.state !== 'done').toArray();
  const job = jobs.sort((a, b) => b.updatedAt - a.updatedAt)[0];
  const checkpoint = job?.detail?.checkpoint as ExportCheckpoint | undefined;
  if (!job?.detail || !checkpoint || checkpoint.volumes.length === 0) return undefined;
  return {
    id: job.id,
    planHash: job.planHash,
    packageName: job.detail.packageName,
    files: job.detail.files,
    volumesDone: job.volumesDone,
    ...(job.detail.output ? { output: job.detail.output } : {}),
    ...(job.detail.outputName ? { outputName: job.detail.outputName } : {}),
    checkpoint,
    updatedAt: job.updatedAt,
  };
}

/** Forgets an unfinished export (the user chose to start again). */
export async function discardExportJob(db: CleanroomDb, id: string): Promise<void> {
  await db.exportJobs.delete(id);
}

/** The package extras' digests, kept so that a checkpoint holds only those of finished files. */
export interface CheckpointedExtras {
  /** Pass every written file's digest through here (it forwards to the extras). */
  onFileDigest(path: string, digest: FileDigest): void;
  /** The extras' state as of `checkpoint`: report rows and image digests of its files only. */
  at(checkpoint: ExportCheckpoint): PackageExtrasState;
}

/**
 * A checkpoint is saved once a volume is written, when the next volume's first files have already
 * reached the extras: keep only the report rows and digests of the finished files, or a resumed
 * export counts those files twice. One row per digest, in the order written. The app's Export
 * screen and `cleanroom export --resume` save the same state.
 */
export function checkpointExtras(
  extras: PackageExtras,
  restored: PackageExtrasState | undefined,
): CheckpointedExtras {
  const restoredRows = restored?.rows.length ?? 0;
  const digested: string[] = [];
  return {
    onFileDigest(path, digest) {
      digested.push(path);
      extras.onFileDigest(path, digest);
    },
    at(checkpoint) {
      const done = new Set(checkpoint.files.map((f) => f.path));
      const state = extras.state();
      return {
        rows: state.rows.slice(0, restoredRows + digested.filter((p) => done.has(p)).length),
        images: state.images.filter((image) => done.has(image.path)),
      };
    },
  };
}
