// The pixels worker's API: one image in, the boxes of burned-in text to redact out (decode every
// frame, set identical frames aside, prefilter, OCR, device templates) and the post-redaction check
// (the boxes filled as the export fills them, read again by OCR); frames rendered to RGBA for the
// Pixels screen. A thin face over core/pixels; the platform hands in codecs and OCR.
import { transfer } from 'comlink';
import { lazyCodecs, lazyOcrEngine } from './lazy-platform';
import { bytesOfSource, type FileSource } from './file-source';
import { readDicomFile } from '../src/core/dicom/read';
import { DicomReadError, type Dataset } from '../src/core/dicom/types';
import type {
  Box,
  CodecSet,
  FoundBox,
  Frame,
  Gray8,
  PixelDescription,
} from '../src/core/pixels/types';
import type { OcrEngine, PhiContext } from '../src/core/pixels/detect/types';
import {
  describePixels,
  decodeFrame,
  toGray8,
  toRgba8,
  tooSmallForText,
} from '../src/core/pixels/decode';
import { findBurnedInText } from '../src/core/pixels/detect';
import { planBoxes, redactPixels } from '../src/core/pixels/redact';
import {
  deviceSignature,
  matchTemplates,
  templateFromImage,
  type Template,
} from '../src/core/pixels/templates';
import { frameHash } from '../src/core/pixels/frame-hash';

/** What a platform supplies: wasm codecs and an OCR engine (tesseract.js), both loaded lazily. */
export interface PixelPlatform {
  loadCodecs(): Promise<CodecSet>;
  createOcrEngine(): Promise<OcrEngine>;
}

/** A template as core/pixels/templates defines it (a TemplateRow's `template`). */
export type TemplateInput = Template;

export interface PixelScanJob {
  fileId: string;
  /** The whole file: transferred (ArrayBuffer) or passed as a Blob/File handle. */
  source: FileSource;
  /** core/inventory isHighRisk: OCR reads every frame, whatever the prefilter says. */
  highRisk: boolean;
  context: PhiContext;
  templates: TemplateInput[];
}

/** A box found in an image: core FoundBox plus the template it came from. */
export interface ScanBox extends FoundBox {
  templateId?: string;
}

/** Why a box of the post-redaction check is there: never the text that was read. */
export const TEXT_LEFT_REASON = 'text still readable after redaction';

/**
 * The post-redaction check: the image with its boxes filled exactly as the export fills them, read
 * again by OCR with the same PHI rules. 'text-left': words that still classify as PHI (their boxes,
 * reason TEXT_LEFT_REASON); 'clean': none; 'not-run': no box to fill, or the check could not run
 * (`why` in plain words, naming no value).
 */
export type PostCheck =
  | { state: 'clean' }
  | { state: 'text-left'; boxes: FoundBox[] }
  | { state: 'not-run'; why: string };

export interface CheckRequest {
  fileId: string;
  source: FileSource;
  /** The boxes that will be redacted (the reviewer's, as stored). */
  boxes: Box[];
  context: PhiContext;
}

export type PixelScanResult =
  | {
      fileId: string;
      ok: true;
      signature: string;
      frames: number;
      /** Frames OCR read (identical frames once); 0 when the prefilter cleared the image. */
      framesRead: number;
      read: 'ocr' | 'cleared';
      boxes: ScanBox[];
      rows: number;
      columns: number;
      /** The post-redaction check of `boxes` ('not-run' when there is none). */
      postCheck: PostCheck;
    }
  | {
      fileId: string;
      ok: false;
      /** 'no-pixel-data', a DicomReadError code, a PixelError code, or 'pixels-failed'. */
      code: string;
      /** Plain words naming tags or syntaxes, never a value from the file. */
      reason: string;
      signature?: string;
    };

export interface RenderRequest {
  fileId: string;
  source: FileSource;
  frame: number;
  /** Window in the frame's stored values after the modality LUT; undefined: the header's or the full range. */
  window?: { center: number; width: number };
  /** Longest side of the result; larger frames are shrunk (thumbnails). Undefined: full size. */
  maxSize?: number;
}

export interface RenderedFrame {
  fileId: string;
  frame: number;
  frames: number;
  /** Size of the frame in the file (box coordinates refer to it). */
  columns: number;
  rows: number;
  /** Size of `rgba` (smaller than columns × rows when shrunk). */
  width: number;
  height: number;
  rgba: Uint8ClampedArray;
  monochrome: boolean;
  /** The window used, so the viewer's window/level starts there (monochrome only). */
  window?: { center: number; width: number };
}

export interface TemplateRequest {
  source: FileSource;
  boxes: Box[];
  name: string;
}

/** How many distinct frames go to OCR at once: bounds memory on long cine loops. */
const FRAMES_PER_READ = 8;

/** FileReaderSync exists only in workers (and is typed only in the worker lib). */

/** Boxes identical on every frame of a multi-frame image become one box for every frame. */
export function collapseBoxes(boxes: ScanBox[], frames: number): ScanBox[] {
  if (frames <= 1) return boxes.map(({ frame: _frame, ...rest }) => rest);
  const groups = new Map<string, ScanBox[]>();
  const out: ScanBox[] = [];
  for (const box of boxes) {
    if (box.frame === undefined) {
      out.push(box);
      continue;
    }
    const key = `${box.x},${box.y},${box.w},${box.h},${box.source},${box.reason}`;
    const list = groups.get(key) ?? [];
    groups.set(key, list);
    list.push(box);
  }
  for (const list of groups.values()) {
    const covered = new Set(list.map((b) => b.frame));
    if (covered.size === frames) {
      const { frame: _frame, ...rest } = list[0];
      out.push(rest);
    } else out.push(...list);
  }
  return out;
}

function failure(fileId: string, error: unknown, signature?: string): PixelScanResult {
  if (error instanceof DicomReadError)
    return { fileId, ok: false, code: error.code, reason: error.message, signature };
  const coded = error as { name?: string; code?: unknown; message?: unknown };
  // PixelError messages name tags and syntaxes by contract; other errors only by class.
  if (coded?.name === 'PixelError' && typeof coded.code === 'string')
    return {
      fileId,
      ok: false,
      code: coded.code,
      reason: typeof coded.message === 'string' ? coded.message : 'the pixels could not be decoded',
      signature,
    };
  const name = error instanceof Error ? error.name : 'error';
  return {
    fileId,
    ok: false,
    code: 'pixels-failed',
    reason: `the pixels could not be read (${name})`,
    signature,
  };
}

function notRun(fileId: string, error: unknown): PostCheck {
  const result = failure(fileId, error);
  return {
    state: 'not-run',
    why: result.ok ? 'the check could not run' : `the check could not run: ${result.reason}`,
  };
}

interface OpenImage {
  fileId: string;
  dataset: Dataset;
  transferSyntaxUID: string;
  desc: PixelDescription;
}

/** The API over a platform; pixels.worker.ts and pixels.node-worker.ts expose it, tests call it. */
/**
 * A frame as detection reads it: colour stays colour (RGBA), so that text in a colour that is as
 * bright as its background (red on green) is still seen in the colour planes; grey stays grey.
 */
function forDetection(frame: Frame, desc: PixelDescription, window?: GrayWindow): Gray8 {
  return frame.samplesPerPixel === 3 ? toRgba8(frame, desc) : toGray8(frame, desc, window);
}

export function createPixelsWorkerApi(platform: PixelPlatform) {
  /** The last image opened for rendering: the viewer asks for its frames again and again. */
  let open: OpenImage | undefined;
  let lastFrame: { fileId: string; index: number; frame: Frame } | undefined;

  const loadCodecs = lazyCodecs(() => platform.loadCodecs());
  // Tesseract starts only when a frame really goes to OCR.
  const lazyOcr = lazyOcrEngine(() => platform.createOcrEngine());

  async function openImage(fileId: string, source: FileSource): Promise<OpenImage> {
    if (open?.fileId === fileId) return open;
    const file = await readDicomFile(await bytesOfSource(source));
    if (!file.pixelData)
      throw new DicomReadError('bad-length', 'The file has no PixelData (7FE0,0010).');
    const transferSyntaxUID = file.syntax.transferSyntaxUID;
    open = {
      fileId,
      dataset: file.dataset,
      transferSyntaxUID,
      desc: describePixels(file.dataset, transferSyntaxUID),
    };
    lastFrame = undefined;
    return open;
  }

  async function scanImage(job: PixelScanJob): Promise<PixelScanResult> {
    const { fileId } = job;
    let signature: string | undefined;
    try {
      const file = await readDicomFile(await bytesOfSource(job.source));
      signature = deviceSignature(file.dataset, {
        meta: file.meta,
        littleEndian: file.syntax.littleEndian,
      });
      if (!file.pixelData)
        return {
          fileId,
          ok: false,
          code: 'no-pixel-data',
          reason: 'The file has no PixelData (7FE0,0010).',
          signature,
        };
      if (tooSmallForText(file.dataset))
        // Too few pixels for any legible character, whatever the pixel module says (or lacks).
        return {
          fileId,
          ok: true,
          signature,
          frames: 1,
          framesRead: 0,
          read: 'cleared',
          boxes: [],
          rows: 0,
          columns: 0,
          postCheck: { state: 'not-run', why: 'no box to black out' },
        };
      const desc = describePixels(file.dataset, file.syntax.transferSyntaxUID);
      const set = await loadCodecs();
      const frames = desc.numberOfFrames;
      const boxes: ScanBox[] = [];
      let framesRead = 0;
      let read: 'ocr' | 'cleared' = 'cleared';
      // Distinct frames waiting for OCR, each with every frame index that looks the same.
      let chunk: { gray: Gray8; indexes: number[] }[] = [];
      const seen = new Map<number, number[]>();
      const readChunk = async (): Promise<void> => {
        if (chunk.length === 0) return;
        const batch = chunk;
        chunk = [];
        const found = await findBurnedInText(
          batch.map((c) => c.gray),
          job.context,
          lazyOcr,
          { alwaysRead: job.highRisk },
        );
        framesRead += found.framesRead;
        if (found.read === 'ocr') read = 'ocr';
        for (const box of found.boxes) {
          const indexes = batch[box.frame ?? 0]?.indexes ?? [];
          if (box.frame === undefined) {
            for (const c of batch) for (const i of c.indexes) boxes.push({ ...box, frame: i });
          } else for (const i of indexes) boxes.push({ ...box, frame: i });
        }
      };
      // The grey window of each frame, so the post-check sees the filled frame as OCR saw it.
      const windows: (GrayWindow | undefined)[] = [];
      for (let index = 0; index < frames; index++) {
        const frame = await decodeFrame(file.dataset, desc, index, set);
        windows[index] = ocrWindow(frame, desc);
        const gray = forDetection(frame, desc);
        const hash = frameHash(gray.data);
        const same = seen.get(hash);
        if (same) {
          same.push(index);
          continue;
        }
        const indexes = [index];
        seen.set(hash, indexes);
        chunk.push({ gray, indexes });
        if (chunk.length >= FRAMES_PER_READ) await readChunk();
      }
      await readChunk();
      for (const box of templateBoxes(
        file.dataset,
        job.templates,
        file.syntax.littleEndian,
        file.meta,
      ))
        boxes.push(box);
      const collapsed = collapseBoxes(boxes, frames);
      const image = { dataset: file.dataset, transferSyntaxUID: file.syntax.transferSyntaxUID };
      // A check that fails leaves the boxes found: the image then waits for a reviewer's check.
      const postCheck = await checkFilled(image, desc, collapsed, job.context, set, (i) =>
        Promise.resolve(windows[i]),
      ).catch((error: unknown) => notRun(fileId, error));
      return {
        fileId,
        ok: true,
        signature,
        frames,
        framesRead,
        read,
        boxes: collapsed,
        rows: desc.rows,
        columns: desc.columns,
        postCheck,
      };
    } catch (error) {
      return failure(fileId, error, signature);
    }
  }

  /**
   * Fills `boxes` with redactPixels, the function the export writes with (so what is read is what
   * will be written: the same fill values, YBR 4:2:2 pair widening, lossless re-encoding), decodes
   * the frames a box touches again, and reads them with OCR (every frame, same PHI context, same
   * grey window as the scan; the safety net off: its unread blobs were offered to the reviewer in
   * the scan, and the check asks only whether a PHI word can still be read).
   */
  async function checkFilled(
    image: { dataset: Dataset; transferSyntaxUID: string },
    desc: PixelDescription,
    boxes: readonly Box[],
    context: PhiContext,
    set: CodecSet,
    windowOf: (index: number) => Promise<GrayWindow | undefined>,
  ): Promise<PostCheck> {
    if (boxes.length === 0) return { state: 'not-run', why: 'no box to black out' };
    const redacted = await redactPixels(image, boxes, set, { reviewed: false });
    if (!redacted.changed) return { state: 'not-run', why: 'no box inside the image' };
    const after = describePixels(redacted.dataset, redacted.transferSyntaxUID);
    const touched = [...planBoxes(boxes, desc.rows, desc.columns, desc.numberOfFrames).rects.keys()]
      .filter((i) => i < after.numberOfFrames)
      .sort((a, b) => a - b);
    const left: FoundBox[] = [];
    for (let start = 0; start < touched.length; start += FRAMES_PER_READ) {
      const indexes = touched.slice(start, start + FRAMES_PER_READ);
      const grays: Gray8[] = [];
      for (const i of indexes) {
        const frame = await decodeFrame(redacted.dataset, after, i, set);
        grays.push(forDetection(frame, after, await windowOf(i)));
      }
      const found = await findBurnedInText(grays, context, lazyOcr, {
        alwaysRead: true,
        safetyNet: false,
      });
      for (const box of found.boxes) {
        const { x, y, w, h, confidence } = box;
        const at = (i: number): FoundBox => ({
          x,
          y,
          w,
          h,
          source: 'ocr',
          reason: TEXT_LEFT_REASON,
          ...(confidence !== undefined ? { confidence } : {}),
          frame: i,
        });
        if (box.frame === undefined) for (const i of indexes) left.push(at(i));
        else left.push(at(indexes[box.frame]));
      }
    }
    if (left.length === 0) return { state: 'clean' };
    return { state: 'text-left', boxes: collapseBoxes(left, desc.numberOfFrames) };
  }

  async function checkRedaction(request: CheckRequest): Promise<PostCheck> {
    try {
      const file = await readDicomFile(await bytesOfSource(request.source));
      if (!file.pixelData) return { state: 'not-run', why: 'the file has no pixel data' };
      const transferSyntaxUID = file.syntax.transferSyntaxUID;
      const desc = describePixels(file.dataset, transferSyntaxUID);
      const set = await loadCodecs();
      const headerWindow = desc.windowCenter !== undefined && (desc.windowWidth ?? 0) > 0;
      return await checkFilled(
        { dataset: file.dataset, transferSyntaxUID },
        desc,
        request.boxes,
        request.context,
        set,
        // Without a header window the scan's grey came from each frame's own range: decode it again.
        async (i) =>
          desc.samplesPerPixel === 1 && !headerWindow
            ? ocrWindow(await decodeFrame(file.dataset, desc, i, set), desc)
            : undefined,
      );
    } catch (error) {
      return notRun(request.fileId, error);
    }
  }

  return {
    /** Never throws: an image that cannot be read comes back as { ok: false } with a reason naming no value. */
    scanImage,

    /**
     * The post-redaction check of a reviewer's boxes (starts OCR when it has not started). Never
     * throws: a file that cannot be read gives 'not-run' with a reason naming no value.
     */
    checkRedaction,

    /** One frame as RGBA (windowed for monochrome), shrunk to `maxSize` when asked; the pixels move back. */
    async renderFrame(request: RenderRequest): Promise<RenderedFrame> {
      const image = await openImage(request.fileId, request.source);
      const { desc } = image;
      const index = Math.min(Math.max(0, Math.floor(request.frame)), desc.numberOfFrames - 1);
      let frame: Frame;
      if (lastFrame && lastFrame.fileId === request.fileId && lastFrame.index === index)
        frame = lastFrame.frame;
      else {
        frame = await decodeFrame(image.dataset, desc, index, await loadCodecs());
        lastFrame = { fileId: request.fileId, index, frame };
      }
      const monochrome = frame.samplesPerPixel === 1;
      const window = monochrome ? (request.window ?? defaultWindow(frame, desc)) : undefined;
      const full = toRgba8(frame, desc, window);
      const shrunk = shrink(full, request.maxSize);
      const rgba = new Uint8ClampedArray(
        shrunk.data.buffer,
        shrunk.data.byteOffset,
        shrunk.data.byteLength,
      );
      const result: RenderedFrame = {
        fileId: request.fileId,
        frame: index,
        frames: desc.numberOfFrames,
        columns: desc.columns,
        rows: desc.rows,
        width: shrunk.width,
        height: shrunk.height,
        rgba,
        monochrome,
        window,
      };
      return transfer(result, [rgba.buffer as ArrayBuffer]);
    },

    /** A device template from one image's header and boxes, with the image's signature. */
    async makeTemplate(
      request: TemplateRequest,
    ): Promise<{ signature: string; template: Template }> {
      const file = await readDicomFile(await bytesOfSource(request.source), {
        untilPixelData: true,
      });
      const context = { meta: file.meta, littleEndian: file.syntax.littleEndian };
      return {
        signature: deviceSignature(file.dataset, context),
        template: templateFromImage(file.dataset, request.boxes, request.name, context),
      };
    },

    /** The boxes of the templates whose conditions this header meets (after a CTP script import). */
    async matchHeader(request: {
      fileId: string;
      source: FileSource;
      templates: Template[];
    }): Promise<{ fileId: string; boxes: ScanBox[] } | { fileId: string; error: string }> {
      try {
        const file = await readDicomFile(await bytesOfSource(request.source), {
          untilPixelData: true,
        });
        return {
          fileId: request.fileId,
          boxes: templateBoxes(
            file.dataset,
            request.templates,
            file.syntax.littleEndian,
            file.meta,
          ),
        };
      } catch (error) {
        const result = failure(request.fileId, error);
        return { fileId: request.fileId, error: result.ok ? 'unreadable' : result.reason };
      }
    },

    /** Stops the OCR engine (frees its memory); the next scan starts a new one. */
    async release(): Promise<void> {
      open = undefined;
      lastFrame = undefined;
      await lazyOcr.terminate();
    },
  };
}

export type PixelsWorkerApi = ReturnType<typeof createPixelsWorkerApi>;

/** Boxes of every template whose header condition holds, tagged with the template. */
function templateBoxes(
  dataset: Dataset,
  templates: readonly Template[],
  littleEndian: boolean,
  meta?: Dataset,
): ScanBox[] {
  const out: ScanBox[] = [];
  for (const match of matchTemplates(dataset, templates, { meta, littleEndian }))
    for (const box of match.boxes)
      out.push({
        x: box.x,
        y: box.y,
        w: box.w,
        h: box.h,
        source: 'template',
        reason: `device template “${match.template.name}”`,
        templateId: match.template.id,
      });
  return out;
}

type GrayWindow = { center: number; width: number };

/**
 * The window toGray8 uses for a monochrome frame when given none and the header has none (the
 * frame's own range): after a fill the range changes, so the post-check passes this one instead.
 * Undefined: colour, or the header's window (which toGray8 uses by itself).
 */
function ocrWindow(frame: Frame, desc: PixelDescription): GrayWindow | undefined {
  if (frame.samplesPerPixel !== 1) return undefined;
  if (desc.windowCenter !== undefined && desc.windowWidth !== undefined && desc.windowWidth > 0)
    return undefined;
  let lo = Infinity;
  let hi = -Infinity;
  const data = frame.data;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!Number.isFinite(lo)) lo = hi = 0;
  const slope = desc.rescaleSlope ?? 1;
  const intercept = desc.rescaleIntercept ?? 0;
  const a = lo * slope + intercept;
  const b = hi * slope + intercept;
  const min = Math.min(a, b);
  const width = Math.max(Math.max(a, b) - min + 1, 1);
  return { center: min + 0.5 + (width - 1) / 2, width };
}

/** The header's window, in the stored-value space after the modality LUT; else the frame's full range. */
function defaultWindow(frame: Frame, desc: PixelDescription): { center: number; width: number } {
  if (desc.windowCenter !== undefined && desc.windowWidth !== undefined && desc.windowWidth > 0)
    return { center: desc.windowCenter, width: desc.windowWidth };
  let min = Infinity;
  let max = -Infinity;
  const data = frame.data;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (!Number.isFinite(min)) return { center: 128, width: 256 };
  const slope = desc.rescaleSlope ?? 1;
  const intercept = desc.rescaleIntercept ?? 0;
  const a = min * slope + intercept;
  const b = max * slope + intercept;
  return { center: (a + b) / 2, width: Math.max(1, Math.abs(b - a)) };
}

/** Nearest-neighbour shrink of an RGBA image to fit `maxSize` (thumbnails only: never for OCR). */
function shrink(image: Gray8, maxSize: number | undefined): Gray8 {
  const { width, height } = image;
  if (!maxSize || (width <= maxSize && height <= maxSize)) return image;
  const scale = maxSize / Math.max(width, height);
  const w = Math.max(1, Math.round(width * scale));
  const h = Math.max(1, Math.round(height * scale));
  const out = new Uint8Array(w * h * 4);
  const src = new Uint32Array(image.data.buffer, image.data.byteOffset, width * height);
  const dst = new Uint32Array(out.buffer);
  for (let y = 0; y < h; y++) {
    const sy = Math.min(height - 1, Math.floor((y + 0.5) / scale)) * width;
    for (let x = 0; x < w; x++)
      dst[y * w + x] = src[sy + Math.min(width - 1, Math.floor((x + 0.5) / scale))];
  }
  return { width: w, height: h, data: out };
}
