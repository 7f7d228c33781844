// The verification worker's API: a received package (zip volumes or loose files) in, the report and
// small RGBA thumbnails of the visual sample out. A thin face over core/verify and core/pixels.
import { transfer } from 'comlink';
import {
  blobSource,
  verifyPackage,
  zipSource,
  type PackageSource,
  type VerifyReport,
} from '../src/core/verify';
import { validateRecipe } from '../src/core/profile/recipe';
import { readDicomFile } from '../src/core/dicom/read';
import { decodeFrame, describePixels, toRgba8 } from '../src/core/pixels/decode';

export interface VerifyJob {
  /** Zip volumes, in the order the site numbered them. */
  volumes: File[];
  /** Loose files of an unpacked package, with their paths inside it. */
  loose: { name: string; blob: Blob }[];
  sampleSeed?: number;
  siteUidRoots?: string[];
  /** The organizer's recipe (parsed JSON); otherwise the package's own. */
  recipe?: unknown;
}

export interface VerifyProgress {
  done: number;
  total: number;
  /** Bytes of entries read so far. */
  bytes: number;
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

export const verifyWorkerApi = {
  /** Runs every check; progress at most ten times a second. Throws VerifyJobError on a bad recipe. */
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
        onProgress?.({ done, total, bytes: tally.bytes });
      },
    });
    return report;
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
        const frame = await decodeFrame(file.dataset, desc, 0, {});
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

export type VerifyWorkerApi = typeof verifyWorkerApi;
