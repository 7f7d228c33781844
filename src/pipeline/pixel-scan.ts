// The pixel scan: which selected images to read for burned-in text, reading them in the worker pool
// (every frame decoded, identical frames once, prefilter, OCR, device templates, the post-redaction
// check), and one PixelFindingRow per image in the store. Resumes without reading finished images
// again. The gate: what still stands between the pixel step and the export.
//
// No DOM: the page (Web Worker pool, folder handles) and the CLI (worker_threads, node:fs) share it.
import {
  ENCAPSULATED_PDF_SOP_CLASS,
  isDoseReport,
  isHighRisk,
  isStructuredReport,
} from '../core/inventory/high-risk';
import type { InstanceRow } from '../core/inventory';
import type { Recipe } from '../core/profile/recipe';
import type { PhiContext } from '../core/pixels/detect/types';
import { defaultSafeTokens } from '../core/pixels/detect/safe-tokens';
import type { CleanroomDb } from '../store/db';
import { bulkPutInBatches } from '../store/batch';
import type {
  FileId,
  PixelBoxRow,
  PixelFindingRow,
  PixelPostCheck,
  TemplateRow,
} from '../store/types';
import { isCancellation, type Pool } from '../../workers/pool';
import { transferListOf, type FileSource } from '../../workers/file-source';
import { MAX_WHOLE_FILE_BYTES, tooLargeReason } from './deid-run';
import type {
  PixelScanJob,
  PixelScanResult,
  PixelsWorkerApi,
  PostCheck,
  ScanBox,
  TemplateInput,
} from '../../workers/pixels-api';
import { IDENTIFIER_PATHS, rowIdentifierTokens } from './identifiers';

export type PixelMode = NonNullable<Recipe['pixels']>['mode'];

/** One selected instance the scan may read. */
export interface PixelScanFile {
  fileId: FileId;
  row: InstanceRow & { seriesKey: string; patientKey: string };
  read(): Promise<FileSource>;
}

/** The recipe's pixel rules as the scan applies them. */
export interface PixelRules {
  mode: PixelMode;
  /**
   * Words never redacted, per Modality, '*' for every modality (the recipe's `pixels.safeTokens`).
   * Undefined: core/pixels/detect's defaults for the image's modality.
   */
  safeTokens?: Record<string, string[]>;
  /** Templates matched by header conditions (CTP scripts: the recipe's and imported ones). */
  templates: TemplateInput[];
}

export function pixelRulesOf(recipe: Recipe, templates: TemplateInput[] = []): PixelRules {
  const pixels = recipe.pixels ?? { mode: 'redact-all-text-in-high-risk' as const };
  return {
    mode: pixels.mode,
    safeTokens: pixels.safeTokens,
    templates,
  };
}

/** True for instances with pixels a person could look at (not SR, not encapsulated PDF, not empty). */
export function hasImagePixels(row: InstanceRow): boolean {
  return (
    row.hasPixelData &&
    !isStructuredReport(row) &&
    row.SOPClassUID !== ENCAPSULATED_PDF_SOP_CLASS &&
    (row.Rows ?? 1) > 0 &&
    (row.Columns ?? 1) > 0
  );
}

/** Images first by risk (dose sheets, then the other high-risk classes), then by file id. */
export function orderForScan<T extends { fileId: string; row: InstanceRow }>(
  files: readonly T[],
): T[] {
  const rank = (row: InstanceRow): number => (isDoseReport(row) ? 0 : isHighRisk(row) ? 1 : 2);
  return [...files].sort(
    (a, b) => rank(a.row) - rank(b.row) || (a.fileId < b.fileId ? -1 : a.fileId > b.fileId ? 1 : 0),
  );
}

/** The images of a selection the pixel step reads: those with pixels, high-risk first. */
export function pixelTargets<T extends { fileId: string; row: InstanceRow }>(
  files: readonly T[],
): T[] {
  return orderForScan(files.filter((f) => hasImagePixels(f.row)));
}

function rowValues(row: InstanceRow, keyword: string): string[] {
  const value = (row as unknown as Record<string, unknown>)[keyword] ?? row.extra?.[keyword];
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.flatMap((v) => String(v).split('\\')).filter((v) => v.trim() !== '');
}

/**
 * Every original identifying value of each patient over all their selected files, and its tokens:
 * the values OCR words are matched against in 'identifiers' mode (and always, for the reason).
 */
export function identifiersByPatient(
  files: readonly { row: InstanceRow & { patientKey: string } }[],
): Map<string, string[]> {
  const byPatient = new Map<string, Set<string>>();
  for (const { row } of files) {
    const set = byPatient.get(row.patientKey) ?? new Set<string>();
    byPatient.set(row.patientKey, set);
    for (const keyword of IDENTIFIER_PATHS) for (const v of rowValues(row, keyword)) set.add(v);
    for (const t of rowIdentifierTokens(row)) set.add(t.token);
  }
  return new Map([...byPatient].map(([k, v]) => [k, [...v].sort()]));
}

/**
 * What counts as PHI in one image. 'redact-all-text-in-high-risk': every word but safe tokens in
 * high-risk classes, and the patient's identifiers elsewhere (a CT slice keeps its "L" and "5 mm");
 * 'redact-phi-only': the identifiers everywhere.
 */
export function phiContextFor(
  rules: PixelRules,
  row: InstanceRow,
  identifiers: readonly string[],
): PhiContext {
  const modality = row.Modality?.toUpperCase() ?? '';
  const listed = rules.safeTokens;
  const safeTokens = listed
    ? [...new Set([...(listed['*'] ?? []), ...(listed[modality] ?? [])])]
    : defaultSafeTokens(modality);
  const allText = rules.mode === 'redact-all-text-in-high-risk' && isHighRisk(row);
  return { mode: allText ? 'all-text' : 'identifiers', identifiers: [...identifiers], safeTokens };
}

/** Adds the boxes of stored templates of the row's signature that the row does not hold yet. */
export function applyTemplateRows(
  row: PixelFindingRow,
  templates: readonly Pick<TemplateRow, 'id' | 'signature' | 'name' | 'boxes'>[],
): PixelFindingRow {
  if (row.status === 'failed' || row.status === 'pending') return row;
  const held = new Set(row.boxes.map((b) => b.templateId).filter((id) => id !== undefined));
  const added: PixelBoxRow[] = [];
  for (const t of templates) {
    if (t.signature !== row.signature || held.has(t.id) || !t.boxes?.length) continue;
    for (const b of t.boxes)
      added.push({
        x: b.x,
        y: b.y,
        w: b.w,
        h: b.h,
        source: 'template',
        reason: `device template${t.name ? ` “${t.name}”` : ''}`,
        templateId: t.id,
      });
  }
  if (added.length === 0) return row;
  const { approvedAt: _at, approvedBy: _by, ...rest } = row;
  return { ...rest, boxes: [...row.boxes, ...added], status: 'found', updatedAt: Date.now() };
}

/** A found box as stored: geometry, frame, source, reason, confidence, template; nothing else. */
function boxRowOf(b: ScanBox): PixelBoxRow {
  const box: PixelBoxRow = { x: b.x, y: b.y, w: b.w, h: b.h, source: b.source, reason: b.reason };
  if (b.frame !== undefined) box.frame = b.frame;
  if (b.confidence !== undefined) box.confidence = b.confidence;
  if (b.templateId !== undefined) box.templateId = b.templateId;
  return box;
}

/** The rectangles a check filled, order-free: equal keys mean the same redaction. */
export function boxesKeyOf(boxes: readonly PixelBoxRow[]): string {
  return boxes
    .map((b) => `${b.x},${b.y},${b.w},${b.h},${b.frame ?? '*'}`)
    .sort()
    .join(';');
}

/** A worker's post-check as stored, tied to the boxes it filled. */
export function postCheckRowOf(
  check: PostCheck,
  boxes: readonly PixelBoxRow[],
  now = Date.now(),
): PixelPostCheck {
  const row: PixelPostCheck = { state: check.state, checkedAt: now, boxesKey: boxesKeyOf(boxes) };
  if (check.state === 'text-left') row.boxes = check.boxes.map(boxRowOf);
  if (check.state === 'not-run') row.why = check.why;
  return row;
}

/** True when the stored check was made for the row's boxes as they are now. */
export function postCheckIsCurrent(row: PixelFindingRow): boolean {
  return row.postCheck !== undefined && row.postCheck.boxesKey === boxesKeyOf(row.boxes);
}

/**
 * The post-check rule of the gate: text still readable after redaction blocks the image until a
 * check of changed boxes comes back clean (which replaces this one) or a reviewer accepts it.
 */
export function textLeftBlocks(row: PixelFindingRow): boolean {
  return row.postCheck?.state === 'text-left' && row.postCheck.acceptedAt === undefined;
}

export function findingRowOf(
  file: PixelScanFile,
  result: PixelScanResult,
  now = Date.now(),
): PixelFindingRow {
  const highRisk = isHighRisk(file.row);
  const base = {
    fileId: file.fileId,
    seriesKey: file.row.seriesKey,
    highRisk,
    modality: file.row.Modality,
    updatedAt: now,
  };
  if (!result.ok)
    return {
      ...base,
      signature: result.signature ?? '',
      status: 'failed',
      why: highRisk ? 'high-risk' : 'prefilter',
      boxes: [],
      frames: file.row.NumberOfFrames ?? 1,
      rows: file.row.Rows,
      columns: file.row.Columns,
      error: result.reason,
    };
  const boxes: PixelBoxRow[] = result.boxes.map(boxRowOf);
  return {
    ...base,
    postCheck: postCheckRowOf(result.postCheck, boxes, now),
    signature: result.signature,
    status: boxes.length > 0 ? 'found' : 'clean',
    why: highRisk ? 'high-risk' : result.read === 'ocr' ? 'prefilter' : 'cleared',
    boxes,
    frames: result.frames,
    framesRead: result.framesRead,
    rows: result.rows,
    columns: result.columns,
  };
}

export type PixelScanPhase = 'reading' | 'done' | 'cancelled' | 'failed';

export interface PixelScanProgress {
  phase: PixelScanPhase;
  /** Images finished in this run plus those finished before (skipped). */
  done: number;
  total: number;
  /** Finished by an earlier run: not read again. */
  skipped: number;
  found: number;
  failed: number;
  /** Images read per second in this run. */
  filesPerSecond: number;
  etaSeconds?: number;
}

export interface PixelScanSummary {
  state: 'done' | 'cancelled';
  total: number;
  read: number;
  skipped: number;
  found: number;
  clean: number;
  failed: number;
  seconds: number;
}

export interface PixelScanOptions {
  db: CleanroomDb;
  /** The selection (any order; images without pixels are left out). */
  files: readonly PixelScanFile[];
  pool: Pool<PixelsWorkerApi>;
  rules: PixelRules;
  onProgress?: (progress: PixelScanProgress) => void;
  signal?: AbortSignal;
  /** Images in flight at once (default twice the pool). */
  window?: number;
  /** Results are written in batches of this many (default 16) or every `flushMs` (default 500). */
  batchSize?: number;
  flushMs?: number;
}

export interface PixelScanHandle {
  done: Promise<PixelScanSummary>;
  /** Stops reading, terminates the pool's workers, keeps every finished image. */
  cancel(): void;
}

const PROGRESS_INTERVAL_MS = 100;
export const WORKER_FAILED_REASON =
  'the worker reading this image stopped (out of memory or a crash)';

export function startPixelScan(options: PixelScanOptions): PixelScanHandle {
  const controller = new AbortController();
  const cancel = (): void => {
    if (controller.signal.aborted) return;
    controller.abort();
    options.pool.cancel('pixel scan cancelled');
  };
  options.signal?.addEventListener('abort', cancel, { once: true });
  if (options.signal?.aborted) cancel();
  const done = runPixelScan(options, controller.signal).finally(() =>
    options.signal?.removeEventListener('abort', cancel),
  );
  return { done, cancel };
}

async function runPixelScan(
  options: PixelScanOptions,
  signal: AbortSignal,
): Promise<PixelScanSummary> {
  const { db, pool, rules } = options;
  const started = Date.now();
  const targets = pixelTargets(options.files);
  const counts = { read: 0, skipped: 0, found: 0, clean: 0, failed: 0 };
  let lastEmit = -Infinity;
  const emit = (phase: PixelScanPhase, force = false): void => {
    if (!options.onProgress) return;
    const now = Date.now();
    if (!force && now - lastEmit < PROGRESS_INTERVAL_MS) return;
    lastEmit = now;
    const seconds = Math.max(0.001, (now - started) / 1000);
    const filesPerSecond = counts.read / seconds;
    const done = counts.read + counts.skipped;
    const progress: PixelScanProgress = {
      phase,
      done,
      total: targets.length,
      skipped: counts.skipped,
      found: counts.found,
      failed: counts.failed,
      filesPerSecond,
    };
    if (counts.read > 0) progress.etaSeconds = (targets.length - done) / filesPerSecond;
    options.onProgress(progress);
  };

  if (rules.mode === 'off') {
    emit('done', true);
    return { state: 'done', total: 0, ...counts, seconds: 0 };
  }

  const finished = new Set<string>();
  const known = await db.pixelFindings.bulkGet(targets.map((t) => t.fileId));
  known.forEach((row, i) => {
    if (row && row.status !== 'pending') finished.add(targets[i].fileId);
  });
  const todo = targets.filter((t) => !finished.has(t.fileId));
  counts.skipped = targets.length - todo.length;
  emit('reading', true);

  const identifiers = identifiersByPatient(options.files);
  const templateRows = await db.templates.toArray();
  let pending: PixelFindingRow[] = [];
  let lastFlush = Date.now();
  const batchSize = options.batchSize ?? 16;
  const flushMs = options.flushMs ?? 500;
  let writes: Promise<void> = Promise.resolve();
  let failure: unknown;

  const flush = (): Promise<void> => {
    if (pending.length === 0) return writes;
    const rows = pending;
    pending = [];
    lastFlush = Date.now();
    writes = writes.then(async () => {
      // Templates a reviewer made while this run was reading apply to its results too.
      const latest = await db.templates.toArray();
      await bulkPutInBatches(
        db.pixelFindings,
        rows.map((r) => applyTemplateRows(r, latest)),
      );
    });
    writes.catch((error: unknown) => {
      failure ??= error;
    });
    return writes;
  };

  const record = (row: PixelFindingRow): void => {
    const withTemplates = applyTemplateRows(row, templateRows);
    counts.read++;
    if (withTemplates.status === 'found') counts.found++;
    else if (withTemplates.status === 'failed') counts.failed++;
    else counts.clean++;
    pending.push(withTemplates);
    if (pending.length >= batchSize || Date.now() - lastFlush >= flushMs) void flush();
    emit('reading');
  };

  const scanOne = async (file: PixelScanFile): Promise<void> => {
    if (file.row.fileSize > MAX_WHOLE_FILE_BYTES) {
      record(
        findingRowOf(file, {
          fileId: file.fileId,
          ok: false,
          code: 'too-large',
          reason: tooLargeReason(file.row.fileSize),
        }),
      );
      return;
    }
    let source: FileSource;
    try {
      source = await file.read();
    } catch (error) {
      if (signal.aborted) return;
      const name = error instanceof Error ? error.name : 'error';
      record(
        findingRowOf(file, {
          fileId: file.fileId,
          ok: false,
          code: 'unreadable',
          reason: `the file could not be read (${name})`,
        }),
      );
      return;
    }
    if (signal.aborted) return;
    const job: PixelScanJob = {
      fileId: file.fileId,
      source,
      highRisk: isHighRisk(file.row),
      context: phiContextFor(rules, file.row, identifiers.get(file.row.patientKey) ?? []),
      templates: rules.templates,
    };
    let result: PixelScanResult;
    try {
      result = await pool.call('scanImage', [job], transferListOf(source));
    } catch (error) {
      if (isCancellation(error) || signal.aborted) return;
      result = {
        fileId: file.fileId,
        ok: false,
        code: 'worker-failed',
        reason: WORKER_FAILED_REASON,
      };
    }
    if (signal.aborted) return;
    record(findingRowOf(file, result));
  };

  try {
    const inFlight = new Set<Promise<void>>();
    const window = Math.max(1, options.window ?? pool.size * 2);
    for (const file of todo) {
      if (signal.aborted || failure) break;
      while (inFlight.size >= window) await Promise.race(inFlight);
      const task: Promise<void> = scanOne(file).finally(() => inFlight.delete(task));
      inFlight.add(task);
    }
    await Promise.allSettled([...inFlight]);
    await flush();
    if (failure) throw failure;
    const state = signal.aborted ? 'cancelled' : 'done';
    emit(state, true);
    return {
      state,
      total: targets.length,
      ...counts,
      seconds: (Date.now() - started) / 1000,
    };
  } catch (error) {
    emit('failed', true);
    throw error;
  }
}

/** What stands between the pixel step and the export. */
export interface PixelGate {
  /** True when the export may go: nothing left to read, nothing found waits for a reviewer. */
  open: boolean;
  mode: PixelMode;
  /** Images of the selection with pixels. */
  images: number;
  /** Not read yet. */
  toRead: number;
  /**
   * Boxes found (or the image failed) and no reviewer approved it yet, or text still readable
   * after redaction that no reviewer resolved.
   */
  toReview: number;
  /** Images whose post-redaction check left PHI text readable, not resolved yet (in `toReview` too). */
  textLeft: number;
  found: number;
  failed: number;
  approved: number;
}

/** The gate over a selection's images and their findings (pure: the page and the CLI both use it). */
export function pixelGateOf(
  targets: readonly { fileId: string }[],
  findings: readonly (PixelFindingRow | undefined)[],
  mode: PixelMode,
): PixelGate {
  const byId = new Map(findings.filter((f) => f !== undefined).map((f) => [f.fileId, f]));
  let toRead = 0;
  let toReview = 0;
  let found = 0;
  let failed = 0;
  let approved = 0;
  let textLeft = 0;
  for (const t of targets) {
    const f = byId.get(t.fileId as FileId);
    if (!f || f.status === 'pending') {
      toRead++;
      continue;
    }
    if (f.status === 'found') found++;
    if (f.status === 'failed') failed++;
    if (f.approvedAt !== undefined) approved++;
    // An approval does not open the gate over text the check could still read.
    if (textLeftBlocks(f)) {
      textLeft++;
      toReview++;
    } else if (f.approvedAt === undefined && (f.status === 'found' || f.status === 'failed'))
      toReview++;
  }
  const off = mode === 'off';
  return {
    open: off || (toRead === 0 && toReview === 0),
    mode,
    images: targets.length,
    toRead: off ? 0 : toRead,
    toReview: off ? 0 : toReview,
    textLeft: off ? 0 : textLeft,
    found,
    failed,
    approved,
  };
}

/** The gate read from the store for a selection (the export's check before it writes). */
export async function readPixelGate(
  db: CleanroomDb,
  files: readonly { fileId: FileId; row: InstanceRow }[],
  mode: PixelMode,
): Promise<PixelGate> {
  const targets = pixelTargets(files);
  const findings = await db.pixelFindings.bulkGet(targets.map((t) => t.fileId));
  return pixelGateOf(targets, findings, mode);
}
