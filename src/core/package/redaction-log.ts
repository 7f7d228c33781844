// The package's redaction log: per image, which boxes of pixels were blacked out, how many frames and
// pixels changed, and the transfer syntax in and out, as CSV (one row per box) and JSON.
import { toCsv } from '../csv/csv';

/** One redacted rectangle: frame pixels; `frame` undefined means every frame. Never the text. */
export interface RedactionBox {
  x: number;
  y: number;
  w: number;
  h: number;
  frame?: number;
  /** 'ocr' | 'template' | 'reviewer' | 'prefilter'. */
  source?: string;
  /** Why the box is PHI ('matches PatientName', 'date pattern'), never the text itself. */
  reason?: string;
  /** Who approved it, when a person did. */
  approvedBy?: string;
}

/**
 * What the pixel redaction did to one file (the shape of core/pixels/redact's RedactionLogEntry;
 * declared here so the log does not depend on the redaction code).
 */
export interface PixelRedaction {
  boxes: readonly RedactionBox[];
  framesChanged: number;
  pixelsChanged: number;
  inputSyntax: string;
  outputSyntax: string;
  /** The value written into the boxes (a gray level, or one value per sample). */
  fill: number | readonly number[] | string;
}

/** A redaction with the entry path of the file it changed. */
export interface RedactionLogRow {
  path: string;
  redaction: PixelRedaction;
}

export const REDACTION_LOG_CSV = 'redaction-log.csv';
export const REDACTION_LOG_JSON = 'redaction-log.json';

export const REDACTION_LOG_COLUMNS = [
  'path',
  'frame',
  'x',
  'y',
  'w',
  'h',
  'source',
  'reason',
  'approved_by',
  'frames_changed',
  'pixels_changed',
  'input_syntax',
  'output_syntax',
  'fill',
] as const;

const fillText = (fill: PixelRedaction['fill']): string =>
  typeof fill === 'string' ? fill : Array.isArray(fill) ? fill.join('\\') : String(fill);

const byPath = (a: RedactionLogRow, b: RedactionLogRow): number =>
  a.path < b.path ? -1 : a.path > b.path ? 1 : 0;

/**
 * One row per box (a file whose redaction had no box still gets one row, with empty box columns,
 * so every changed file is listed); files in path order, boxes as given. LF line ends.
 */
export function formatRedactionLogCsv(rows: readonly RedactionLogRow[]): string {
  const out: (string | number | undefined)[][] = [];
  for (const { path, redaction: r } of [...rows].sort(byPath)) {
    const common = [
      r.framesChanged,
      r.pixelsChanged,
      r.inputSyntax,
      r.outputSyntax,
      fillText(r.fill),
    ];
    if (r.boxes.length === 0) out.push([path, '', '', '', '', '', '', '', '', ...common]);
    for (const b of r.boxes)
      out.push([
        path,
        b.frame ?? 'all',
        b.x,
        b.y,
        b.w,
        b.h,
        b.source ?? '',
        b.reason ?? '',
        b.approvedBy ?? '',
        ...common,
      ]);
  }
  return toCsv(REDACTION_LOG_COLUMNS, out);
}

/** The same log as JSON: totals, then one object per file in path order. */
export function formatRedactionLogJson(rows: readonly RedactionLogRow[]): string {
  const sorted = [...rows].sort(byPath);
  const totals = {
    files: sorted.length,
    boxes: sorted.reduce((n, r) => n + r.redaction.boxes.length, 0),
    framesChanged: sorted.reduce((n, r) => n + r.redaction.framesChanged, 0),
    pixelsChanged: sorted.reduce((n, r) => n + r.redaction.pixelsChanged, 0),
  };
  const files = sorted.map(({ path, redaction: r }) => ({
    path,
    boxes: r.boxes.map((b) => ({
      x: b.x,
      y: b.y,
      w: b.w,
      h: b.h,
      frame: b.frame,
      source: b.source,
      reason: b.reason,
      approvedBy: b.approvedBy,
    })),
    framesChanged: r.framesChanged,
    pixelsChanged: r.pixelsChanged,
    inputSyntax: r.inputSyntax,
    outputSyntax: r.outputSyntax,
    fill: r.fill,
  }));
  return `${JSON.stringify({ format: 'cleanroom-redaction-log', formatVersion: 1, totals, files }, null, 2)}\n`;
}
