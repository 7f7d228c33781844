// Where the Review step keeps its work between visits: the last dry run's value list and the
// reviewer's decisions, as JSON text in the settings table, and the project secret it runs with.
import { canonicalRecipeJson, type Recipe } from '../../core/profile/recipe';
import type { DumpRow } from '../../core/review/dump';
import { getSetting, setSetting, type SettingRow } from '../../store';
import { db } from './db';
import { loadRecipe } from './inventory.svelte';
import { withReviewOverrides, type ValueDecision } from './review-list';

/** Settings keys this step adds (not yet in the store's typed Settings: see the report). */
export const REVIEW_DUMP_KEY = 'reviewDump' as const;
export const REVIEW_DECISIONS_KEY = 'reviewDecisions' as const;

/** The last finished dry run. Its values are de-identified output only. */
export interface StoredDump {
  version: 1;
  finishedAt: number;
  files: number;
  /** Files that could not be de-identified, counted by reason (no paths, no values). */
  failures: { reason: string; count: number }[];
  /** What the run depended on (selection and de-identification part of the recipe), to tell a stale list. */
  recipeKey: string;
  /** review-gate.ts reviewBasisKey at the run: the same key, without the review's own decisions. */
  basisKey?: string;
  rows: DumpRow[];
}

/** Failures counted by reason: the stored list names no file (paths can hold names). */
export function countByReason(failures: readonly { reason: string }[]): StoredDump['failures'] {
  const counts = new Map<string, number>();
  for (const f of failures) counts.set(f.reason, (counts.get(f.reason) ?? 0) + 1);
  return [...counts].map(([reason, count]) => ({ reason, count }));
}

type TextKey = 'reviewDump' | 'reviewDecisions';

async function readText(key: TextKey): Promise<string | undefined> {
  const row = await db.settings.get(key);
  return typeof row?.value === 'string' ? row.value : undefined;
}

function writeText(key: TextKey, text: string): Promise<unknown> {
  return db.settings.put({ key, value: text } satisfies SettingRow<TextKey>);
}

/** The part of a recipe a dry run's result depends on. */
export function recipeKeyOf(recipe: Recipe): string {
  return canonicalRecipeJson({ selection: recipe.selection, deid: recipe.deid });
}

/** The last text parsed: the gate reads the list after every decision, and 50,000 rows take a while to parse. */
let parsedDump: { text: string; dump: StoredDump | undefined } | undefined;

export async function loadDump(): Promise<StoredDump | undefined> {
  const text = await readText(REVIEW_DUMP_KEY);
  if (text === undefined) return undefined;
  if (parsedDump?.text === text) return parsedDump.dump;
  let dump: StoredDump | undefined;
  try {
    const parsed = JSON.parse(text) as StoredDump;
    dump = parsed.version === 1 && Array.isArray(parsed.rows) ? parsed : undefined;
  } catch {
    dump = undefined;
  }
  parsedDump = { text, dump };
  return dump;
}

/** The name the reviewer typed (settings 'reviewerName'); it goes with each decision. */
export async function loadReviewerName(): Promise<string> {
  return (await getSetting(db, 'reviewerName')) ?? '';
}

export async function saveReviewerName(name: string): Promise<void> {
  await setSetting(db, 'reviewerName', name);
}

export async function saveDump(dump: StoredDump): Promise<void> {
  await writeText(REVIEW_DUMP_KEY, JSON.stringify(dump));
}

export async function loadDecisions(): Promise<ValueDecision[]> {
  const text = await readText(REVIEW_DECISIONS_KEY);
  if (text === undefined) return [];
  try {
    const parsed = JSON.parse(text) as unknown;
    return Array.isArray(parsed) ? (parsed as ValueDecision[]) : [];
  } catch {
    return [];
  }
}

/** Stores the decisions and writes the overrides they make into the recipe, in one transaction. */
export async function saveDecisions(
  before: readonly ValueDecision[],
  after: readonly ValueDecision[],
): Promise<void> {
  await db.transaction('rw', db.settings, async () => {
    const recipe = await loadRecipe();
    await writeText(REVIEW_DECISIONS_KEY, JSON.stringify(after));
    await setSetting(db, 'recipe', JSON.stringify(withReviewOverrides(recipe, before, after)));
  });
}

export class SecretLockedError extends Error {
  constructor() {
    super('the project secret is locked with a passphrase');
    this.name = 'SecretLockedError';
  }
}

/**
 * The project secret's raw bytes (settings key 'projectSecret', shared with the Export screen).
 * When there is none yet, 32 random bytes are made and kept; the check and the write share one
 * transaction so two screens cannot make two secrets.
 */
export async function projectSecretBytes(): Promise<Uint8Array> {
  const stored = await db.transaction('rw', db.settings, async () => {
    const existing = await getSetting(db, 'projectSecret');
    if (existing) return existing;
    const made = { kind: 'raw' as const, bytes: crypto.getRandomValues(new Uint8Array(32)) };
    await setSetting(db, 'projectSecret', made);
    return made;
  });
  if (stored.kind !== 'raw') throw new SecretLockedError();
  return stored.bytes;
}
