// The dataset report's worker API: package zips in, the report (composition, leakage with its
// permutation baseline, duplicates) out, with progress; what it read is kept for the next build.
import type { LabelKeyColumn, LabelsCsv } from '../src/core/labels/labels-csv';
import type { Recipe } from '../src/core/profile/recipe';
import { buildDatasetReport, labelKeyOf } from '../src/core/report/build-report';
import { readPackageForReport } from '../src/core/report/package-input';
import type { DatasetReport, ImageDigest, ReportRow } from '../src/core/report/types';
import { zipSource, type PackageEntry } from '../src/core/verify/source';
import { throttleProgress } from './progress';

/** One site's package: its zip volumes (File or Blob), read in the order given. */
export interface ReportPackage {
  site: string;
  volumes: Blob[];
}

export interface ReportPackages {
  /**
   * The caller's name for this choice of packages. What was read is kept under it, so a new
   * labels CSV builds the report again without reading the zips again; a new key reads anew.
   */
  key: string;
  packages: ReportPackage[];
}

/** Labels keyed by the package's own (pseudonymous) identifiers. */
export interface ReportLabels {
  labels: ReadonlyMap<string, string>;
  keyColumn: LabelKeyColumn;
  labelColumn?: string;
}

export interface ReportProgress {
  /**
   * 'reading': entries of the zips (done/total count entries); 'leakage': elements checked against
   * the labels; 'summary': counting and the duplicate search (no counts: total 0).
   */
  phase: 'reading' | 'leakage' | 'summary';
  done: number;
  total: number;
  /** Bytes of entries read so far (the reading phase). */
  bytes: number;
}

export interface PackageSummary {
  /** DICOM images read: the report's rows. */
  images: number;
  /** Entries that were not DICOM images, or volumes that were not zips. */
  unreadable: number;
  /** The first package's own labels.csv, when it has one. */
  labels?: LabelsCsv;
  recipeName?: string;
}

export interface ReportBuildOptions {
  labels?: ReportLabels;
  /** Shuffles and seed of the leakage baseline (default 200 and 1). */
  leakage?: { permutations?: number; seed?: number };
}

export interface ReportOutcome {
  report: DatasetReport;
  summary: PackageSummary;
  /** 32×32 grey thumbnails of the images in duplicate pairs, by the path the report names. */
  thumbnails: Map<string, Uint8Array>;
}

/** What the packages hold once read: kept in the worker, never sent to the page whole. */
interface ReadPackages {
  rows: ReportRow[];
  images: ImageDigest[];
  thumbnails: Map<string, Uint8Array>;
  summary: PackageSummary;
  recipe?: Recipe;
}

type Progress = (p: ReportProgress) => void;

/** Entries read ahead at most, and their bytes at most (one larger entry is read alone). */
const AHEAD_ENTRIES = 8;
const AHEAD_BYTES = 32 * 1024 * 1024;

/**
 * Reads the next images while the current one is digested: each read of a File is a round trip
 * to the browser (several ms for a small entry), which otherwise adds to every entry's time.
 * Only entries the reader will ask for (images in patient folders) are read ahead.
 */
function readAhead(entries: readonly PackageEntry[]) {
  const pending = new Map<number, { size: number; data: Promise<Uint8Array> }>();
  let next = 0;
  return {
    from(start: number): void {
      next = Math.max(next, start);
      let bytes = 0;
      for (const p of pending.values()) bytes += p.size;
      while (next < entries.length && pending.size < AHEAD_ENTRIES) {
        const e = entries[next];
        if (!e.unreadable && e.name.includes('/')) {
          if (pending.size > 0 && bytes + e.size > AHEAD_BYTES) break;
          const data = e.read();
          // Read ahead but never taken (the reader gave up): not an unhandled rejection.
          data.catch(() => undefined);
          pending.set(next, { size: e.size, data });
          bytes += e.size;
        }
        next++;
      }
    },
    take(index: number): Promise<Uint8Array> {
      const p = pending.get(index);
      pending.delete(index);
      return p ? p.data : entries[index].read();
    },
  };
}

/** Lists every entry of every package first (zip directories only) so reading has a total. */
async function readPackages(
  packages: readonly ReportPackage[],
  progress: { report(p: ReportProgress): void },
): Promise<ReadPackages> {
  const listed: { site: string; entries: PackageEntry[] }[] = [];
  for (const p of packages) {
    const entries: PackageEntry[] = [];
    for await (const entry of zipSource(p.volumes).entries()) entries.push(entry);
    listed.push({ site: p.site, entries });
  }
  const total = listed.reduce((s, p) => s + p.entries.length, 0);
  const out: ReadPackages = {
    rows: [],
    images: [],
    thumbnails: new Map(),
    summary: { images: 0, unreadable: 0 },
  };
  let done = 0;
  let bytes = 0;
  progress.report({ phase: 'reading', done, total, bytes });
  for (const { site, entries } of listed) {
    const ahead = readAhead(entries);
    const source = {
      async *entries() {
        for (const [index, entry] of entries.entries()) {
          ahead.from(index + 1);
          yield {
            ...entry,
            read: async () => {
              const data = await ahead.take(index);
              bytes += data.length;
              return data;
            },
          };
          // The reader asks for the next entry once it is done with this one.
          done++;
          progress.report({ phase: 'reading', done, total, bytes });
        }
      },
    };
    const input = await readPackageForReport(source, { site });
    // Several sites may hold the same path: the site's name keeps every image apart.
    out.rows.push(...input.rows);
    out.images.push(...input.images.map((im) => ({ ...im, path: `${site}: ${im.path}` })));
    for (const [path, t] of input.thumbnails) out.thumbnails.set(`${site}: ${path}`, t);
    out.summary.unreadable += input.unreadable;
    if (input.labels && !out.summary.labels) out.summary.labels = input.labels;
    if (input.recipe && !out.recipe) out.recipe = input.recipe;
  }
  out.summary.images = out.rows.length;
  if (out.recipe?.name) out.summary.recipeName = out.recipe.name;
  progress.report({ phase: 'reading', done: total, total, bytes });
  return out;
}

/** The API; report.worker.ts exposes it, tests call it directly. One caller at a time. */
export function createReportWorkerApi() {
  let cache: { key: string; read: Promise<ReadPackages> } | undefined;

  const ensureRead = (
    job: ReportPackages,
    progress: { report(p: ReportProgress): void },
  ): Promise<ReadPackages> => {
    if (cache?.key === job.key) return cache.read;
    // The previous packages go first: two datasets in memory at once is what a worker cannot afford.
    cache = undefined;
    const read = readPackages(job.packages, progress);
    const entry = { key: job.key, read };
    cache = entry;
    read.catch(() => {
      if (cache === entry) cache = undefined;
    });
    return read;
  };

  return {
    /** Reads the packages (or finds them read under the same key) and says what they hold. */
    async read(job: ReportPackages, onProgress?: Progress): Promise<PackageSummary> {
      const progress = throttleProgress(onProgress);
      const read = await ensureRead(job, progress);
      await progress.flush();
      return read.summary;
    },

    /** How many images have a label under `labels` (reads the packages first if needed). */
    async countLabelled(
      job: ReportPackages,
      labels: ReportLabels,
      onProgress?: Progress,
    ): Promise<number> {
      const progress = throttleProgress(onProgress);
      const read = await ensureRead(job, progress);
      await progress.flush();
      return read.rows.filter((r) => {
        const key = labelKeyOf(r, labels.keyColumn);
        return key !== undefined && labels.labels.has(key);
      }).length;
    },

    /**
     * Builds the dataset report: reads the packages if this key was not read yet, then
     * composition, leakage (progress per element) and duplicates. The last progress report
     * arrives before the result.
     */
    async build(
      job: ReportPackages,
      options: ReportBuildOptions = {},
      onProgress?: Progress,
    ): Promise<ReportOutcome> {
      const progress = throttleProgress(onProgress);
      const read = await ensureRead(job, progress);
      const l = options.labels;
      progress.report({ phase: l ? 'leakage' : 'summary', done: 0, total: 0, bytes: 0 });
      const report = buildDatasetReport({
        title: read.recipe?.name ? `Dataset report: ${read.recipe.name}` : 'Dataset report',
        rows: read.rows,
        images: read.images,
        recipe: read.recipe,
        ...(l
          ? {
              labels: {
                labels: l.labels,
                keyColumn: l.keyColumn,
                ...(l.labelColumn !== undefined ? { labelColumn: l.labelColumn } : {}),
              },
            }
          : {}),
        leakage: {
          permutations: options.leakage?.permutations ?? 200,
          seed: options.leakage?.seed ?? 1,
          onProgress: (done, total) => {
            progress.report({ phase: 'leakage', done, total, bytes: 0 });
            if (done === total) progress.report({ phase: 'summary', done: 0, total: 0, bytes: 0 });
          },
        },
      });
      // Only the pictures the page shows: the pairs' images (at most two per listed pair).
      const thumbnails = new Map<string, Uint8Array>();
      for (const pair of report.duplicates.pairs)
        for (const im of [pair.a, pair.b]) {
          const t = read.thumbnails.get(im.path);
          if (t) thumbnails.set(im.path, t);
        }
      await progress.flush();
      return { report, summary: read.summary, thumbnails };
    },
  };
}

export type ReportWorkerApi = ReturnType<typeof createReportWorkerApi>;
