// The export's pixel step on the command line: the same pixel scan the Pixels screen runs (worker
// threads instead of Web Workers), then every box found is redacted. No person approves on the
// command line, so BurnedInAnnotation stays YES and the report says the boxes were not reviewed.
// Nobody can resolve the check after redaction either: an image whose filled boxes still leave
// text readable (or whose check could not run) is left out of the package, never written.
import { readFileWithRoom } from '../platform/node/read-file-with-room';
import { transferListOf } from '../../workers/file-source';
import { parseCtpScript } from '../core/pixels/templates';
import type { Recipe } from '../core/profile/recipe';
import type { DeidCall } from '../pipeline/deid-run';
import { readRedactionPlan, type RedactionPlan } from '../pipeline/pixel-redactions';
import {
  identifiersByPatient,
  phiContextFor,
  pixelRulesOf,
  postCheckIsCurrent,
  postCheckRowOf,
  startPixelScan,
  type PixelRules,
  type PixelScanFile,
  type PixelScanSummary,
} from '../pipeline/pixel-scan';
import type { PlannedFile } from '../pipeline/plan';
import type { CleanroomDb } from '../store/db';
import type { FileId, PixelFindingRow, PixelPostCheck } from '../store/types';
import type { Pool } from '../../workers/pool';
import type { PixelsWorkerApi } from '../../workers/pixels-api';
import type { ProgressReporter } from './progress';
import { pixelsPool, type ScannedFolder } from './session';

/** Why an image was left out of the package by the check after redaction. */
export const TEXT_LEFT_CODE = 'pixels-text-left';
export const CHECK_FAILED_CODE = 'pixels-check-failed';
export const UNREADABLE_CODE = 'pixels-unreadable';
/**
 * The app asks a person to look at an image it could not read before it is exported; with no one
 * to look, the command line leaves it out rather than write pixels nobody has checked.
 */
function unreadableReason(why: string | undefined): string {
  const because = why ? ` (${why.replace(/\.$/, '')})` : '';
  return `the image could not be read to look for burned-in text${because}, so it was left out of the package; open it in the app (Pixels step), where a person can look at it`;
}
export const TEXT_LEFT_REASON =
  'text can still be read after the boxes found were blacked out, so the image was left out of the package; open it in the app (Pixels step) to add boxes over the rest';
const CHECK_FAILED_REASON =
  'the check after blacking out could not run, so the image was left out of the package';

/** A redacted image that is not written: its file, a code and a reason in plain words (no value). */
export interface LeftOutImage {
  fileId: string;
  code: typeof TEXT_LEFT_CODE | typeof CHECK_FAILED_CODE | typeof UNREADABLE_CODE;
  reason: string;
}

export interface PixelStep {
  /** The boxes to fill per file; the images left out are not in it. */
  redactions: RedactionPlan;
  summary: PixelScanSummary | undefined;
  /** Redacted images the check after redaction did not clear, in file order. */
  leftOut: LeftOutImage[];
  /**
   * `deid` for every file but the left-out images, which come back as failures with their code
   * and reason (the export then lists them with the files that failed and exits 1) and never
   * reach a worker.
   */
  withholdLeftOut(deid: DeidCall): DeidCall;
}

export interface PixelStepOptions {
  /** A pixels pool to use instead of starting worker threads (tests); the caller ends it. */
  pool?: Pool<PixelsWorkerApi>;
}

export async function runPixelStep(
  scanned: ScannedFolder,
  planned: readonly PlannedFile[],
  recipe: Recipe,
  workers: number,
  progress: ProgressReporter,
  options: PixelStepOptions = {},
): Promise<PixelStep> {
  if (recipe.pixels?.mode === 'off') return pixelStepOf(new Map(), undefined, []);
  const wanted = new Set(planned.map((p) => p.file.fileId));
  const files: PixelScanFile[] = scanned.instances
    .filter((row) => wanted.has(row.fileId))
    .map((row) => ({
      fileId: row.fileId,
      row,
      read: () => readFileWithRoom(scanned.absolutePath(row.fileId)),
    }));
  const templates = recipe.pixels?.templates
    ? parseCtpScript(recipe.pixels.templates).templates
    : [];
  const rules = pixelRulesOf(recipe, templates);
  const pool = options.pool ?? pixelsPool(workers);
  try {
    const summary = await startPixelScan({
      db: scanned.db,
      files,
      pool,
      rules,
      onProgress: (p) => progress.update({ step: 'pixels', done: p.done, total: p.total }),
    }).done;
    const plan = await readRedactionPlan(scanned.db, [...wanted]);
    const unreadable = (await scanned.db.pixelFindings.bulkGet([...wanted] as FileId[]))
      .filter((row) => row?.status === 'failed')
      .map((row): LeftOutImage => ({
        fileId: row!.fileId,
        code: UNREADABLE_CODE,
        reason: unreadableReason(row!.error),
      }));
    const leftOut = [
      ...unreadable,
      ...(await checkAfterRedaction(scanned.db, files, plan, pool, rules, progress)),
    ];
    const gone = new Set(leftOut.map((l) => l.fileId));
    return pixelStepOf(
      new Map([...plan].filter(([fileId]) => !gone.has(fileId))),
      summary,
      leftOut,
    );
  } finally {
    if (!options.pool) pool.terminate();
  }
}

function pixelStepOf(
  redactions: RedactionPlan,
  summary: PixelScanSummary | undefined,
  leftOut: LeftOutImage[],
): PixelStep {
  const byId = new Map(leftOut.map((l) => [l.fileId, l]));
  return {
    redactions,
    summary,
    leftOut,
    withholdLeftOut: (deid) => (job) => {
      const out = byId.get(job.fileId);
      if (!out) return deid(job);
      return Promise.resolve({ fileId: job.fileId, ok: false, code: out.code, reason: out.reason });
    },
  };
}

/**
 * The post-redaction check for every image the plan redacts: the scan's own check when it was made
 * for the boxes as they are (the worker fills them with the export's redactPixels and reads the
 * result with OCR), else a new check in the pool. 'text-left' nobody accepted, or a check that
 * could not run, leaves the image out. The new check is stored on the finding, as the app does.
 */
export async function checkAfterRedaction(
  db: CleanroomDb,
  files: readonly PixelScanFile[],
  plan: RedactionPlan,
  pool: Pool<PixelsWorkerApi>,
  rules: PixelRules,
  progress: ProgressReporter,
): Promise<LeftOutImage[]> {
  const targets = files
    .filter((f) => plan.has(f.fileId))
    .sort((a, b) => (a.fileId < b.fileId ? -1 : a.fileId > b.fileId ? 1 : 0));
  if (targets.length === 0) return [];
  const identifiers = identifiersByPatient(files);
  const rows = await db.pixelFindings.bulkGet(targets.map((t) => t.fileId as FileId));
  const out: LeftOutImage[] = [];
  let next = 0;
  let done = 0;
  await Promise.all(
    Array.from({ length: Math.max(1, pool.size) }, async () => {
      while (next < targets.length) {
        const i = next++;
        const file = targets[i];
        const row = rows[i];
        if (!row) continue;
        const check = postCheckIsCurrent(row)
          ? row.postCheck!
          : await checkAgain(db, file, row, pool, rules, identifiers);
        const left = leftOutBy(check);
        if (left) out.push({ fileId: file.fileId, ...left });
        progress.update({ step: 'pixel check', done: ++done, total: targets.length });
      }
    }),
  );
  return out.sort((a, b) => (a.fileId < b.fileId ? -1 : a.fileId > b.fileId ? 1 : 0));
}

async function checkAgain(
  db: CleanroomDb,
  file: PixelScanFile,
  row: PixelFindingRow,
  pool: Pool<PixelsWorkerApi>,
  rules: PixelRules,
  identifiers: Map<string, string[]>,
): Promise<PixelPostCheck> {
  const source = await file.read();
  const result = await pool.call(
    'checkRedaction',
    [
      {
        fileId: file.fileId,
        source,
        boxes: row.boxes.map(({ x, y, w, h, frame }) =>
          frame === undefined ? { x, y, w, h } : { x, y, w, h, frame },
        ),
        context: phiContextFor(rules, file.row, identifiers.get(file.row.patientKey) ?? []),
      },
    ],
    transferListOf(source),
  );
  const check = postCheckRowOf(result, row.boxes);
  await db.pixelFindings.put({ ...row, postCheck: check, updatedAt: Date.now() });
  return check;
}

/** The rule: text left that nobody accepted, or a check that could not run, keeps the image out. */
export function leftOutBy(check: PixelPostCheck): Omit<LeftOutImage, 'fileId'> | undefined {
  if (check.state === 'text-left' && check.acceptedAt === undefined)
    return { code: TEXT_LEFT_CODE, reason: TEXT_LEFT_REASON };
  // 'not-run' also says "no box to black out" / "no box inside the image": nothing to check there.
  if (check.state === 'not-run' && check.why?.startsWith('the check could not run'))
    return { code: CHECK_FAILED_CODE, reason: CHECK_FAILED_REASON };
  return undefined;
}
