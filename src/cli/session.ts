// What every command shares: the recipe, the secret, and the scan of an input folder through the
// very pipeline and store the browser uses (Dexie over an in-memory IndexedDB, worker_threads pool).
import 'fake-indexeddb/auto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { CliError } from './args';
import { defaultRecipe, recipeHash, validateRecipe, type Recipe } from '../core/profile/recipe';
import { CleanroomDb } from '../store/db';
import { addRoot } from '../store/roots';
import { startScan } from '../pipeline/scan';
import { createNodePool } from '../../workers/node-pool';
import type { ScanWorkerApi } from '../../workers/scan-api';
import type { PixelsWorkerApi } from '../../workers/pixels-api';
import type { DeidWorkerApi } from '../../workers/deid-api';
import type { Pool } from '../../workers/pool';
import type { InstanceRecord, FileRow } from '../store/types';
import { scanSource } from '../platform/node/scan-source';
import type { ProgressReporter } from './progress';
import { IDENTIFIER_PATHS } from '../pipeline/identifiers';
import { parseSecretFile } from '../pipeline/export-plan';
import { expectationsOf } from '../pipeline/selection';

export interface LoadedRecipe {
  recipe: Recipe;
  /** SHA-256 of the recipe (canonical JSON), recorded in the package. */
  sha256: string;
}

export async function loadRecipe(path: string | undefined): Promise<LoadedRecipe> {
  if (!path) {
    const recipe = defaultRecipe();
    return { recipe, sha256: await recipeHash(recipe) };
  }
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read the recipe ${path}: ${describeFsError(error)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CliError(`the recipe ${path} is not valid JSON: ${(error as Error).message}`);
  }
  const checked = validateRecipe(json);
  if (!checked.ok) {
    const lines = checked.errors.map((e) => `  ${e.path || '(top)'}: ${e.message}`).join('\n');
    throw new CliError(`the recipe ${path} has ${checked.errors.length} problem(s):\n${lines}`);
  }
  return { recipe: checked.recipe, sha256: await recipeHash(checked.recipe) };
}

/** The project secret: from a file (hex text or raw bytes, at least 16 bytes), or made new. */
export async function loadSecret(
  path: string | undefined,
): Promise<{ secret: Uint8Array; created: boolean }> {
  if (!path) return { secret: new Uint8Array(randomBytes(32)), created: true };
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (error) {
    throw new CliError(`cannot read the secret file ${path}: ${describeFsError(error)}`);
  }
  try {
    return { secret: parseSecretFile(bytes), created: false };
  } catch (error) {
    throw new CliError(`${path}: ${(error as Error).message}`);
  }
}

export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'ENOENT':
      return 'it does not exist';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOTDIR':
      return 'it is not a folder';
    case 'EISDIR':
      return 'it is a folder, not a file';
    case 'ENOSPC':
      return 'the disk is full';
    default:
      return code ?? (error instanceof Error ? error.message : String(error));
  }
}

export async function requireDirectory(path: string | undefined, what: string): Promise<string> {
  if (!path) throw new CliError(`${what} is missing`);
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    throw new CliError(`cannot open ${what} ${path}: ${describeFsError(error)}`);
  }
  if (!info.isDirectory()) throw new CliError(`${what} ${path} is not a folder`);
  return path;
}

const workerUrl = (name: string): URL => new URL(`./${name}.node-worker.mjs`, import.meta.url);

export function scanPool(size: number): Pool<ScanWorkerApi> {
  return createNodePool<ScanWorkerApi>(workerUrl('scan'), { size, idleTimeoutMs: 0 });
}

export function pixelsPool(size: number): Pool<PixelsWorkerApi> {
  return createNodePool<PixelsWorkerApi>(workerUrl('pixels'), { size, idleTimeoutMs: 0 });
}

export function deidPool(size: number): Pool<DeidWorkerApi> {
  return createNodePool<DeidWorkerApi>(workerUrl('deid'), { size, idleTimeoutMs: 0 });
}

export interface ScannedFolder {
  db: CleanroomDb;
  rootId: string;
  instances: InstanceRecord[];
  rejected: FileRow[];
  /** Absolute path of a file id. */
  absolutePath(fileId: string): string;
}

/** Scans a folder with the browser's scan pipeline into an in-memory store. */
export async function scanFolder(
  input: string,
  options: { recipe: Recipe; workers: number; progress: ProgressReporter },
): Promise<ScannedFolder> {
  const db = new CleanroomDb(`cleanroom-cli-${process.pid}-${Date.now()}`);
  await db.open();
  const root = await addRoot(db, { name: 'input', kind: 'files' });
  const rootId = root.id;
  const pool = scanPool(options.workers);
  try {
    const handle = startScan({
      db,
      rootId,
      source: scanSource(input),
      pool,
      expectations: expectationsOf(options.recipe),
      extraPaths: IDENTIFIER_PATHS,
      onProgress: (p) =>
        options.progress.update({
          step: 'scan',
          done: p.filesDone,
          total: p.filesTotal,
          bytes: p.bytesRead,
        }),
    });
    await handle.done;
  } finally {
    pool.terminate();
  }
  const instances = await db.instances.where('rootId').equals(rootId).toArray();
  const rejected = await db.files.where({ rootId, state: 'rejected' }).toArray();
  const prefix = `${rootId}/`;
  return {
    db,
    rootId,
    instances: instances.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
    rejected: rejected.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
    absolutePath: (fileId) =>
      join(input, fileId.startsWith(prefix) ? fileId.slice(prefix.length) : fileId),
  };
}
