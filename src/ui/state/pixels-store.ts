// The Pixels screen's writes: box edits, approvals (per image and per device), post-redaction
// checks and their resolution, device templates (made from an image, imported from a CTP script,
// exported as one). Each write is one transaction.
import { formatCtpScript, parseCtpScript, type Template } from '../../core/pixels/templates';
import type { Box } from '../../core/pixels/types';
import { applyTemplateRows } from '../../pipeline/pixel-scan';
import { getSetting } from '../../store';
import type {
  FileId,
  PixelBoxRow,
  PixelFindingRow,
  PixelPostCheck,
  TemplateRow,
} from '../../store/types';
import { db } from './db';
import { acceptedRemainingText, approved, withBoxes, withPostCheck } from './pixels-review';

/** Who approves: the reviewer's name from the settings, else a plain word. */
export async function reviewerName(): Promise<string> {
  return (await getSetting(db, 'reviewerName'))?.trim() || 'reviewer';
}

export async function saveBoxes(fileId: FileId, boxes: PixelBoxRow[]): Promise<void> {
  await db.transaction('rw', db.pixelFindings, async () => {
    const row = await db.pixelFindings.get(fileId);
    if (row) await db.pixelFindings.put(withBoxes(row, boxes));
  });
}

/** Approves the images as they are now (their boxes will be redacted, nothing else). */
export async function approveImages(fileIds: readonly FileId[]): Promise<void> {
  const by = await reviewerName();
  await db.transaction('rw', db.pixelFindings, async () => {
    const rows = await db.pixelFindings.bulkGet([...fileIds]);
    const now = Date.now();
    await db.pixelFindings.bulkPut(
      rows.filter((r): r is PixelFindingRow => r !== undefined).map((r) => approved(r, by, now)),
    );
  });
}

/** Stores a post-check of the boxes it names (dropped when the boxes changed meanwhile). */
export async function savePostCheck(fileId: FileId, check: PixelPostCheck): Promise<void> {
  await db.transaction('rw', db.pixelFindings, async () => {
    const row = await db.pixelFindings.get(fileId);
    if (!row) return;
    const next = withPostCheck(row, check);
    if (next !== row) await db.pixelFindings.put(next);
  });
}

/**
 * The reviewer's word on text still readable after redaction: 'The remaining text is not
 * identifying'. Recorded with their name, and the image approved with its boxes.
 */
export async function acceptRemainingText(fileId: FileId): Promise<void> {
  const by = await reviewerName();
  await db.transaction('rw', db.pixelFindings, async () => {
    const row = await db.pixelFindings.get(fileId);
    if (row) await db.pixelFindings.put(acceptedRemainingText(row, by));
  });
}

export async function withdrawApproval(fileId: FileId): Promise<void> {
  await db.transaction('rw', db.pixelFindings, async () => {
    const row = await db.pixelFindings.get(fileId);
    if (!row) return;
    const { approvedAt: _at, approvedBy: _by, ...rest } = row;
    await db.pixelFindings.put({ ...rest, updatedAt: Date.now() });
  });
}

/**
 * Stores a reviewer's template (core `templateFromImage`, made in a worker) and adds its boxes to
 * every other image of the same signature. The source image keeps its own boxes. Returns how many
 * other images received the boxes.
 */
export async function saveReviewerTemplate(
  sourceId: FileId,
  signature: string,
  template: Template,
): Promise<number> {
  const row: TemplateRow = {
    id: template.id,
    signature,
    name: template.name,
    origin: 'reviewer',
    template,
    boxes: template.boxes.map(({ x, y, w, h }) => ({ x, y, w, h })),
    createdAt: Date.now(),
  };
  return db.transaction('rw', db.pixelFindings, db.templates, async () => {
    await db.templates.put(row);
    const same = await db.pixelFindings.where('signature').equals(signature).toArray();
    const others = same.filter((r) => r.fileId !== sourceId);
    const changed = others
      .map((r) => applyTemplateRows(r, [row]))
      .filter((r, i) => r !== others[i]);
    await db.pixelFindings.bulkPut(changed);
    return changed.length;
  });
}

export async function deleteTemplate(id: string): Promise<void> {
  await db.templates.delete(id);
}

export interface CtpImport {
  templates: number;
  /** '3: a condition opened with { is never closed' (line and message; the script is the user's own file). */
  problems: string[];
}

/** Stores the templates of a DicomPixelAnonymizer script (replacing earlier ones with the same id). */
export async function importCtpScript(
  text: string,
): Promise<{ report: CtpImport; templates: Template[] }> {
  const parsed = parseCtpScript(text);
  const now = Date.now();
  await db.templates.bulkPut(
    parsed.templates.map((t) => ({
      id: t.id,
      signature: '',
      name: t.name,
      origin: 'ctp' as const,
      template: t,
      boxes: t.boxes.map(({ x, y, w, h }) => ({ x, y, w, h })),
      createdAt: now,
    })),
  );
  return {
    report: {
      templates: parsed.templates.length,
      problems: parsed.problems.map((p) => `line ${p.line}: ${p.message}`),
    },
    templates: parsed.templates,
  };
}

/** Every stored template in the core form, oldest first. */
export async function storedTemplates(): Promise<Template[]> {
  const rows = await db.templates.orderBy('id').toArray();
  return rows
    .sort((a, b) => a.createdAt - b.createdAt)
    .map((r) => r.template as Template)
    .filter((t) => t && typeof t === 'object' && 'condition' in t);
}

/** Our templates as a DicomPixelAnonymizer script (CTP's format). */
export async function exportCtpScript(): Promise<string> {
  return formatCtpScript(await storedTemplates());
}

/** Adds boxes that matched an imported template to a finished image (no duplicates). */
export async function addTemplateBoxes(
  fileId: FileId,
  boxes: readonly (Box & { source: string; reason: string; templateId?: string })[],
): Promise<boolean> {
  if (boxes.length === 0) return false;
  return db.transaction('rw', db.pixelFindings, async () => {
    const row = await db.pixelFindings.get(fileId);
    if (!row || row.status === 'failed' || row.status === 'pending') return false;
    const held = new Set(row.boxes.map((b) => b.templateId).filter((id) => id));
    const added = boxes
      .filter((b) => !held.has(b.templateId))
      .map((b) => {
        const box: PixelBoxRow = {
          x: b.x,
          y: b.y,
          w: b.w,
          h: b.h,
          source: b.source,
          reason: b.reason,
        };
        if (b.templateId) box.templateId = b.templateId;
        return box;
      });
    if (added.length === 0) return false;
    const { approvedAt: _at, approvedBy: _by, ...rest } = row;
    await db.pixelFindings.put({
      ...rest,
      boxes: [...row.boxes, ...added],
      status: 'found',
      updatedAt: Date.now(),
    });
    return true;
  });
}
