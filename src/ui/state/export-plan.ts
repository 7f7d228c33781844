// What the Export screen says will be written: the selection under the stored recipe, counted.
import { selectRows, SelectionRuleError } from '../../pipeline/export-plan';
import type { InstanceRecord } from '../../store';
import { db } from './db';
import { loadRecipe } from './inventory.svelte';

export interface ExportOutline {
  instances: number;
  series: number;
  studies: number;
  patients: number;
  /** Sum of the selected files' sizes: the package is about this size (headers shrink a little). */
  bytes: number;
  packageName: string;
  volumeSize: string | undefined;
  /** The selection rule does not parse (the Inventory shows where). */
  ruleError: boolean;
}

/** Reads the store only (for liveQuery): instances and the recipe in the settings table. */
export async function readExportOutline(): Promise<ExportOutline> {
  const recipe = await loadRecipe();
  const all: InstanceRecord[] = await db.instances.toArray();
  let rows: InstanceRecord[] = [];
  let ruleError = false;
  try {
    rows = selectRows(all, recipe);
  } catch (e) {
    if (!(e instanceof SelectionRuleError)) throw e;
    ruleError = true;
  }
  return {
    instances: rows.length,
    series: new Set(rows.map((r) => r.seriesKey)).size,
    studies: new Set(rows.map((r) => r.studyKey)).size,
    patients: new Set(rows.map((r) => r.patientKey)).size,
    bytes: rows.reduce((sum, r) => sum + r.fileSize, 0),
    packageName: recipe.package.name,
    volumeSize: recipe.package.volumeSize,
    ruleError,
  };
}

/** 1536 → '1.5 KB'; decimal units, as disks are sold. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** 75 → '1 min 15 s'. */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.ceil(seconds)} s`;
  const minutes = Math.floor(seconds / 60);
  return minutes < 60
    ? `${minutes} min ${Math.round(seconds % 60)} s`
    : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
