// The verification worker's API: a received package (zip volumes or loose files) in, the report
// (every check, then OCR of the queued images) and small RGBA thumbnails of the visual sample out.
// A thin face over core/verify and core/pixels; the platform hands in codecs and the OCR engine.
import { transfer } from 'comlink';
import { lazyCodecs, lazyOcrEngine } from './lazy-platform';
import {
  blobSource,
  ocrImage,
  runOcrCheck,
  skipOcrCheck,
  verifyPackage,
  zipSource,
  type OcrCandidate,
  type OcrImageResult,
  type OcrReader,
  type PackageSource,
  type VerifyReport,
} from '../src/core/verify';
import type { OcrEngine } from '../src/core/pixels/detect';
import type { CodecSet } from '../src/core/pixels/types';
import { validateRecipe } from '../src/core/profile/recipe';
import { readDicomFile } from '../src/core/dicom/read';
import { decodeFrame, describePixels, toRgba8 } from '../src/core/pixels/decode';
import type { Pool } from './pool';

export interface VerifyJob {
  /** Zip volumes, in the order the site numbered them. */
  volumes: File[];
  /** Loose files of an unpacked package, with their paths inside it. */
  loose: { name: string; blob: Blob }[];
  sampleSeed?: number;
  siteUidRoots?: string[];
  /** The organizer's recipe (parsed JSON); otherwise the package's own. */
  recipe?: unknown;
  /** false: the OCR check is 'not-run' (turned off); default on. */
  ocr?: boolean;
  /**
   * Images OCR reads at once: this worker's own thread plus `ocrReaders - 1` helper workers when
   * the platform has them (default: the platform's `ocrReaders`; 1 reads in this thread only).
   */
  ocrReaders?: number;
}

export interface VerifyProgress {
  /** 'checks': every entry read and checked; 'ocr': the queued images read by OCR. */
  phase: 'checks' | 'ocr';
  done: number;
  total: number;
  /** Bytes of entries read so far (the checks phase). */
  bytes: number;
}

/** What a platform supplies: wasm codecs and an OCR engine (tesseract.js), both started lazily. */
export interface VerifyPlatform {
  loadCodecs(): Promise<CodecSet>;
  createOcrEngine(): Promise<OcrEngine>;
  /**
   * Helper workers that read OCR images beside this worker's own thread, `count` of them, each
   * with its own engine (the browser: nested verify-ocr workers). Without it, OCR runs in this
   * thread only, one image at a time.
   */
  ocrWorkers?(count: number): OcrWorkers;
  /** Images read at once when the platform has helpers (this thread included); default 2. */
  ocrReaders?: number;
}

/** OCR helpers of one verification: `size` images read at once; `release` stops them all. */
export interface OcrWorkers {
  read: OcrReader;
  size: number;
  release(): void;
}

/**
 * Reads images through a pool of verification workers (their `ocrImage`): the bytes move, not
 * copy (a view on part of a larger buffer is copied first, so nothing else is detached).
 */
export function ocrReaderOver(pool: Pool<VerifyWorkerApi>): OcrReader {
  return (data, candidate) => {
    const own =
      data.byteOffset === 0 && data.byteLength === data.buffer.byteLength ? data : data.slice();
    return pool.call('ocrImage', [{ data: own, candidate }], [own.buffer as ArrayBuffer]);
  };
}

/** OCR workers over a pool (its size is how many images are read at once). */
export function ocrWorkersOver(pool: Pool<VerifyWorkerApi>): OcrWorkers {
  return { read: ocrReaderOver(pool), size: pool.size, release: () => pool.terminate() };
}

/** One image of the visual sample, scaled to fit a thumbnail, or why it cannot be shown. */
export type SampleImage =
  | { path: string; width: number; height: number; rgba: Uint8Array }
  | { path: string; problem: string };

export class VerifyJobError extends Error {
  override name = 'VerifyJobError';
}

const THUMBNAIL = 256;

function sourceOf(job: VerifyJob, tally?: { bytes: number }): PackageSource {
  const parts = [
    ...(job.volumes.length > 0 ? [zipSource(job.volumes)] : []),
    ...(job.loose.length > 0 ? [blobSource(job.loose)] : []),
  ];
  return {
    async *entries() {
      for (const part of parts)
        for await (const entry of part.entries()) {
          if (!tally) {
            yield entry;
            continue;
          }
          yield {
            ...entry,
            read: async () => {
              const bytes = await entry.read();
              tally.bytes += bytes.length;
              return bytes;
            },
          };
        }
    },
  };
}

/** Nearest-neighbour downscale of RGBA to fit THUMBNAIL×THUMBNAIL (enough to look for text). */
function fit(width: number, height: number, rgba: Uint8Array): SampleImage & { rgba: Uint8Array } {
  const scale = Math.min(1, THUMBNAIL / Math.max(width, height));
  const w = Math.max(1, Math.round(width * scale));
  const h = Math.max(1, Math.round(height * scale));
  const out = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++) {
    const sy = Math.min(height - 1, Math.floor(y / scale));
    for (let x = 0; x < w; x++) {
      const sx = Math.min(width - 1, Math.floor(x / scale));
      out.set(rgba.subarray((sy * width + sx) * 4, (sy * width + sx) * 4 + 4), (y * w + x) * 4);
    }
  }
  return { path: '', width: w, height: h, rgba: out };
}

/** The API over a platform; verify.worker.ts and verify.node-worker.ts expose it, tests call it. */
export function createVerifyWorkerApi(platform: VerifyPlatform) {
  const loadCodecs = lazyCodecs(() => platform.loadCodecs());
  // Tesseract starts only when an image really goes to OCR.
  const lazyOcr = lazyOcrEngine(() => platform.createOcrEngine());
  const readImage = async (data: Uint8Array, candidate: OcrCandidate): Promise<OcrImageResult> =>
    ocrImage(data, candidate, { codecs: await loadCodecs(), ocr: lazyOcr });
  /**
   * This thread reads whenever it is free; helpers take the rest. A helper still starting its
   * engine (seconds, more on a busy machine) holds one image while this thread goes on with the
   * others, so a slow start delays at most that image instead of the whole queue.
   */
  const shareWith = (helpers: OcrWorkers): OcrReader => {
    let ownBusy = false;
    return async (data, candidate) => {
      if (ownBusy) return helpers.read(data, candidate);
      ownBusy = true;
      try {
        return await readImage(data, candidate);
      } finally {
        ownBusy = false;
      }
    };
  };

  return {
    /**
     * Runs every check, then OCR of the queued images (unless `job.ocr` is false: then the OCR
     * check says it was turned off); progress at most ten times a second. Throws VerifyJobError on
     * a bad recipe.
     */
    async verify(job: VerifyJob, onProgress?: (p: VerifyProgress) => void): Promise<VerifyReport> {
      let recipe;
      if (job.recipe !== undefined) {
        const checked = validateRecipe(job.recipe);
        if (!checked.ok)
          throw new VerifyJobError(
            `The recipe you chose is not valid: ${checked.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`,
          );
        recipe = checked.recipe;
      }
      const tally = { bytes: 0 };
      let last = 0;
      const report = await verifyPackage(sourceOf(job, tally), {
        ...(recipe ? { recipe } : {}),
        ...(job.siteUidRoots ? { siteUidRoots: job.siteUidRoots } : {}),
        ...(job.sampleSeed !== undefined ? { sampleSeed: job.sampleSeed } : {}),
        onProgress: (done, total) => {
          const now = Date.now();
          if (now - last < 100 && done < total) return;
          last = now;
          onProgress?.({ phase: 'checks', done, total, bytes: tally.bytes });
        },
      });
      if (job.ocr === false) return skipOcrCheck(report);
      // Helpers only pay when there are images for more than one reader.
      const readers = Math.max(1, Math.floor(job.ocrReaders ?? platform.ocrReaders ?? 2));
      const helpers =
        platform.ocrWorkers && readers > 1 && report.ocr.entries.length > 1
          ? platform.ocrWorkers(Math.min(readers, report.ocr.entries.length) - 1)
          : undefined;
      try {
        // Findings come out in queue order whatever the number of readers (ocrCheckResult).
        return await runOcrCheck(sourceOf(job), report, helpers ? shareWith(helpers) : readImage, {
          concurrency: 1 + (helpers?.size ?? 0),
          onProgress: (done, total) =>
            onProgress?.({ phase: 'ocr', done, total, bytes: tally.bytes }),
        });
      } finally {
        // Each engine holds ~150 MB: free them once the package is read.
        helpers?.release();
        await lazyOcr.terminate().catch(() => undefined);
      }
    },

    /** OCR of one queued image (the CLI's worker threads): never throws for a bad image. */
    async ocrImage(request: {
      data: Uint8Array;
      candidate: OcrCandidate;
    }): Promise<OcrImageResult> {
      return readImage(request.data, request.candidate);
    },

    /** Stops the OCR engine (frees its memory); the next image starts a new one. */
    async release(): Promise<void> {
      await lazyOcr.terminate();
    },

    /** The first frame of each sample image as a small RGBA picture, in the order asked. */
    async sampleImages(job: VerifyJob, paths: string[]): Promise<SampleImage[]> {
      const wanted = new Set(paths);
      const found = new Map<string, SampleImage>();
      for await (const entry of sourceOf(job).entries()) {
        if (!wanted.has(entry.name) || found.has(entry.name)) continue;
        try {
          const file = await readDicomFile(await entry.read());
          const syntax = file.syntax.transferSyntaxUID;
          const desc = describePixels(file.dataset, syntax);
          const frame = await decodeFrame(file.dataset, desc, 0, await loadCodecs());
          const rgba = toRgba8(frame, desc);
          found.set(entry.name, { ...fit(rgba.width, rgba.height, rgba.data), path: entry.name });
        } catch (error) {
          const name = error instanceof Error ? error.message : 'it could not be decoded';
          found.set(entry.name, { path: entry.name, problem: `Cannot show this image: ${name}` });
        }
      }
      const images = paths.map(
        (path) => found.get(path) ?? { path, problem: 'This image is not in the package.' },
      );
      const buffers = images.flatMap((i) => ('rgba' in i ? [i.rgba.buffer as ArrayBuffer] : []));
      return transfer(images, buffers);
    },
  };
}

export type VerifyWorkerApi = ReturnType<typeof createVerifyWorkerApi>;
