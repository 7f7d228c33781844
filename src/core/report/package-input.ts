// Reads a received package (core/verify's PackageSource) into what the dataset report needs: rows of
// retained values, pixel digests, the package's labels.csv and recipe. Pure: bytes in, objects out.
import { readDicomFile } from '../dicom/read';
import { PIXEL_DATA } from '../dicom/types';
import { parseLabelsCsv, type LabelsCsv } from '../labels/labels-csv';
import { sha256Hex } from '../package/sha256';
import { validateRecipe, type Recipe } from '../profile/recipe';
import type { PackageSource } from '../verify/source';
import { visibleValue, walkFile } from '../verify/walk';
import { nativeGray8 } from './native-gray';
import { perceptualHash } from './perceptual-hash';
import type { ImageDigest, ReportRow } from './types';

export interface PackageReportInput {
  rows: ReportRow[];
  images: ImageDigest[];
  /** 32×32 grey thumbnails by entry path (images with a perceptual hash only), for display. */
  thumbnails: Map<string, Uint8Array>;
  labels?: LabelsCsv;
  recipe?: Recipe;
  /** Entries that did not read as DICOM (or a volume that is not a zip): counted, never thrown. */
  unreadable: number;
}

export interface PackageReadOptions {
  /** Site name put on every row (e.g. the zip's name without its volume number). */
  site?: string;
  /** Hash pixels (exact and perceptual); default true. */
  pixels?: boolean;
  onProgress?(done: number): void;
}

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** Reads every entry of a package once, one at a time. */
export async function readPackageForReport(
  source: PackageSource,
  options: PackageReadOptions = {},
): Promise<PackageReportInput> {
  const out: PackageReportInput = { rows: [], images: [], thumbnails: new Map(), unreadable: 0 };
  let done = 0;
  for await (const entry of source.entries()) {
    done++;
    if (entry.unreadable) {
      out.unreadable++;
      continue;
    }
    // Root-level entries are the package's documents (manifest, recipe, labels, reports, readme);
    // every image sits in a patient folder.
    if (!entry.name.includes('/')) {
      if (entry.name === 'labels.csv') out.labels = parseLabelsCsv(text(await entry.read()));
      if (entry.name === 'recipe.json') {
        try {
          const v = validateRecipe(JSON.parse(text(await entry.read())));
          if (v.ok) out.recipe = v.recipe;
        } catch {
          // A recipe that is not JSON is verify's finding, not the report's.
        }
      }
      continue;
    }
    try {
      const d = await digestDicomEntry(entry.name, await entry.read(), options);
      out.rows.push(d.row);
      if (d.image) out.images.push(d.image);
      if (d.thumb) out.thumbnails.set(entry.name, d.thumb);
    } catch {
      out.unreadable++;
    }
    options.onProgress?.(done);
  }
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * One de-identified DICOM file → its report row (top-level retained values), and its pixel digest
 * and 32×32 thumbnail when it has pixels. For callers that hold each file once, such as the export
 * writing a package: collect these as files go by, then call buildDatasetReport. Throws
 * DicomReadError for bytes that are not DICOM.
 */
/** Pixels a side of the grey view the perceptual hash is made from (a 32×32 thumbnail of it). */
const HASH_VIEW_SIDE = 128;

export async function digestDicomEntry(
  path: string,
  bytes: Uint8Array,
  options: { site?: string; pixels?: boolean } = {},
): Promise<{ row: ReportRow; image?: ImageDigest; thumb?: Uint8Array }> {
  const file = await readDicomFile(bytes);
  const values: Record<string, string> = {};
  for (const visit of walkFile(file)) {
    if (visit.part !== 'dataset' || visit.tags.length > 0 || visit.el.tag === PIXEL_DATA) continue;
    const value = visibleValue(visit, file.syntax.littleEndian);
    if (value !== undefined) values[visit.path] = value;
  }
  const row: ReportRow = {
    patient: values.PatientID ?? '',
    study: values.StudyInstanceUID,
    series: values.SeriesInstanceUID,
    instance: values.SOPInstanceUID,
    ...(options.site !== undefined ? { site: options.site } : {}),
    values,
  };
  const pixel = file.dataset.get(PIXEL_DATA);
  if (!pixel || options.pixels === false) return { row };
  const image: ImageDigest = {
    path,
    patient: row.patient,
    study: row.study,
    series: row.series,
    instance: row.instance,
    pixelSha256: await sha256Hex(pixel.bytes ?? concat(pixel.fragments ?? [])),
  };
  const gray = nativeGray8(file, HASH_VIEW_SIDE);
  if (!gray) return { row, image };
  const h = perceptualHash(gray);
  image.phash = h.hash;
  image.blank = h.blank;
  return { row, image, thumb: h.thumb };
}
