// The reviewer's edits on an image's boxes as pure functions: move, resize, clamp, approve, the
// post-redaction check's result and its resolution, and the order in which the Pixels screen shows
// images (what still needs a person first).
import { boxesKeyOf, postCheckIsCurrent, textLeftBlocks } from '../../pipeline/pixel-scan';
import type { PixelBoxRow, PixelFindingRow, PixelPostCheck } from '../../store/types';

/** Keeps a box inside the frame and at least 1 pixel wide and high (integer pixels). */
export function clampBox<B extends PixelBoxRow>(box: B, columns: number, rows: number): B {
  const w = Math.max(1, Math.min(Math.round(box.w), columns));
  const h = Math.max(1, Math.min(Math.round(box.h), rows));
  const x = Math.max(0, Math.min(Math.round(box.x), columns - w));
  const y = Math.max(0, Math.min(Math.round(box.y), rows - h));
  return { ...box, x, y, w, h };
}

export function moveBox<B extends PixelBoxRow>(
  box: B,
  dx: number,
  dy: number,
  columns: number,
  rows: number,
): B {
  return clampBox({ ...box, x: box.x + dx, y: box.y + dy }, columns, rows);
}

export function resizeBox<B extends PixelBoxRow>(
  box: B,
  dw: number,
  dh: number,
  columns: number,
  rows: number,
): B {
  const w = Math.max(1, Math.min(box.w + dw, columns - box.x));
  const h = Math.max(1, Math.min(box.h + dh, rows - box.y));
  return clampBox({ ...box, w, h }, columns, rows);
}

/** A box drawn by the reviewer from two corners (any drag direction). */
export function boxFromCorners(
  a: { x: number; y: number },
  b: { x: number; y: number },
  columns: number,
  rows: number,
  frame?: number,
): PixelBoxRow {
  const box: PixelBoxRow = {
    x: Math.min(a.x, b.x),
    y: Math.min(a.y, b.y),
    w: Math.abs(a.x - b.x),
    h: Math.abs(a.y - b.y),
    source: 'reviewer',
    reason: 'drawn by the reviewer',
  };
  if (frame !== undefined) box.frame = frame;
  return clampBox(box, columns, rows);
}

/**
 * The row after the reviewer changed its boxes: status follows the boxes (a failed image stays
 * failed), the approval is withdrawn (the image must be looked at again), the change is marked.
 */
export function withBoxes(
  row: PixelFindingRow,
  boxes: PixelBoxRow[],
  now = Date.now(),
): PixelFindingRow {
  const { approvedAt: _at, approvedBy: _by, postCheck, ...rest } = row;
  const status = row.status === 'failed' ? 'failed' : boxes.length > 0 ? 'found' : 'clean';
  const next: PixelFindingRow = { ...rest, boxes, status, edited: true, updatedAt: now };
  if (boxes.length === 0)
    // No box: nothing is filled, so there is nothing to check (the reviewer says there is no PHI).
    next.postCheck = { state: 'not-run', why: 'no box to black out', checkedAt: now, boxesKey: '' };
  else if (postCheck) {
    // Text left stays until a new check of these boxes; an acceptance was for the old boxes.
    const { acceptedBy: _by2, acceptedAt: _at2, ...check } = postCheck;
    next.postCheck = check;
  }
  return next;
}

/**
 * The row with a new post-check of `boxesKey`. A check of boxes that changed meanwhile is dropped;
 * a check that could not run never replaces text left (a failure must not open the gate).
 */
export function withPostCheck(
  row: PixelFindingRow,
  check: PixelPostCheck,
  now = Date.now(),
): PixelFindingRow {
  if (check.boxesKey !== boxesKeyOf(row.boxes)) return row;
  if (check.state === 'not-run' && row.postCheck?.state === 'text-left') return row;
  return { ...row, postCheck: check, updatedAt: now };
}

/** The reviewer looked at the text still readable and says it is not identifying: recorded, and approved. */
export function acceptedRemainingText(
  row: PixelFindingRow,
  by: string,
  now = Date.now(),
): PixelFindingRow {
  if (row.postCheck?.state !== 'text-left') return approved(row, by, now);
  return {
    ...approved(row, by, now),
    postCheck: { ...row.postCheck, acceptedBy: by, acceptedAt: now },
  };
}

/** Boxes that will be filled but were not checked as they are (edited, or templates added since). */
export function needsCheck(row: PixelFindingRow): boolean {
  return row.status === 'found' && row.boxes.length > 0 && !postCheckIsCurrent(row);
}

export function approved(row: PixelFindingRow, by: string, now = Date.now()): PixelFindingRow {
  return { ...row, approvedBy: by, approvedAt: now, updatedAt: now };
}

export function needsReview(row: PixelFindingRow): boolean {
  return (
    ((row.status === 'found' || row.status === 'failed') && row.approvedAt === undefined) ||
    textLeftBlocks(row)
  );
}

export { textLeftBlocks };

export type PixelFilter = 'review' | 'found' | 'approved' | 'clean' | 'failed' | 'all';

export function matchesFilter(row: PixelFindingRow, filter: PixelFilter): boolean {
  switch (filter) {
    case 'review':
      return needsReview(row);
    case 'found':
      return row.status === 'found';
    case 'approved':
      return row.approvedAt !== undefined;
    case 'clean':
      return row.status === 'clean';
    case 'failed':
      return row.status === 'failed';
    case 'all':
      return true;
  }
}

/** Needs a person first, then high-risk images, then the rest; ties by file id (stable). */
export function orderForReview(rows: readonly PixelFindingRow[]): PixelFindingRow[] {
  const rank = (r: PixelFindingRow): number =>
    (needsReview(r) ? 0 : 4) + (r.highRisk ? 0 : 2) + (r.status === 'found' ? 0 : 1);
  return [...rows].sort(
    (a, b) => rank(a) - rank(b) || (a.fileId < b.fileId ? -1 : a.fileId > b.fileId ? 1 : 0),
  );
}

/** Images of the same device (signature) as `row`, itself included; failed images are left out. */
export function clusterOf(
  rows: readonly PixelFindingRow[],
  row: PixelFindingRow,
): PixelFindingRow[] {
  if (!row.signature) return [row];
  return rows.filter((r) => r.signature === row.signature && r.status !== 'failed');
}

/** A short device name from a signature ('Sonority 9 · US 360×480'), for headings and template names. */
export function deviceLabel(signature: string): string {
  const values = new Map<string, string>();
  for (const m of signature.matchAll(/(\w+)=("(?:[^"\\]|\\.)*")/g)) {
    try {
      values.set(m[1], JSON.parse(m[2]) as string);
    } catch {
      // A malformed part is skipped: the label is only a name.
    }
  }
  const maker = [values.get('Manufacturer'), values.get('ManufacturerModelName')]
    .filter((v) => v)
    .join(' ');
  const size =
    values.get('Rows') && values.get('Columns')
      ? `${values.get('Columns')}×${values.get('Rows')}`
      : '';
  const parts = [
    maker || 'Unknown device',
    [values.get('Modality'), size].filter((v) => v).join(' '),
  ];
  return parts.filter((p) => p).join(' · ');
}

/** Boxes shown on one frame: those of every frame and those of this frame. */
export function boxesOnFrame<B extends { frame?: number }>(
  boxes: readonly B[],
  frame: number,
): B[] {
  return boxes.filter((b) => b.frame === undefined || b.frame === frame);
}
