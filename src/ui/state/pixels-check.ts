// The post-redaction check run from the Pixels screen: a reviewer's boxes filled as the export fills
// them and read again by OCR in the view worker (which starts OCR for it), with the PHI rules the scan
// used for that image; the result is stored on the image's finding row.
import {
  boxesKeyOf,
  identifiersByPatient,
  phiContextFor,
  pixelRulesOf,
  postCheckRowOf,
} from '../../pipeline/pixel-scan';
import type { PhiContext } from '../../core/pixels/detect/types';
import type { FileId, PixelFindingRow, PixelPostCheck } from '../../store/types';
import { db } from './db';
import { loadRecipe } from './inventory.svelte';
import { needsCheck } from './pixels-review';
import { savePostCheck } from './pixels-store';
import { pixelScan } from './pixels.svelte';
import { pixelViewWorker } from './pools';
import { selectedInstances } from './review-files';

/** What counts as PHI in this image: the recipe's pixel rules and its patient's identifiers. */
async function contextOf(fileId: FileId): Promise<PhiContext | undefined> {
  const recipe = await loadRecipe();
  let rows = await selectedInstances(recipe).catch(() => []);
  const instance = rows.find((r) => r.fileId === fileId) ?? (await db.instances.get(fileId));
  if (!instance) return undefined;
  rows = rows.filter((r) => r.patientKey === instance.patientKey);
  if (!rows.includes(instance)) rows.push(instance);
  const identifiers =
    identifiersByPatient(rows.map((row) => ({ row }))).get(instance.patientKey) ?? [];
  return phiContextFor(pixelRulesOf(recipe), instance, identifiers);
}

function notRun(row: PixelFindingRow, why: string): PixelPostCheck {
  return { state: 'not-run', why, checkedAt: Date.now(), boxesKey: boxesKeyOf(row.boxes) };
}

/**
 * Checks the image's boxes as they are now (OCR: a second or more) and stores the result; the
 * check the row then holds is returned. Nothing runs when the stored check is already of these
 * boxes, or when there is nothing to fill.
 */
export async function checkImage(fileId: FileId): Promise<PixelPostCheck | undefined> {
  const row = await db.pixelFindings.get(fileId);
  if (!row || !needsCheck(row)) return row?.postCheck;
  const [file, context] = await Promise.all([pixelScan.fileOf(fileId), contextOf(fileId)]);
  let check: PixelPostCheck;
  if (!file) check = notRun(row, 'the file of this image cannot be opened');
  else if (!context) check = notRun(row, 'the image is no longer in the inventory');
  else {
    try {
      const result = await pixelViewWorker().call('checkRedaction', [
        {
          fileId,
          source: file,
          boxes: row.boxes.map(({ x, y, w, h, frame }) =>
            frame === undefined ? { x, y, w, h } : { x, y, w, h, frame },
          ),
          context,
        },
      ]);
      check = postCheckRowOf(result, row.boxes);
    } catch (error) {
      const name = error instanceof Error ? error.name : 'error';
      check = notRun(row, `the check stopped (${name})`);
    }
  }
  await savePostCheck(fileId, check);
  return (await db.pixelFindings.get(fileId))?.postCheck;
}

/** Before a per-device approval: checks the images of the device whose boxes a reviewer changed. */
export async function checkEditedOfDevice(signature: string): Promise<void> {
  if (!signature) return;
  const rows = await db.pixelFindings.where('signature').equals(signature).toArray();
  for (const row of rows) if (row.edited && needsCheck(row)) await checkImage(row.fileId);
}
