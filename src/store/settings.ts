// Repository of settings: one typed value per key (recipe, screen, reviewer, project secret).
import type { CleanroomDb } from './db';
import type { Settings } from './types';

export async function getSetting<K extends keyof Settings>(
  db: CleanroomDb,
  key: K,
): Promise<Settings[K] | undefined> {
  const row = await db.settings.get(key);
  return row?.value as Settings[K] | undefined;
}

export async function setSetting<K extends keyof Settings>(
  db: CleanroomDb,
  key: K,
  value: Settings[K],
): Promise<void> {
  await db.settings.put({ key, value });
}

export async function deleteSetting(db: CleanroomDb, key: keyof Settings): Promise<void> {
  await db.settings.delete(key);
}
