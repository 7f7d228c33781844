// The package's own documents (manifest.json, recipe.json, ...): which names they are, and reading them.
import type { PackageSource } from './source';
import type { RedactedBox } from './types';

/** Files the export writes at the package root besides the DICOM entries; never listed in the manifest. */
export const PACKAGE_DOCUMENTS: readonly string[] = [
  'manifest.json',
  'manifest.csv',
  'recipe.json',
  'values.csv',
];

export function isPackageDocument(name: string): boolean {
  return PACKAGE_DOCUMENTS.includes(name);
}

/** The DICOMDIR of a file-set (PS3.10): a directory of the package, not an instance to check. */
export const DICOMDIR_NAME = 'DICOMDIR';

/** What verification needs of manifest.json: the files and the recipe record. */
export interface ManifestView {
  files: { path: string; size: number; sha256: string }[];
  /** Other files the manifest lists with a checksum (DICOMDIR, labels.csv, the redaction log). */
  documents: { path: string; size: number; sha256: string }[];
  recipe?: { sha256?: string; content?: unknown };
  /** The manifest's redaction log: per entry path, the boxes that were blacked out. */
  redactions: Map<string, RedactedBox[]>;
}

export interface PackageDocuments {
  /** Entries listed (unreadable parts included), for progress. */
  entryCount: number;
  manifest?: ManifestView;
  /** Present when manifest.json exists but cannot be used: what is wrong with it. */
  manifestProblem?: string;
  manifestPresent: boolean;
  /** recipe.json parsed as JSON (not yet validated). */
  recipeJson?: unknown;
  recipeProblem?: string;
  recipePresent: boolean;
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Checks the parts of a manifest verification relies on; returns a problem in plain words, if any. */
export function viewManifest(json: unknown): ManifestView | string {
  if (!isRecord(json)) return 'manifest.json is not a JSON object.';
  if (json.format !== 'cleanroom-package-manifest') {
    return 'manifest.json is not a Cleanroom package manifest (its "format" is not "cleanroom-package-manifest").';
  }
  if (json.formatVersion !== 1)
    return 'manifest.json has a formatVersion this version cannot read.';
  if (!Array.isArray(json.files)) return 'manifest.json has no "files" list.';
  const files: ManifestView['files'] = [];
  for (const [i, f] of json.files.entries()) {
    const ok =
      isRecord(f) &&
      typeof f.path === 'string' &&
      f.path !== '' &&
      typeof f.size === 'number' &&
      Number.isSafeInteger(f.size) &&
      f.size >= 0 &&
      typeof f.sha256 === 'string' &&
      /^[0-9a-f]{64}$/.test(f.sha256);
    if (!ok) return `manifest.json: file ${i + 1} lacks a path, a size or a 64-digit SHA-256.`;
    files.push({ path: f.path as string, size: f.size as number, sha256: f.sha256 as string });
  }
  const documents: ManifestView['documents'] = [];
  if (json.documents !== undefined) {
    if (!Array.isArray(json.documents))
      return 'manifest.json has a "documents" that is not a list.';
    for (const [i, d] of json.documents.entries()) {
      const ok =
        isRecord(d) &&
        typeof d.path === 'string' &&
        d.path !== '' &&
        typeof d.size === 'number' &&
        Number.isSafeInteger(d.size) &&
        typeof d.sha256 === 'string' &&
        /^[0-9a-f]{64}$/.test(d.sha256);
      if (!ok)
        return `manifest.json: document ${i + 1} lacks a path, a size or a 64-digit SHA-256.`;
      documents.push({
        path: d.path as string,
        size: d.size as number,
        sha256: d.sha256 as string,
      });
    }
  }
  const view: ManifestView = { files, documents, redactions: redactionsOf(json.redactionLog) };
  if (isRecord(json.recipe)) {
    view.recipe = {
      ...(typeof json.recipe.sha256 === 'string' ? { sha256: json.recipe.sha256 } : {}),
      ...(json.recipe.content !== undefined ? { content: json.recipe.content } : {}),
    };
  }
  return view;
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * The redaction log's boxes per path. Cleanroom writes `{ path, boxes: [{ x, y, w, h, frame? }] }`;
 * `{ path, frame?, regions: [{ x, y, width, height }] }` is read too. Anything else is ignored:
 * a log that cannot be read only means OCR findings are not excused by it.
 */
export function redactionsOf(log: unknown): Map<string, RedactedBox[]> {
  const out = new Map<string, RedactedBox[]>();
  if (!Array.isArray(log)) return out;
  for (const entry of log) {
    if (!isRecord(entry) || typeof entry.path !== 'string') continue;
    const boxes = out.get(entry.path) ?? [];
    const frameOf = (v: unknown): { frame?: number } =>
      Number.isInteger(v) && (v as number) >= 0 ? { frame: v as number } : {};
    for (const b of Array.isArray(entry.boxes) ? entry.boxes : [])
      if (isRecord(b) && isCount(b.x) && isCount(b.y) && isCount(b.w) && isCount(b.h))
        boxes.push({ x: b.x, y: b.y, w: b.w, h: b.h, ...frameOf(b.frame) });
    for (const b of Array.isArray(entry.regions) ? entry.regions : [])
      if (isRecord(b) && isCount(b.x) && isCount(b.y) && isCount(b.width) && isCount(b.height))
        boxes.push({ x: b.x, y: b.y, w: b.width, h: b.height, ...frameOf(entry.frame) });
    if (boxes.length > 0) out.set(entry.path, boxes);
  }
  return out;
}

async function readJson(
  read: () => Promise<Uint8Array>,
): Promise<{ json: unknown } | { problem: string }> {
  let bytes: Uint8Array;
  try {
    bytes = await read();
  } catch {
    return { problem: 'cannot be read from the package' };
  }
  try {
    return { json: JSON.parse(utf8.decode(bytes)) as unknown };
  } catch {
    return { problem: 'is not valid JSON' };
  }
}

/** First pass: lists the package and reads only manifest.json and recipe.json (the first of each). */
export async function readPackageDocuments(source: PackageSource): Promise<PackageDocuments> {
  const docs: PackageDocuments = { entryCount: 0, manifestPresent: false, recipePresent: false };
  for await (const entry of source.entries()) {
    docs.entryCount++;
    if (entry.unreadable !== undefined) continue;
    if (entry.name === 'manifest.json' && !docs.manifestPresent) {
      docs.manifestPresent = true;
      const read = await readJson(() => entry.read());
      if ('problem' in read) docs.manifestProblem = `manifest.json ${read.problem}.`;
      else {
        const view = viewManifest(read.json);
        if (typeof view === 'string') docs.manifestProblem = view;
        else docs.manifest = view;
      }
    } else if (entry.name === 'recipe.json' && !docs.recipePresent) {
      docs.recipePresent = true;
      const read = await readJson(() => entry.read());
      if ('problem' in read) docs.recipeProblem = `recipe.json ${read.problem}.`;
      else docs.recipeJson = read.json;
    }
  }
  return docs;
}
