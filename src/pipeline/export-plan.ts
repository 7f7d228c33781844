// Plans an export from inventory rows, a recipe and a project secret: the selection, the patients'
// pseudonyms and date shifts, the entry paths and the worker setup. DOM-free; the browser's Export
// screen calls it, and it plans exactly what the CLI's plan-run plans for the same rows.
import type { FileSource } from '../../workers/file-source';
import { compileSelection, type SelectableRow } from './selection';
import { planEntries, planPatients, type PlannedFile, type RunFile } from './plan';
import { rowIdentifierTokens } from './identifiers';
import { importSecret } from '../core/deid/keyed-hash';
import type { Recipe } from '../core/profile/recipe';
import type { DeidSetup } from '../../workers/deid-api';

/** The recipe's selection rule does not parse: the export cannot know what to take. */
export class SelectionRuleError extends Error {
  constructor(
    readonly position: number,
    detail: string,
  ) {
    super(`the recipe's selection rule has an error at column ${position + 1}: ${detail}`);
    this.name = 'SelectionRuleError';
  }
}

/** Rows the recipe's selection takes (rule, then decisions by hand), in path order like the CLI. */
export function selectRows<R extends SelectableRow>(rows: readonly R[], recipe: Recipe): R[] {
  const selection = compileSelection(rows, recipe.selection);
  if (!selection.ok)
    throw new SelectionRuleError(selection.error.position, selection.error.message);
  return rows
    .filter(selection.selected)
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

export interface ExportPlan {
  planned: PlannedFile[];
  setup: DeidSetup;
}

/**
 * Plans the selected rows. `read` opens a row's bytes when the export reaches it; `setupId` names
 * this setup for the workers' compile cache (it must change when the recipe or the secret does).
 */
export async function planExport<R extends SelectableRow & { fileId: string }>(
  selected: readonly R[],
  recipe: Recipe,
  secret: Uint8Array,
  read: (row: R) => Promise<FileSource>,
  setupId: string,
): Promise<ExportPlan> {
  const files: RunFile[] = selected.map((row) => ({
    fileId: row.fileId,
    row,
    read: () => read(row),
  }));
  const key = await importSecret(secret);
  const patients = await planPatients(selected, rowIdentifierTokens, recipe, key);
  const planned = planEntries(files, patients);
  const setup: DeidSetup = {
    id: setupId,
    options: recipe.deid.options,
    allowList: recipe.deid.allowList,
    overrides: recipe.deid.overrides,
    secret: secret.slice().buffer,
  };
  return { planned, setup };
}

/** The smallest project secret accepted, as the CLI's --secret-file. */
export const MIN_SECRET_BYTES = 16;

/**
 * A project secret file as the CLI reads it (--secret-file): hex text (at least 32 digits, an even
 * number) is decoded, anything else is taken as raw bytes; at least 16 bytes either way.
 */
export function parseSecretFile(bytes: Uint8Array): Uint8Array {
  const text = new TextDecoder().decode(bytes).trim();
  const secret =
    /^[0-9a-f]{32,}$/i.test(text) && text.length % 2 === 0 ? hexToBytes(text) : bytes.slice();
  if (secret.length < MIN_SECRET_BYTES)
    throw new RangeError(
      `the secret file is too short: it needs at least ${MIN_SECRET_BYTES} bytes`,
    );
  return secret;
}

export function hexToBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export function bytesToHex(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** A short, non-secret name of a secret (first 8 hex digits of its SHA-256), to compare two sites'. */
export async function secretFingerprint(secret: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', secret as Uint8Array<ArrayBuffer>);
  return bytesToHex(new Uint8Array(digest).slice(0, 4));
}
