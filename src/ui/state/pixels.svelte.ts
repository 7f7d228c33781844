// The Pixels step's state: the pixel scan run (progress, cancel), the files it reads (kept for the
// thumbnails and the viewer), and the export gate: `pixelGateOpen()` is false while any selected
// image is unread or has boxes no reviewer approved.
import { liveQuery, type Subscription } from 'dexie';
import { parseCtpScript, type Template } from '../../core/pixels/templates';
import type { Recipe } from '../../core/profile/recipe';
import {
  pixelGateOf,
  pixelRulesOf,
  pixelTargets,
  startPixelScan,
  type PixelGate,
  type PixelScanFile,
  type PixelScanHandle,
  type PixelScanProgress,
} from '../../pipeline/pixel-scan';
import type { FileId, InstanceRecord, PixelFindingRow } from '../../store/types';
import { db } from './db';
import { openExportSources, type ExportSources } from './export-sources';
import { loadRecipe } from './inventory.svelte';
import { pixelsWorkers, pixelViewWorker } from './pools';
import { addTemplateBoxes, storedTemplates } from './pixels-store';
import { selectedInstances, SelectionProblem } from './review-files';

export type PixelScanPhase = 'idle' | 'preparing' | 'running' | 'failed';

/** The templates a scan applies: the stored ones and those of the recipe's CTP script. */
async function scanTemplates(recipe: Recipe): Promise<Template[]> {
  const stored = await storedTemplates();
  const fromRecipe = recipe.pixels?.templates
    ? parseCtpScript(recipe.pixels.templates).templates
    : [];
  const ids = new Set(stored.map((t) => t.id));
  return [...stored, ...fromRecipe.filter((t) => !ids.has(t.id))];
}

class PixelScanRunner {
  phase = $state<PixelScanPhase>('idle');
  progress = $state.raw<PixelScanProgress | undefined>();
  /** What went wrong, in plain words (never a value from a file). */
  error = $state<string | undefined>();
  /** Folders that could not be read (what to do about each). */
  problems = $state.raw<string[]>([]);
  /** Applying imported templates to images read before: done and total. */
  matching = $state.raw<{ done: number; total: number } | undefined>();
  #handle: PixelScanHandle | undefined;
  #sources: ExportSources | undefined;
  #rows = new Map<string, InstanceRecord>();

  get busy(): boolean {
    return this.phase === 'preparing' || this.phase === 'running';
  }

  /** Opens the selection's files (call from a click: a picked folder may need permission). */
  async openSources(rows: readonly InstanceRecord[]): Promise<ExportSources> {
    const sources = await openExportSources(rows);
    this.#sources = sources;
    for (const row of rows) this.#rows.set(row.fileId, row);
    this.problems = sources.problems;
    return sources;
  }

  /** The file of a selected image, for thumbnails and the viewer; undefined when it cannot be opened. */
  async fileOf(fileId: FileId): Promise<File | undefined> {
    try {
      let row = this.#rows.get(fileId);
      if (!row) {
        row = await db.instances.get(fileId);
        if (!row) return undefined;
        this.#rows.set(fileId, row);
      }
      const sources = this.#sources ?? (await this.openSources([row]));
      return await sources.read(row);
    } catch {
      return undefined;
    }
  }

  async run(): Promise<void> {
    if (this.busy) return;
    this.phase = 'preparing';
    this.error = undefined;
    this.progress = undefined;
    try {
      const recipe = await loadRecipe();
      const rows = await selectedInstances(recipe);
      const sources = await this.openSources(rows);
      const files: PixelScanFile[] = rows.map((row) => ({
        fileId: row.fileId,
        row,
        read: () => sources.read(row),
      }));
      const rules = pixelRulesOf(recipe, await scanTemplates(recipe));
      this.phase = 'running';
      this.#handle = startPixelScan({
        db,
        files,
        pool: pixelsWorkers(),
        rules,
        onProgress: (p) => (this.progress = p),
      });
      await this.#handle.done;
      this.phase = 'idle';
    } catch (e) {
      this.phase = 'failed';
      this.error = describeFailure(e);
    } finally {
      this.#handle = undefined;
    }
  }

  /** Stops reading; every image finished so far is kept and the next run goes on from there. */
  cancel(): void {
    this.#handle?.cancel();
  }

  /** Adds the boxes of newly imported templates to the images read before, in the view worker. */
  async applyImported(templates: Template[]): Promise<number> {
    if (templates.length === 0) return 0;
    const rows = (await db.pixelFindings.toArray()).filter(
      (r) => r.status === 'found' || r.status === 'clean',
    );
    let changed = 0;
    this.matching = { done: 0, total: rows.length };
    for (const [i, row] of rows.entries()) {
      const file = await this.fileOf(row.fileId);
      if (file) {
        const result = await pixelViewWorker().call('matchHeader', [
          { fileId: row.fileId, source: file, templates },
        ]);
        if ('boxes' in result && (await addTemplateBoxes(row.fileId, result.boxes))) changed++;
      }
      this.matching = { done: i + 1, total: rows.length };
    }
    this.matching = undefined;
    return changed;
  }
}

function describeFailure(e: unknown): string {
  if (e instanceof SelectionProblem)
    return 'The selection rule in the Inventory has an error. Fix it there, then read the images.';
  const name = e instanceof Error ? e.name : 'error';
  if (name === 'QuotaExceededError')
    return 'The browser ran out of storage space. Free some space and read the images again.';
  return `Reading the images stopped (${name}). What was read is kept; start again to go on.`;
}

export const pixelScan = new PixelScanRunner();

/** The selection's images and their findings, as the screen and the gate read them. */
export interface PixelView {
  gate: PixelGate;
  /** Findings of the selected images (images not read yet have none). */
  findings: PixelFindingRow[];
  /** A plain-words problem with the selection, when it cannot be computed. */
  problem?: string;
}

/** Reads the view from the store (use inside liveQuery: it reads only the store). */
export async function readPixelView(): Promise<PixelView> {
  const recipe = await loadRecipe();
  const mode = recipe.pixels?.mode ?? 'redact-all-text-in-high-risk';
  let rows: InstanceRecord[];
  try {
    rows = await selectedInstances(recipe);
  } catch {
    return {
      gate: pixelGateOf([{ fileId: '' }], [], mode),
      findings: [],
      problem: 'The selection rule in the Inventory has an error.',
    };
  }
  const targets = pixelTargets(rows.map((row) => ({ fileId: row.fileId, row })));
  const found = await db.pixelFindings.bulkGet(targets.map((t) => t.fileId));
  const findings = found.filter((f): f is PixelFindingRow => f !== undefined);
  return { gate: pixelGateOf(targets, findings, mode), findings };
}

class PixelGateState {
  current = $state.raw<PixelGate | undefined>();
  subscription: Subscription | undefined;

  /** Starts following the store (once per page; it never stops: the gate is small). */
  watch(): void {
    this.subscription ??= liveQuery(readPixelView).subscribe({
      next: (view) => (this.current = view.gate),
      error: () => (this.current = undefined),
    });
  }
}

export const pixelGate = new PixelGateState();

/**
 * True when the export may go as far as the pixels are concerned: every selected image was read
 * (or the recipe turns the pixel step off) and every image with boxes is approved. Reactive.
 */
export function pixelGateOpen(): boolean {
  pixelGate.watch();
  return pixelGate.current?.open ?? false;
}

/** The gate read now from the store (for the click that starts an export). */
export async function checkPixelGate(): Promise<PixelGate> {
  return (await readPixelView()).gate;
}
