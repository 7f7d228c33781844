// The pixels-ocr check: OCR of the queued images (every frame, identical frames once) and findings that name a box, never the text read.
import { readDicomFile } from '../dicom/read';
import { decodeFrame, describePixels, toGray8, tooSmallForText } from '../pixels/decode';
import {
  defaultSafeTokens,
  findBurnedInText,
  REASONS,
  type OcrEngine,
  type PhiContext,
} from '../pixels/detect';
import type { CodecSet, FoundBox, Gray8 } from '../pixels/types';
import { CheckRecorder, CHECK_TITLES } from './recorder';
import type { PackageSource } from './source';
import type { CheckResult, OcrCandidate, RedactedBox, VerifyReport } from './types';
import { replaceCheck } from './verdict';
import { frameHash } from '../pixels/frame-hash';

/** One place in an image where OCR read text that is a finding. */
export interface OcrBoxFinding {
  x: number;
  y: number;
  w: number;
  h: number;
  /** 1-based frame numbers the box was found in (every frame of a single-frame image: [1]). */
  frames: number[];
  /** A fixed reason of core/pixels/detect (REASONS): what the text looks like, never the text. */
  reason: string;
}

/** What OCR found in one image, or why it could not read it. */
export interface OcrImageResult {
  path: string;
  frames: number;
  /** Distinct frames OCR read. */
  framesRead: number;
  findings: OcrBoxFinding[];
  /** Why the pixels could not be read (names tags and syntaxes, never values). */
  problem?: string;
}

/** What reading one image needs: the wasm codecs and an OCR engine (the platform supplies both). */
export interface OcrDeps {
  codecs: CodecSet;
  ocr: OcrEngine;
}

/** Reads one queued image: `ocrImage` in this thread, or the same in a worker. */
export type OcrReader = (data: Uint8Array, candidate: OcrCandidate) => Promise<OcrImageResult>;

export interface OcrRunOptions {
  /** Images read at once (one per OCR worker); default 1. */
  concurrency?: number;
  /** Findings listed (default 500); counts cover all. */
  maxFindingsPerCheck?: number;
  /** After each image: images done, images queued. */
  onProgress?(done: number, total: number): void;
}

/** Distinct frames handed to OCR at once: bounds memory on long cine loops. */
const FRAMES_PER_READ = 8;

/** Share of a box that must lie inside logged redactions for its text to be excused. */
const COVERED = 0.5;

/** What the text of a finding looks like, in words (the report carries no PHI, only this). */
export function lookOf(reason: string): string {
  // A box merged from several words of one line carries their reasons joined with '; '.
  const shapes = new Set<string>();
  let other = false;
  for (const part of reason.split('; ')) {
    switch (part) {
      case REASONS.allText:
        return 'text in a high-risk image that is not a safe word (orientation, unit, device label)';
      case REASONS.datePattern:
      case REASONS.date:
        shapes.add('a date');
        break;
      case REASONS.idPattern:
      case REASONS.id:
        shapes.add('an ID number');
        break;
      case REASONS.namePattern:
      case REASONS.name:
        shapes.add("a person's name");
        break;
      default:
        other = true;
    }
  }
  if (shapes.size === 0 || other) return 'text that may identify someone';
  const order = ['a date', "a person's name", 'an ID number'];
  return `text that looks like ${order.filter((o) => shapes.has(o)).join(' or ')}`;
}

/** High-risk images: every word but safe tokens; the rest: generic date, ID and name shapes. */
export function ocrContext(candidate: OcrCandidate): PhiContext {
  return {
    mode: candidate.kind === 'sample' ? 'identifiers' : 'all-text',
    identifiers: [],
    safeTokens: defaultSafeTokens(candidate.modality),
  };
}

function overlap(a: RedactedBox, b: { x: number; y: number; w: number; h: number }): number {
  const w = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

/** True when at least half of the box lies in boxes the redaction log lists for that frame. */
export function insideRedaction(
  box: { x: number; y: number; w: number; h: number },
  frameIndex: number,
  redacted: readonly RedactedBox[],
): boolean {
  const area = box.w * box.h;
  if (area <= 0) return true;
  let covered = 0;
  for (const r of redacted)
    if (r.frame === undefined || r.frame === frameIndex) covered += overlap(r, box);
  return covered >= COVERED * area;
}

function problemOf(error: unknown): string {
  const e = error as { name?: unknown; message?: unknown };
  // DicomReadError and PixelError messages name tags and syntaxes by contract; others only by class.
  if ((e?.name === 'PixelError' || e?.name === 'DicomReadError') && typeof e.message === 'string')
    return e.message;
  return `the pixels could not be decoded (${typeof e?.name === 'string' ? e.name : 'error'})`;
}

/**
 * OCR of one image: decodes every frame, reads each distinct frame once (whatever the prefilter
 * says: the queue is already the images to read), classifies words by the candidate's kind and
 * drops boxes inside logged redactions. A file whose pixels cannot be decoded comes back with a
 * `problem`; an OCR engine that fails throws (the whole check cannot run then).
 */
export async function ocrImage(
  data: Uint8Array,
  candidate: OcrCandidate,
  deps: OcrDeps,
): Promise<OcrImageResult> {
  const result: OcrImageResult = { path: candidate.path, frames: 0, framesRead: 0, findings: [] };
  let dataset;
  let desc;
  try {
    const file = await readDicomFile(data);
    dataset = file.dataset;
    // Too few pixels for any legible character: nothing to read, nothing that could be found.
    if (tooSmallForText(dataset)) return result;
    desc = describePixels(file.dataset, file.syntax.transferSyntaxUID);
  } catch (error) {
    return { ...result, problem: problemOf(error) };
  }
  result.frames = desc.numberOfFrames;
  const context = ocrContext(candidate);
  const redacted = candidate.redacted ?? [];
  const byBox = new Map<string, OcrBoxFinding>();
  const seen = new Set<number>();
  let chunk: { gray: Gray8; indexes: number[] }[] = [];
  const groups = new Map<number, number[]>();

  const record = (box: FoundBox, frameIndex: number): void => {
    if (insideRedaction(box, frameIndex, redacted)) return;
    const key = `${box.x},${box.y},${box.w},${box.h},${box.reason}`;
    const found = byBox.get(key) ?? {
      x: box.x,
      y: box.y,
      w: box.w,
      h: box.h,
      frames: [],
      reason: box.reason,
    };
    found.frames.push(frameIndex + 1);
    byBox.set(key, found);
  };
  const readChunk = async (): Promise<void> => {
    if (chunk.length === 0) return;
    const batch = chunk;
    chunk = [];
    const found = await findBurnedInText(
      batch.map((c) => c.gray),
      context,
      deps.ocr,
      { alwaysRead: true, safetyNet: false },
    );
    result.framesRead += found.framesRead;
    for (const box of found.boxes) {
      const members = box.frame === undefined ? batch : [batch[box.frame]];
      for (const member of members) for (const i of member?.indexes ?? []) record(box, i);
    }
  };

  for (let index = 0; index < desc.numberOfFrames; index++) {
    let gray: Gray8;
    try {
      gray = toGray8(await decodeFrame(dataset, desc, index, deps.codecs), desc);
    } catch (error) {
      return { ...result, findings: [], problem: problemOf(error) };
    }
    const hash = frameHash(gray.data);
    if (seen.has(hash)) {
      groups.get(hash)!.push(index);
      continue;
    }
    seen.add(hash);
    const indexes = [index];
    groups.set(hash, indexes);
    chunk.push({ gray, indexes });
    if (chunk.length >= FRAMES_PER_READ) await readChunk();
  }
  await readChunk();
  // Frames identical to a read frame (added to its group after it was read) get its boxes too.
  result.findings = [...byBox.values()].map((f) => ({ ...f, frames: [...new Set(f.frames)] }));
  for (const f of result.findings) {
    for (const indexes of groups.values())
      if (f.frames.includes(indexes[0] + 1)) for (const i of indexes) f.frames.push(i + 1);
    f.frames = [...new Set(f.frames)].sort((a, b) => a - b);
  }
  return result;
}

function whereWords(f: OcrBoxFinding, frames: number): string {
  const box = `box x ${f.x}, y ${f.y}, ${f.w}×${f.h} px`;
  if (frames <= 1) return box;
  if (f.frames.length === frames) return `every frame (${frames}), ${box}`;
  if (f.frames.length <= 3)
    return `frame${f.frames.length === 1 ? '' : 's'} ${f.frames.join(', ')} of ${frames}, ${box}`;
  return `${f.frames.length} of ${frames} frames (${f.frames[0]} to ${f.frames[f.frames.length - 1]}), ${box}`;
}

/** The check before OCR ran: 'not-run', naming how many images wait. */
export function ocrNotRunYet(queued: number): CheckResult {
  return {
    id: 'pixels-ocr',
    title: CHECK_TITLES['pixels-ocr'],
    status: 'not-run',
    counts: { checked: 0, failed: 0, warnings: 0 },
    findings: [],
    omittedFindings: 0,
    note: `OCR has not run on this report yet: ${queued} image${queued === 1 ? '' : 's'} queued (every high-risk image and a random sample of the rest).`,
  };
}

/** The report with OCR marked as turned off ('not-run', saying so): never a silent skip. */
export function skipOcrCheck(
  report: VerifyReport,
  why = 'OCR was turned off for this check, so burned-in text was not looked for.',
): VerifyReport {
  const queued = report.ocr.entries.length;
  const result: CheckResult = {
    ...ocrNotRunYet(queued),
    note: `${why} ${queued} image${queued === 1 ? '' : 's'} would have been read.`,
  };
  return { ...replaceCheck(report, result), ocr: { state: 'off', entries: report.ocr.entries } };
}

function engineProblem(error: unknown): string {
  const e = error as { name?: unknown; message?: unknown };
  // OcrStartError says which assets and CSP the engine needs; other errors only by class.
  if (e?.name === 'OcrStartError' && typeof e.message === 'string') return e.message;
  return `the text reader (OCR) failed (${typeof e?.name === 'string' ? e.name : 'error'})`;
}

/** The pixels-ocr result from every image's result, in queue order. */
export function ocrCheckResult(
  queue: readonly OcrCandidate[],
  results: ReadonlyMap<string, OcrImageResult>,
  maxFindings: number,
): CheckResult {
  const r = new CheckRecorder('pixels-ocr', maxFindings);
  let framesRead = 0;
  let highRisk = 0;
  for (const c of queue) {
    const got = results.get(c.path);
    if (c.kind !== 'sample') highRisk++;
    if (got === undefined) {
      r.add(c.path, 'Queued for OCR but not found in the package.', 'warn');
      continue;
    }
    if (got.problem !== undefined) {
      r.add(c.path, `OCR could not read this image: ${got.problem}`, 'warn');
      continue;
    }
    r.checked++;
    framesRead += got.framesRead;
    for (const f of got.findings)
      r.add(c.path, `${whereWords(f, got.frames)}: ${lookOf(f.reason)}.`);
  }
  const sample = queue.length - highRisk;
  r.remark(
    queue.length === 0
      ? 'No image in the package, so there was nothing to read.'
      : `${r.checked} of ${queue.length} image${queue.length === 1 ? '' : 's'} read (${highRisk} high-risk, every word but safe ones counts; ${sample} random sample of the rest, dates, IDs and names count), ${framesRead} distinct frame${framesRead === 1 ? '' : 's'}. Text inside boxes the redaction log lists is not a finding. Findings say what the text looks like, never what it says.`,
  );
  return r.result();
}

/**
 * Runs OCR over `report.ocr.entries`: reads each queued entry of `source` (first occurrence of its
 * path, one at a time, at most `concurrency` images in OCR at once) with `read`, then puts the
 * 'pixels-ocr' result into the report. When the OCR engine itself fails, the check is 'not-run'
 * and its note says why. Never throws for a bad image.
 */
export async function runOcrCheck(
  source: PackageSource,
  report: VerifyReport,
  read: OcrReader,
  options: OcrRunOptions = {},
): Promise<VerifyReport> {
  const queue = report.ocr.entries;
  const wanted = new Map(queue.map((c) => [c.path, c]));
  const results = new Map<string, OcrImageResult>();
  const limit = Math.max(1, options.concurrency ?? 1);
  const running = new Set<Promise<void>>();
  let failure: unknown;
  let done = 0;
  options.onProgress?.(0, queue.length);
  const settle = (path: string, result: OcrImageResult): void => {
    results.set(path, result);
    options.onProgress?.(++done, queue.length);
  };

  for await (const entry of source.entries()) {
    if (failure !== undefined) break;
    const candidate = wanted.get(entry.name);
    if (candidate === undefined || results.has(entry.name) || entry.unreadable !== undefined)
      continue;
    wanted.delete(entry.name);
    let data: Uint8Array;
    try {
      data = await entry.read();
    } catch {
      settle(entry.name, {
        path: entry.name,
        frames: 0,
        framesRead: 0,
        findings: [],
        problem: 'the entry could not be read from the package',
      });
      continue;
    }
    const task = read(data, candidate).then(
      (result) => settle(entry.name, result),
      (error: unknown) => {
        failure ??= error;
      },
    );
    const tracked: Promise<void> = task.finally(() => running.delete(tracked));
    running.add(tracked);
    if (running.size >= limit) await Promise.race(running);
  }
  await Promise.all(running);

  if (failure !== undefined) {
    const why = engineProblem(failure);
    return {
      ...replaceCheck(report, {
        ...ocrNotRunYet(queue.length),
        note: `OCR could not run: ${why}. Burned-in text was not looked for.`,
      }),
      ocr: { state: 'not run yet', entries: queue },
    };
  }
  const entries: OcrCandidate[] = queue.map((c) => {
    const got = results.get(c.path);
    if (got === undefined || got.problem !== undefined) return { ...c, state: 'could not read' };
    return { ...c, state: 'read', frames: got.frames, framesRead: got.framesRead };
  });
  const result = ocrCheckResult(queue, results, options.maxFindingsPerCheck ?? 500);
  return { ...replaceCheck(report, result), ocr: { state: 'done', entries } };
}
