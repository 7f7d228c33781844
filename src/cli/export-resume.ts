// The resume record `cleanroom export` keeps beside the package while it writes volumes: the app's
// export checkpoint (src/pipeline/export.ts, ExportCheckpoint) and the plan it belongs to, sealed
// with a key derived from the project secret, because it holds the crosswalk (original identifiers).
import { readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExportCheckpoint } from '../pipeline/export';

/** What the file holds once opened. */
export interface ResumeRecord {
  /** exportPlanHash of the interrupted run: the same files, recipe, secret and app version. */
  planHash: string;
  packageName: string;
  checkpoint: ExportCheckpoint;
}

/** The record cannot be used: another secret, or not a record at all. */
export class ResumeRecordError extends Error {
  override name = 'ResumeRecordError';
  constructor(
    readonly reason: 'wrong-secret' | 'unreadable',
    message: string,
  ) {
    super(message);
  }
}

const MAGIC = new TextEncoder().encode('CLEANROOM-RESUME/1\n');
const IV_BYTES = 12;

/** Where the record of package `packageName` lives in the output folder. */
export function resumeRecordPath(out: string, packageName: string): string {
  return join(out, `${packageName}.cleanroom-resume`);
}

async function recordKey(secret: Uint8Array): Promise<CryptoKey> {
  const base = await crypto.subtle.importKey(
    'raw',
    secret as Uint8Array<ArrayBuffer>,
    'HKDF',
    false,
    ['deriveKey'],
  );
  return crypto.subtle.deriveKey(
    {
      name: 'HKDF',
      hash: 'SHA-256',
      salt: new TextEncoder().encode('cleanroom-cli-export-resume'),
      info: new Uint8Array(0),
    },
    base,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

/** Seals a record: MAGIC, a random IV, then AES-GCM of its JSON under a key from the secret. */
export async function sealResumeRecord(
  record: ResumeRecord,
  secret: Uint8Array,
): Promise<Uint8Array> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const plain = new TextEncoder().encode(JSON.stringify(record));
  const sealed = new Uint8Array(
    await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, await recordKey(secret), plain),
  );
  const out = new Uint8Array(MAGIC.length + IV_BYTES + sealed.length);
  out.set(MAGIC, 0);
  out.set(iv, MAGIC.length);
  out.set(sealed, MAGIC.length + IV_BYTES);
  return out;
}

/** Opens a sealed record; a different secret is told apart from a file that is not a record. */
export async function openResumeRecord(
  bytes: Uint8Array,
  secret: Uint8Array,
): Promise<ResumeRecord> {
  const head = bytes.subarray(0, MAGIC.length);
  if (bytes.length <= MAGIC.length + IV_BYTES || !head.every((b, i) => b === MAGIC[i]))
    throw new ResumeRecordError('unreadable', 'the resume record is not one cleanroom wrote');
  const iv = bytes.slice(MAGIC.length, MAGIC.length + IV_BYTES);
  let plain: ArrayBuffer;
  try {
    plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv },
      await recordKey(secret),
      bytes.slice(MAGIC.length + IV_BYTES),
    );
  } catch {
    throw new ResumeRecordError(
      'wrong-secret',
      'the resume record was sealed with another project secret',
    );
  }
  const record = JSON.parse(new TextDecoder().decode(plain)) as ResumeRecord;
  if (typeof record.planHash !== 'string' || !Array.isArray(record.checkpoint?.volumes))
    throw new ResumeRecordError('unreadable', 'the resume record is incomplete');
  return record;
}

/** Writes the record whole (temporary name, then rename): a kill never leaves half a record. */
export async function saveResumeRecord(
  path: string,
  record: ResumeRecord,
  secret: Uint8Array,
): Promise<void> {
  await writeFile(`${path}.tmp`, await sealResumeRecord(record, secret), { mode: 0o600 });
  await rename(`${path}.tmp`, path);
}

/** The sealed record's bytes, or undefined when there is none. */
export async function readResumeRecord(path: string): Promise<Uint8Array | undefined> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

export async function removeResumeRecord(path: string): Promise<void> {
  await rm(path, { force: true });
  await rm(`${path}.tmp`, { force: true });
}

/** Volumes of `packageName` that a stopped run left half-written (`*.zip.partial`). */
export async function partialVolumes(out: string, packageName: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(out);
  } catch {
    return [];
  }
  return names.filter((n) => n.startsWith(packageName) && n.endsWith('.zip.partial')).sort();
}

/**
 * The finished volumes the checkpoint names must still be there with their sizes; returns the
 * first that is missing or changed, or undefined when all are in place.
 */
export async function changedVolume(
  out: string,
  checkpoint: ExportCheckpoint,
): Promise<string | undefined> {
  for (const volume of checkpoint.volumes) {
    const size = await stat(join(out, volume.name)).then(
      (s) => s.size,
      () => -1,
    );
    if (size !== volume.bytes) return volume.name;
  }
  return undefined;
}
