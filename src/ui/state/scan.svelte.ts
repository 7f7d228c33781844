// The scan the Intake screen runs: where the files come from, its progress, cancel, and what follows.
import type { RootKind } from '../../store';
import { addRoot, listRoots } from '../../store';
import { startScan, type ScanHandle, type ScanSourceItem } from '../../pipeline/scan';
import { IDENTIFIER_PATHS } from '../../pipeline/identifiers';
import type { ScanProgress } from '../../pipeline/scan-progress';
import { expectationsOf } from '../../pipeline/selection';
import { isIndexedColumn } from '../../core/inventory/columns';
import { parseRule, rulePaths } from '../../core/inventory/rules';
import { db } from './db';
import { columns, loadRecipe } from './inventory.svelte';
import { scanWorkers } from './pools';
import { navigation } from './steps.svelte';

/** What to scan: a name for the person, the kind of root, and the walk that lists its files. */
export interface ScanRequest {
  name: string;
  kind: RootKind;
  /** Kept in the store so a reload can scan the same folder again after asking for permission. */
  handle?: FileSystemDirectoryHandle;
  /** A fixed root id (the sample set always uses the same one, so a second try resumes). */
  rootId?: string;
  walk: () => AsyncIterable<ScanSourceItem>;
}

export type ScanPhase = 'idle' | 'preparing' | ScanProgress['phase'];

/** Finds the stored root for the same folder (so a rescan resumes), or adds a new one. */
async function rootFor(request: ScanRequest): Promise<string> {
  if (request.rootId) {
    await addRoot(db, { id: request.rootId, name: request.name, kind: request.kind });
    return request.rootId;
  }
  if (request.handle) {
    for (const root of await listRoots(db)) {
      if (root.handle && (await root.handle.isSameEntry(request.handle))) return root.id;
    }
  }
  return (await addRoot(db, { name: request.name, kind: request.kind, handle: request.handle })).id;
}

class ScanRunner {
  phase = $state<ScanPhase>('idle');
  progress = $state<ScanProgress | undefined>();
  /** What went wrong, in plain words (never a value from a file). */
  error = $state<string | undefined>();
  #handle: ScanHandle | undefined;

  get busy(): boolean {
    return this.phase === 'preparing' || this.phase === 'reading' || this.phase === 'aggregating';
  }

  /** Runs a scan to its end; on success the app moves on to the Inventory. */
  async run(prepare: () => Promise<ScanRequest | undefined>): Promise<void> {
    if (this.busy) return;
    this.phase = 'preparing';
    this.error = undefined;
    this.progress = undefined;
    try {
      const request = await prepare();
      if (!request) {
        this.phase = 'idle';
        return;
      }
      const rootId = await rootFor(request);
      const recipe = await loadRecipe();
      const rule = parseRule(recipe.selection.rule ?? '');
      // Besides the identifiers cleaning needs (as in the CLI): what the recipe's rule reads and the
      // columns chosen in the Inventory that are not inventory columns already.
      const extraPaths = [
        ...new Set([
          ...IDENTIFIER_PATHS,
          ...(rule.ok ? rulePaths(rule.rule) : []),
          ...columns.list.filter((c) => !isIndexedColumn(c)),
        ]),
      ];
      this.#handle = startScan({
        db,
        rootId,
        source: request.walk(),
        pool: scanWorkers(),
        extraPaths,
        expectations: expectationsOf(recipe),
        onProgress: (progress) => {
          this.progress = progress;
          this.phase = progress.phase;
        },
      });
      this.phase = 'reading';
      const summary = await this.#handle.done;
      this.phase = summary.state;
      if (summary.state === 'done') {
        navigation.markDone('intake');
        navigation.go('inventory');
      }
    } catch (e) {
      this.phase = 'failed';
      // The error's class only: messages of store or file errors can hold paths.
      this.error = e instanceof Error && e.name === 'AbortError' ? undefined : describeFailure(e);
      if (this.error === undefined) this.phase = 'idle';
    } finally {
      this.#handle = undefined;
    }
  }

  cancel(): void {
    this.#handle?.cancel();
  }
}

function describeFailure(e: unknown): string {
  const name = e instanceof Error ? e.name : 'error';
  if (name === 'NotAllowedError' || name === 'SecurityError') {
    return 'The browser did not allow reading that folder. Choose it again and allow access.';
  }
  if (name === 'QuotaExceededError') {
    return 'The browser ran out of storage space for the inventory. Free some space and try again.';
  }
  return `The scan stopped (${name}). Your files are unchanged; you can start it again.`;
}

export const scan = new ScanRunner();
