// Plans a run before any file is de-identified: which pseudonym and date shift each patient gets,
// and where each selected file goes in the package. Deterministic for the same rows, recipe and
// secret, so the browser and the CLI, a first run and a resumed one, plan the same package.
import { assignPseudonyms, patientKey } from '../core/deid/pseudonyms';
import { dateShiftForPatient } from '../core/deid/dates';
import type { IdentifierToken } from '../core/review/rank';
import { isSiteToken } from './identifiers';
import type { InstanceRow } from '../core/inventory';
import { EntryPathAllocator } from '../core/package/paths';
import type { Recipe } from '../core/profile/recipe';
import type { FileSource } from '../../workers/file-source';

/** One selected file with its inventory row and a way to read its bytes. */
export interface RunFile {
  /** Stable id of the file in this run (the store's file id, or the relative path in the CLI). */
  fileId: string;
  row: InstanceRow;
  read(): Promise<FileSource>;
}

export interface PatientPlan {
  key: string;
  pseudonym: string;
  n: number;
  dateShiftDays: number;
  /** The patient's original identifiers over all their files (for cleaning and ranking). */
  tokens: IdentifierToken[];
}

export interface PlannedFile {
  file: RunFile;
  patient: PatientPlan;
  /** Path inside the package, from de-identified values only. */
  entryPath: string;
  studyIndex: number;
}

export function patientKeyOf(row: InstanceRow): string {
  return patientKey(row.PatientID, row.IssuerOfPatientID);
}

export async function planPatients(
  rows: readonly InstanceRow[],
  identifiers: (row: InstanceRow) => readonly IdentifierToken[] | undefined,
  recipe: Recipe,
  secret: CryptoKey,
  assigned?: ReadonlyMap<string, { n: number }>,
): Promise<Map<string, PatientPlan>> {
  const tokens = new Map<string, Map<string, IdentifierToken>>();
  for (const row of rows) {
    const key = patientKeyOf(row);
    const bucket = tokens.get(key) ?? new Map<string, IdentifierToken>();
    tokens.set(key, bucket);
    for (const t of identifiers(row) ?? []) {
      // A token that is both the patient's and the site's counts as the patient's.
      const had = bucket.get(t.token);
      if (!had || (isSiteToken(had) && !isSiteToken(t))) bucket.set(t.token, t);
    }
  }
  const numbers = await assignPseudonyms(
    tokens.keys(),
    recipe.deid.pseudonymPattern,
    secret,
    assigned,
  );
  const plans = new Map<string, PatientPlan>();
  for (const [key, bucket] of [...tokens].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const { n, pseudonym } = numbers.get(key)!;
    const dateShiftDays = await dateShiftForPatient(secret, key, recipe.deid.dateShiftDays);
    const sorted = [...bucket.values()].sort((a, b) =>
      a.token < b.token ? -1 : a.token > b.token ? 1 : 0,
    );
    plans.set(key, { key, pseudonym, n, dateShiftDays, tokens: sorted });
  }
  return plans;
}

const compareText = (a = '', b = ''): number => (a < b ? -1 : a > b ? 1 : 0);
const compareNumber = (a?: number, b?: number): number =>
  (a ?? Number.MAX_SAFE_INTEGER) - (b ?? Number.MAX_SAFE_INTEGER);

/**
 * Orders the files as the package will hold them and gives each its entry path:
 * patients by pseudonym number, studies by date, series by number, instances by number; ties are
 * broken by original UIDs, which order but never appear.
 */
export function planEntries(
  files: readonly RunFile[],
  patients: ReadonlyMap<string, PatientPlan>,
): PlannedFile[] {
  const studyIndex = new Map<string, number>();
  const byPatient = new Map<string, { uid: string; date: string }[]>();
  for (const f of files) {
    const key = patientKeyOf(f.row);
    const list = byPatient.get(key) ?? [];
    byPatient.set(key, list);
    const uid = f.row.StudyInstanceUID ?? '';
    if (!list.some((s) => s.uid === uid)) list.push({ uid, date: f.row.StudyDate ?? '' });
  }
  for (const [key, studies] of byPatient) {
    studies.sort((a, b) => compareText(a.date, b.date) || compareText(a.uid, b.uid));
    studies.forEach((s, i) => studyIndex.set(`${key}\u0000${s.uid}`, i + 1));
  }
  const planned = files.map((file) => {
    const patient = patients.get(patientKeyOf(file.row));
    if (!patient) throw new Error('a file of a patient that was not planned');
    return {
      file,
      patient,
      studyIndex: studyIndex.get(`${patient.key}\u0000${file.row.StudyInstanceUID ?? ''}`)!,
    };
  });
  planned.sort(
    (a, b) =>
      a.patient.n - b.patient.n ||
      a.studyIndex - b.studyIndex ||
      compareNumber(a.file.row.SeriesNumber, b.file.row.SeriesNumber) ||
      compareText(a.file.row.SeriesInstanceUID, b.file.row.SeriesInstanceUID) ||
      compareNumber(a.file.row.InstanceNumber, b.file.row.InstanceNumber) ||
      compareText(a.file.row.SOPInstanceUID, b.file.row.SOPInstanceUID) ||
      compareText(a.file.fileId, b.file.fileId),
  );
  const paths = new EntryPathAllocator();
  return planned.map((p) => ({
    ...p,
    entryPath: paths.allocate({
      pseudonym: p.patient.pseudonym,
      studyIndex: p.studyIndex,
      seriesNumber: p.file.row.SeriesNumber,
      modality: p.file.row.Modality,
      instanceNumber: p.file.row.InstanceNumber,
    }),
  }));
}
