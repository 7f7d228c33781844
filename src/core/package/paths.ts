// Entry paths inside a package, built from de-identified values only and made safe for any file system.

/** The de-identified values a path is made of. Never pass original names, paths or UIDs. */
export interface EntryPathFields {
  /** The patient's pseudonym (from the de-identification step). */
  pseudonym: string;
  /** 1-based index of the study within the patient, in the order the run assigns. */
  studyIndex: number;
  /** SeriesNumber (0020,0011) as written in the output, or undefined when absent. */
  seriesNumber?: number | string;
  /** Modality (0008,0060) of the series. */
  modality?: string;
  /** InstanceNumber (0020,0013) as written in the output, or undefined when absent. */
  instanceNumber?: number | string;
}

export class EntryPathError extends Error {
  constructor(
    readonly field: keyof EntryPathFields,
    message: string,
  ) {
    super(message);
    this.name = 'EntryPathError';
  }
}

const MAX_SEGMENT = 64;
/** Something that looks like a DICOM UID (PS3.5 9.1): a pseudonym must never be one. */
const UID_LIKE = /^[0-9]+(\.[0-9]+){3,}$/;

/** Keeps only [A-Za-z0-9._-], replaces the rest with '_', drops leading dots (hidden files, '..'). */
export function sanitizeSegment(value: string, fallback: string): string {
  const s = value
    .trim()
    .replace(/[^A-Za-z0-9._-]/g, '_')
    .replace(/^\.+/, '')
    .slice(0, MAX_SEGMENT);
  return s === '' ? fallback : s;
}

function formatNumber(value: number | string | undefined, width: number, fallback: string): string {
  if (value === undefined) return fallback;
  const text = String(value).trim();
  // IS values are decimal integers; anything else is kept, sanitized, rather than guessed at.
  if (/^[+-]?[0-9]+$/.test(text)) {
    const n = Number(text);
    if (Number.isSafeInteger(n) && n >= 0) return String(n).padStart(width, '0');
  }
  return sanitizeSegment(text, fallback);
}

/**
 * `<pseudonym>/<study>/<series number>_<modality>/<instance>.dcm`, e.g. `P0001/01/0003_CT/00012.dcm`.
 * Numbers are zero-padded so a file browser sorts them; missing numbers become `x`.
 */
export function buildEntryPath(fields: EntryPathFields): string {
  if (UID_LIKE.test(fields.pseudonym.trim())) {
    throw new EntryPathError(
      'pseudonym',
      'The pseudonym looks like a DICOM UID; paths are built from pseudonyms only.',
    );
  }
  if (!(Number.isSafeInteger(fields.studyIndex) && fields.studyIndex >= 1)) {
    throw new EntryPathError('studyIndex', 'studyIndex must be an integer from 1.');
  }
  const pseudonym = sanitizeSegment(fields.pseudonym, 'unknown');
  const study = String(fields.studyIndex).padStart(2, '0');
  const series = formatNumber(fields.seriesNumber, 4, 'x');
  const modality = sanitizeSegment((fields.modality ?? '').toUpperCase(), 'OT');
  const instance = formatNumber(fields.instanceNumber, 5, 'x');
  return `${pseudonym}/${study}/${series}_${modality}/${instance}.dcm`;
}

/**
 * Hands out unique paths: the first request for a path gets it, later ones get `-2`, `-3`, … before
 * the extension, in call order (so the run's order makes it deterministic). Comparison ignores case,
 * so unpacking on a case-insensitive file system cannot merge two files.
 */
export class EntryPathAllocator {
  private readonly used = new Set<string>();

  allocate(fields: EntryPathFields): string {
    return this.reserve(buildEntryPath(fields));
  }

  /** Reserves a path built elsewhere (e.g. `manifest.json`), with the same collision rule. */
  reserve(path: string): string {
    let candidate = path;
    const dot = path.lastIndexOf('.');
    const slash = path.lastIndexOf('/');
    const [stem, ext] = dot > slash ? [path.slice(0, dot), path.slice(dot)] : [path, ''];
    for (let n = 2; this.used.has(candidate.toLowerCase()); n++) candidate = `${stem}-${n}${ext}`;
    this.used.add(candidate.toLowerCase());
    return candidate;
  }
}
