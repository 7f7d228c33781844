// The ordered list of schema versions; a database class declares them up to a given version.
import type Dexie from 'dexie';
import { declareV1 } from './v1';
import { declareV2 } from './v2';
import { declareV3 } from './v3';

/** Each entry declares one `db.version(n)`; append a new module for every schema change, never edit an old one. */
export const SCHEMA_VERSIONS: ReadonlyArray<(db: Dexie) => void> = [
  declareV1,
  declareV2,
  declareV3,
];

export const LATEST_SCHEMA_VERSION = SCHEMA_VERSIONS.length;

export function declareVersions(db: Dexie, upTo = LATEST_SCHEMA_VERSION): void {
  for (const declare of SCHEMA_VERSIONS.slice(0, upTo)) declare(db);
}
