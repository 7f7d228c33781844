// The package manifest (JSON and CSV): what is in a package, how it was made, and the hash of the recipe that made it.

import { toCsv as formatCsv } from '../csv/csv';
import { sha256Hex } from './sha256';

/**
 * De-identification Method codes, CID 7050 (DICOM PS3.16), scheme DCM: what the options of a run
 * are called in DeidentificationMethodCodeSequence (0012,0064).
 */
export const CID_7050: Readonly<Record<string, string>> = {
  '113100': 'Basic Application Confidentiality Profile',
  '113101': 'Clean Pixel Data Option',
  '113102': 'Clean Recognizable Visual Features Option',
  '113103': 'Clean Graphics Option',
  '113104': 'Clean Structured Content Option',
  '113105': 'Clean Descriptors Option',
  '113106': 'Retain Longitudinal Temporal Information Full Dates Option',
  '113107': 'Retain Longitudinal Temporal Information Modified Dates Option',
  '113108': 'Retain Patient Characteristics Option',
  '113109': 'Retain Device Identity Option',
  '113110': 'Retain UIDs Option',
  '113111': 'Retain Safe Private Option',
  '113112': 'Retain Institution Identity Option',
};

export interface ManifestFile {
  /** Entry path inside the package (from buildEntryPath). */
  path: string;
  size: number;
  /** Lower-case hex SHA-256 of the entry bytes. */
  sha256: string;
  SOPClassUID?: string;
  Modality?: string;
  /** Pseudonymous patient, study and series identifiers (never original values). */
  patient?: string;
  study?: string;
  series?: string;
  /** Volume file the entry is in, when the package is split. */
  volume?: string;
}

/** A de-identification option as the recipe names it, with its CID 7050 code value. */
export interface ManifestOption {
  code: string;
  /** Filled from CID 7050 when omitted. */
  meaning?: string;
}

/** What the review gate decided; passed through as given (the review step owns its shape). */
export interface ReviewGateSummary {
  passed?: boolean;
  sampledInstances?: number;
  flaggedInstances?: number;
  resolvedInstances?: number;
  excludedInstances?: number;
  decidedAt?: string;
  notes?: string;
  [key: string]: unknown;
}

/** One redaction applied to pixel data; passed through as given. */
export interface RedactionLogEntry {
  path?: string;
  frame?: number;
  regions?: { x: number; y: number; width: number; height: number }[];
  source?: 'ocr' | 'rule' | 'manual' | string;
  [key: string]: unknown;
}

/** The unique-value dump of the run; passed through as given. */
export interface UniqueValueDump {
  [key: string]: unknown;
}

export interface ManifestVolume {
  name: string;
  size?: number;
  sha256?: string;
  entryCount?: number;
}

/**
 * A file of the package that is not a DICOM instance (DICOMDIR, labels.csv, the redaction log, a
 * README or LICENSE), with its checksum. The manifest, recipe.json and values.csv are not listed.
 */
export interface ManifestDocument {
  path: string;
  size: number;
  sha256: string;
}

export interface ManifestInput {
  appVersion: string;
  /** ISO 8601 text chosen by the caller (from the recipe or the run), never the clock, so reruns match. */
  createdAt: string;
  /** The recipe object as used by the run. */
  recipe: unknown;
  /** When the recipe owner already hashed it (e.g. its file bytes); else the canonical JSON is hashed. */
  recipeSha256?: string;
  options?: ManifestOption[];
  reviewGate?: ReviewGateSummary;
  redactionLog?: RedactionLogEntry[];
  uniqueValues?: UniqueValueDump;
  volumes?: ManifestVolume[];
  documents?: ManifestDocument[];
  files: ManifestFile[];
}

export interface ManifestTotals {
  files: number;
  bytes: number;
  patients: number;
  studies: number;
  series: number;
  /** Files and bytes per Modality, keys sorted. */
  byModality: Record<string, { files: number; bytes: number }>;
}

export interface PackageManifest {
  format: 'cleanroom-package-manifest';
  formatVersion: 1;
  appVersion: string;
  createdAt: string;
  recipe: { sha256: string; content: unknown };
  /** DeidentificationMethodCodeSequence in words: coding scheme DCM, CID 7050. */
  deidentificationMethod: {
    codeValue: string;
    codingSchemeDesignator: 'DCM';
    codeMeaning: string;
  }[];
  totals: ManifestTotals;
  reviewGate?: ReviewGateSummary;
  redactionLog?: RedactionLogEntry[];
  uniqueValues?: UniqueValueDump;
  volumes?: ManifestVolume[];
  documents?: ManifestDocument[];
  files: ManifestFile[];
}

export class ManifestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ManifestError';
  }
}

/** JSON with object keys sorted at every level and no whitespace: the same value gives the same text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

/** SHA-256 of the recipe's canonical JSON (UTF-8). */
export function hashRecipe(recipe: unknown): Promise<string> {
  return sha256Hex(new TextEncoder().encode(canonicalJson(recipe)));
}

function computeTotals(files: readonly ManifestFile[]): ManifestTotals {
  const patients = new Set<string>();
  const studies = new Set<string>();
  const series = new Set<string>();
  const byModality: Record<string, { files: number; bytes: number }> = {};
  let bytes = 0;
  for (const f of files) {
    bytes += f.size;
    if (f.patient !== undefined) patients.add(f.patient);
    // Study and series ids are scoped by their parents so equal short ids in two patients count twice.
    if (f.study !== undefined) studies.add(`${f.patient}\u0000${f.study}`);
    if (f.series !== undefined) series.add(`${f.patient}\u0000${f.study}\u0000${f.series}`);
    const m = f.Modality ?? '';
    const row = (byModality[m] ??= { files: 0, bytes: 0 });
    row.files++;
    row.bytes += f.size;
  }
  const sorted: Record<string, { files: number; bytes: number }> = {};
  for (const k of Object.keys(byModality).sort()) sorted[k] = byModality[k];
  return {
    files: files.length,
    bytes,
    patients: patients.size,
    studies: studies.size,
    series: series.size,
    byModality: sorted,
  };
}

/** Builds the manifest; throws ManifestError on an unknown CID 7050 code or a duplicate path. */
export async function buildManifest(input: ManifestInput): Promise<PackageManifest> {
  const paths = new Set<string>();
  for (const f of input.files) {
    if (paths.has(f.path))
      throw new ManifestError(`A path appears twice in the manifest (file ${paths.size}).`);
    paths.add(f.path);
    if (!/^[0-9a-f]{64}$/.test(f.sha256))
      throw new ManifestError(`File ${paths.size - 1}: sha256 must be 64 lower-case hex digits.`);
  }
  const deidentificationMethod = (input.options ?? []).map((o) => {
    const meaning = CID_7050[o.code];
    if (meaning === undefined) throw new ManifestError(`Option code ${o.code} is not in CID 7050.`);
    return {
      codeValue: o.code,
      codingSchemeDesignator: 'DCM' as const,
      codeMeaning: o.meaning ?? meaning,
    };
  });
  const manifest: PackageManifest = {
    format: 'cleanroom-package-manifest',
    formatVersion: 1,
    appVersion: input.appVersion,
    createdAt: input.createdAt,
    recipe: {
      sha256: input.recipeSha256 ?? (await hashRecipe(input.recipe)),
      content: sortKeys(input.recipe),
    },
    deidentificationMethod,
    totals: computeTotals(input.files),
    files: input.files.map((f) => ({ ...f })),
  };
  // Opaque parts are key-sorted so the text does not depend on how the caller built the objects.
  if (input.reviewGate) manifest.reviewGate = sortKeys(input.reviewGate) as ReviewGateSummary;
  if (input.redactionLog)
    manifest.redactionLog = sortKeys(input.redactionLog) as RedactionLogEntry[];
  if (input.uniqueValues) manifest.uniqueValues = sortKeys(input.uniqueValues) as UniqueValueDump;
  if (input.volumes) manifest.volumes = input.volumes.map((v) => ({ ...v }));
  if (input.documents) {
    for (const d of input.documents) {
      if (paths.has(d.path))
        throw new ManifestError('A document has the path of a file listed in the manifest.');
      paths.add(d.path);
    }
    manifest.documents = input.documents.map((d) => ({
      path: d.path,
      size: d.size,
      sha256: d.sha256,
    }));
  }
  return manifest;
}

/** The manifest as pretty JSON text (2 spaces, trailing newline); same manifest, same text. */
export function formatManifestJson(manifest: PackageManifest): string {
  const { files, ...rest } = manifest;
  const ordered = {
    ...rest,
    files: files.map((f) => ({
      path: f.path,
      size: f.size,
      sha256: f.sha256,
      SOPClassUID: f.SOPClassUID,
      Modality: f.Modality,
      patient: f.patient,
      study: f.study,
      series: f.series,
      volume: f.volume,
    })),
  };
  return JSON.stringify(ordered, null, 2) + '\n';
}

export const MANIFEST_CSV_COLUMNS = [
  'path',
  'size',
  'sha256',
  'SOPClassUID',
  'Modality',
  'patient',
  'study',
  'series',
  'volume',
] as const;

/** One row per file, in package order (RFC 4180 quoting, LF line ends, from core/csv); totals and provenance are in the JSON. */
export function formatManifestCsv(manifest: PackageManifest): string {
  return formatCsv(
    MANIFEST_CSV_COLUMNS,
    manifest.files.map((f) => MANIFEST_CSV_COLUMNS.map((c) => f[c])),
  );
}
