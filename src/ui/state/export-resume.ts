// What the Export screen says about a stopped export it can resume (read from the store only).
import { findResumableExport } from '../../pipeline/export-job';
import { db } from './db';

export interface ResumeOffer {
  packageName: string;
  volumesDone: number;
  files: number;
  /** Files already in the finished volumes. */
  filesDone: number;
  outputName?: string;
}

/** For liveQuery: the latest stopped export with finished volumes, or undefined. */
export async function readResumeOffer(): Promise<ResumeOffer | undefined> {
  const job = await findResumableExport(db);
  if (!job) return undefined;
  return {
    packageName: job.packageName,
    volumesDone: job.volumesDone.length,
    files: job.files,
    filesDone: job.checkpoint.nextPlanned,
    ...(job.outputName ? { outputName: job.outputName } : {}),
  };
}
