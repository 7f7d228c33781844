// Row types of the Cleanroom IndexedDB: what each table holds, shared by page, workers and the CLI.
import type { InstanceRow, SeriesKey, StudyKey } from '../core/inventory';

/** Id of a file: the root's id, '/', then the path relative to the root ('/' separators). */
export type FileId = string & { readonly __brand: 'FileId' };

export function fileIdOf(rootId: string, path: string): FileId {
  return `${rootId}/${path}` as FileId;
}

/** The root id is everything before the first '/': root ids never contain one. */
export function rootIdOf(fileId: FileId): string {
  const slash = fileId.indexOf('/');
  return slash < 0 ? fileId : fileId.slice(0, slash);
}

export type RootKind = 'picked' | 'sample' | 'files';

/** A folder (or a set of dropped files) the user gave us. */
export interface RootRow {
  id: string;
  name: string;
  kind: RootKind;
  /** Kept so a reload can ask for permission again instead of making the user pick the folder again. */
  handle?: FileSystemDirectoryHandle;
  addedAt: number;
}

export type FileState = 'pending' | 'indexed' | 'rejected';

export interface FileRow {
  id: FileId;
  rootId: string;
  path: string;
  size: number;
  lastModified: number;
  state: FileState;
  /** Why the file was rejected, in words a person understands (never a value from the file). */
  reason?: string;
  /** Machine-readable rejection class: 'not-dicom', 'dicomdir', 'truncated', 'no-permission', ... */
  code?: string;
}

export type Decision = 'include' | 'exclude';

/** One indexed DICOM instance: the core inventory row plus where it came from and what the user decided. */
export type InstanceRecord = InstanceRow & {
  fileId: FileId;
  rootId: string;
  /** core/inventory `seriesKeyOf`, `studyKeyOf` and core/deid `patientKey` of the row, stored to be indexed. */
  seriesKey: SeriesKey;
  studyKey: StudyKey;
  patientKey: string;
  /** QA flags from core `qaFlags` (recomputed after each scan), sorted. */
  flags: string[];
  /** A manual decision overrides filters; absent means "as the filters say". */
  decision?: Decision;
};

/** Counts and flags shared by the three aggregate levels. */
export interface AggregateCounts {
  instanceCount: number;
  /** Sum of file sizes. */
  bytes: number;
  /** Union of the flags of the instances below, sorted. */
  flags: string[];
  /** Instances the user excluded by hand. */
  excludedCount: number;
  /** Instances core `isHighRisk` marks (secondary capture, screen save, dose report, burned-in text, ...). */
  highRiskCount: number;
}

/** One QA flag of a series as the inventory shows it (core QaFlag without its list of files). */
export interface SeriesQa {
  code: string;
  scope: 'instance' | 'series' | 'study';
  explanation: string;
  /** How many instances of the series it concerns. */
  count: number;
}

export interface SeriesRow extends AggregateCounts {
  seriesKey: SeriesKey;
  qa: SeriesQa[];
  studyKey: StudyKey;
  patientKey: string;
  SeriesInstanceUID?: string;
  Modality?: string;
  SeriesDescription?: string;
  SeriesNumber?: number;
}

export interface StudyRow extends AggregateCounts {
  studyKey: StudyKey;
  patientKey: string;
  StudyInstanceUID?: string;
  StudyDate?: string;
  StudyDescription?: string;
  seriesCount: number;
  /** Modalities of the study's series, unique and sorted. */
  modalities: string[];
}

export interface PatientRow extends AggregateCounts {
  patientKey: string;
  PatientID?: string;
  IssuerOfPatientID?: string;
  studyCount: number;
  seriesCount: number;
}

export type RunKind = 'scan' | 'dry-run' | 'export' | 'verify';
export type RunState = 'running' | 'paused' | 'done' | 'failed' | 'cancelled';

export interface RunCounts {
  total: number;
  done: number;
  skipped: number;
  rejected: number;
}

export interface RunRow {
  id: string;
  kind: RunKind;
  state: RunState;
  /** The root a scan ran over, when the run concerns one. */
  rootId?: string;
  counts: RunCounts;
  bytes: number;
  startedAt: number;
  updatedAt: number;
  /** Why a run failed (no values from files). */
  error?: string;
}

/** The project secret as stored: raw key bytes, or wrapped by a key the user holds. */
export type StoredSecret =
  | { kind: 'raw'; bytes: Uint8Array }
  | { kind: 'wrapped'; wrapped: Uint8Array; salt: Uint8Array; iv: Uint8Array; iterations: number };

/** Every setting and its type. The secret lives in IndexedDB only: never in a package, log or URL. */
export interface Settings {
  /** The current recipe as JSON text (validated by core/profile/recipe on read by its user). */
  recipe: string;
  screen: string;
  reviewerName: string;
  projectSecret: StoredSecret;
  /** The last dry run's ranked value dump as JSON text (de-identified values only). */
  reviewDump: string;
  /** The reviewer's decisions on values as JSON text. */
  reviewDecisions: string;
  /** The site's labels CSV (keyed by original identifiers: it stays here; the package gets a relabelled copy). */
  labelsCsv: string;
  /** The site's name for the dataset report and readme (no patient data). */
  siteName: string;
  /** The Inventory table's columns (DICOM keyword paths), in order. */
  inventoryColumns: string[];
}

export interface SettingRow<K extends keyof Settings = keyof Settings> {
  key: K;
  value: Settings[K];
}

export interface PseudonymRow {
  /** core/deid `patientKey` (issuer + PatientID): PHI, which is why this table never leaves IndexedDB. */
  patientKey: string;
  pseudonym: string;
  /** Sequence number of the pseudonym, for "Patient 0001"-style names. */
  n: number;
}

export interface UidMapRow {
  old: string;
  new: string;
}

/** Where an image stands in the burned-in text review. */
export type PixelStatus =
  /** Not read yet. */
  | 'pending'
  /** Read (or cleared by the prefilter) and no PHI text found, or a reviewer removed every box. */
  | 'clean'
  /** Boxes to redact were found or drawn; waits for a reviewer. */
  | 'found'
  /** Could not be decoded or read; the reason says why (no values). */
  | 'failed';

/** One rectangle to redact, as stored (core/pixels FoundBox plus the template it came from). */
export interface PixelBoxRow {
  x: number;
  y: number;
  w: number;
  h: number;
  /** Undefined: every frame of the image. */
  frame?: number;
  /** 'ocr', 'template', 'reviewer' or 'prefilter'. */
  source: string;
  /** Why the box is there ('matches PatientName', 'template Sonority 9'); never the text read. */
  reason: string;
  confidence?: number;
  /** The TemplateRow id when `source` is 'template'. */
  templateId?: string;
}

/** One image's burned-in text findings and the reviewer's decision. */
export interface PixelFindingRow {
  fileId: FileId;
  seriesKey: string;
  /** Device signature (manufacturer, model, size, modality ...) that groups images for templates. */
  signature: string;
  status: PixelStatus;
  /** Why the image was read: 'high-risk' class, 'prefilter' fired, or 'cleared' by the prefilter. */
  why: 'high-risk' | 'prefilter' | 'cleared';
  /** Boxes to redact. */
  boxes: PixelBoxRow[];
  frames: number;
  /** Frames OCR read after identical frames were set aside (0 when the prefilter cleared them all). */
  framesRead?: number;
  /** core/inventory isHighRisk of the instance: these come first on the Pixels screen. */
  highRisk?: boolean;
  /** Header facts for the grid (no PHI): Modality, Rows, Columns. */
  modality?: string;
  rows?: number;
  columns?: number;
  /** True once a reviewer added, moved, resized or deleted a box: a rescan keeps their boxes. */
  edited?: boolean;
  /** Set when a reviewer approved the image (with or without boxes); cleared by any box change. */
  approvedBy?: string;
  approvedAt?: number;
  /**
   * The post-redaction check: the boxes filled as the export fills them and read again by OCR.
   * 'text-left' blocks the export until a new check of changed boxes comes back clean or a
   * reviewer accepts what is left (`acceptedBy`); an edit of the boxes leaves it in place.
   */
  postCheck?: PixelPostCheck;
  error?: string;
  updatedAt: number;
}

/** What the post-redaction check found for an image's boxes (pipeline/pixel-scan `boxesKeyOf`). */
export interface PixelPostCheck {
  /** 'clean': no PHI word readable after the fill; 'text-left': some still are; 'not-run': no box, or the check failed. */
  state: 'clean' | 'text-left' | 'not-run';
  /** Where PHI words are still readable (reason 'text still readable after redaction', never the text). */
  boxes?: PixelBoxRow[];
  checkedAt: number;
  /** The boxes that were filled for this check: when the row's boxes differ, the check is out of date. */
  boxesKey?: string;
  /** Why the check did not run, in plain words (no values). */
  why?: string;
  /** A reviewer who looked and said the remaining text is not identifying (for 'text-left'). */
  acceptedBy?: string;
  acceptedAt?: number;
}

/** A device template as stored (core/pixels templates). */
export interface TemplateRow {
  id: string;
  signature: string;
  /** Shown to the reviewer and written as the CTP script comment. */
  name?: string;
  /** 'reviewer': made from an image here; 'ctp': imported from a DicomPixelAnonymizer script. */
  origin?: 'reviewer' | 'ctp';
  /** The template itself, as core/pixels/templates defines it (conditions and regions, for CTP export). */
  template: unknown;
  /** Its rectangles, applied here to every image whose `signature` is the template's. */
  boxes?: { x: number; y: number; w: number; h: number }[];
  createdAt: number;
}

/** An export in progress or finished: enough to resume it after the tab closed. */
export interface ExportJobRow {
  id: string;
  state: 'running' | 'done' | 'failed' | 'cancelled';
  /** Hash of the plan (recipe, selection, secret id) so a resume never mixes two plans. */
  planHash: string;
  /** Names of volumes written completely. */
  volumesDone: string[];
  startedAt: number;
  updatedAt: number;
  /** Anything else the export needs to resume (owned by pipeline/export-job). */
  detail?: ExportJobDetail;
}

/** What a closed tab leaves for the Export screen's Resume (pipeline/export-job reads and writes it). */
export interface ExportJobDetail {
  /** The package's name (the recipe's package.name), to say which export can be resumed. */
  packageName: string;
  /** Planned files and volumes finished, for the Resume offer ("3 of about 7 volumes"). */
  files: number;
  /** The output folder the volumes went into (kept so Resume asks only for permission again). */
  output?: FileSystemDirectoryHandle;
  /** The output folder's name, to name it on screen when the handle cannot be kept. */
  outputName?: string;
  /**
   * State at the end of the last finished volume (pipeline/export ExportCheckpoint: plain data).
   * Holds de-identified values and the crosswalk, like the rest of this store; never leaves it.
   */
  checkpoint?: unknown;
}
