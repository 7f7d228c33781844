// Repository of runs: one row per scan, dry run, export or verify, updated as the run goes.
import type { CleanroomDb } from './db';
import type { RunCounts, RunKind, RunRow, RunState } from './types';

export async function createRun(
  db: CleanroomDb,
  kind: RunKind,
  init: { id?: string; rootId?: string } = {},
): Promise<RunRow> {
  const now = Date.now();
  const run: RunRow = {
    id: init.id ?? crypto.randomUUID(),
    kind,
    state: 'running',
    counts: { total: 0, done: 0, skipped: 0, rejected: 0 },
    bytes: 0,
    startedAt: now,
    updatedAt: now,
  };
  if (init.rootId !== undefined) run.rootId = init.rootId;
  await db.runs.put(run);
  return run;
}

export async function updateRun(
  db: CleanroomDb,
  id: string,
  update: { counts?: RunCounts; bytes?: number; state?: RunState; error?: string },
): Promise<void> {
  await db.runs.update(id, { ...update, updatedAt: Date.now() });
}

export function getRun(db: CleanroomDb, id: string): Promise<RunRow | undefined> {
  return db.runs.get(id);
}

/** The most recently started run of a kind, e.g. to offer "resume scan" after a reload. */
export async function latestRun(db: CleanroomDb, kind: RunKind): Promise<RunRow | undefined> {
  const runs = await db.runs.where('kind').equals(kind).sortBy('startedAt');
  return runs.at(-1);
}

/**
 * At start-up no run can still be running: a 'running' row is one the closed or crashed tab left
 * behind. Marks them 'paused' (resumable) and returns how many there were.
 */
export function pauseInterruptedRuns(db: CleanroomDb): Promise<number> {
  return db.runs
    .where('state')
    .equals('running')
    .modify({ state: 'paused', updatedAt: Date.now() });
}
