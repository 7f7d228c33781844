// The Cleanroom IndexedDB (Dexie 4): one class, opened the same way by the page, workers and tests.
import Dexie, { type DexieOptions, type Table } from 'dexie';
import { declareVersions } from './versions';
import type {
  FileId,
  FileRow,
  InstanceRecord,
  PatientRow,
  PseudonymRow,
  RootRow,
  RunRow,
  SeriesRow,
  SettingRow,
  StudyRow,
  UidMapRow,
  PixelFindingRow,
  TemplateRow,
  ExportJobRow,
} from './types';

export const DEFAULT_DB_NAME = 'cleanroom';

export interface CleanroomDbOptions extends DexieOptions {
  /** Declare versions only up to this one (upgrade tests open an older schema first). */
  upTo?: number;
}

export class CleanroomDb extends Dexie {
  roots!: Table<RootRow, string>;
  files!: Table<FileRow, FileId>;
  instances!: Table<InstanceRecord, FileId>;
  series!: Table<SeriesRow, string>;
  studies!: Table<StudyRow, string>;
  patients!: Table<PatientRow, string>;
  runs!: Table<RunRow, string>;
  settings!: Table<SettingRow, string>;
  pseudonyms!: Table<PseudonymRow, string>;
  uidMap!: Table<UidMapRow, string>;
  pixelFindings!: Table<PixelFindingRow, FileId>;
  templates!: Table<TemplateRow, string>;
  exportJobs!: Table<ExportJobRow, string>;

  constructor(name = DEFAULT_DB_NAME, options: CleanroomDbOptions = {}) {
    const { upTo, ...dexieOptions } = options;
    super(name, dexieOptions);
    declareVersions(this, upTo);
  }
}

/** Opens the database; in a page and in a worker at once is fine (IndexedDB serialises transactions). */
export async function openDb(
  name = DEFAULT_DB_NAME,
  options?: CleanroomDbOptions,
): Promise<CleanroomDb> {
  const db = new CleanroomDb(name, options);
  await db.open();
  return db;
}
