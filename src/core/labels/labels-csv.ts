// Labels CSV in and out: the site's file (original identifiers → label) and the package's labels.csv (pseudonymous keys).
import { parseCsv, toCsv } from '../csv/csv';

/** The identifier a labels file is keyed by: a DICOM keyword the export can map to its pseudonymous value. */
export type LabelKeyColumn =
  'PatientID' | 'StudyInstanceUID' | 'SeriesInstanceUID' | 'SOPInstanceUID' | 'AccessionNumber';

export const LABEL_KEY_COLUMNS: readonly LabelKeyColumn[] = [
  'PatientID',
  'StudyInstanceUID',
  'SeriesInstanceUID',
  'SOPInstanceUID',
  'AccessionNumber',
];

/** A problem with one line of a labels file. Messages name lines and columns, never values (keys are PHI). */
export interface LabelsProblem {
  /** 1-based line of the file (1 is the header). */
  line: number;
  message: string;
}

export interface LabelsCsv {
  /** key → label; keys are whatever the file holds (original identifiers at a site, pseudonyms in a package). */
  labels: Map<string, string>;
  keyColumn: LabelKeyColumn;
  /** The header of the label column as written in the file ('label' when the file has none usable). */
  labelColumn: string;
  problems: LabelsProblem[];
}

/** Header spellings that name each key column: 'PatientID', 'patient_id', 'Patient ID', 'MRN', 'accession', ... */
const KEY_ALIASES: Record<LabelKeyColumn, readonly string[]> = {
  PatientID: ['patientid', 'patient', 'mrn', 'pid'],
  StudyInstanceUID: ['studyinstanceuid', 'studyuid', 'study'],
  SeriesInstanceUID: ['seriesinstanceuid', 'seriesuid', 'series'],
  SOPInstanceUID: ['sopinstanceuid', 'sopuid', 'instanceuid', 'instance'],
  AccessionNumber: ['accessionnumber', 'accession', 'accessionno', 'acc'],
};
const LABEL_NAMES = ['label', 'labels', 'target', 'class', 'outcome', 'diagnosis', 'finding', 'y'];

const squash = (header: string): string => header.toLowerCase().replace(/[\s_\-.]/g, '');

function keyColumnOf(header: string): LabelKeyColumn | undefined {
  const s = squash(header);
  return LABEL_KEY_COLUMNS.find((k) => KEY_ALIASES[k].includes(s));
}

/**
 * Reads a labels CSV: a header row, one column naming the identifier (PatientID, StudyInstanceUID,
 * SeriesInstanceUID, SOPInstanceUID or AccessionNumber, in common spellings) and one label column
 * (the other column of a two-column file, else one named label/target/class/…, else the first
 * other column). Never throws: an unusable file gives an empty map and problems on line 1.
 */
export function parseLabelsCsv(text: string): LabelsCsv {
  const problems: LabelsProblem[] = [];
  const labels = new Map<string, string>();
  const rows = parseCsv(text.replace(/^\uFEFF/, ''));
  const header = (rows[0] ?? []).map((h) => h.trim());
  let keyIndex = header.findIndex((h) => keyColumnOf(h) !== undefined);
  const keyColumn: LabelKeyColumn = keyIndex >= 0 ? keyColumnOf(header[keyIndex])! : 'PatientID';
  if (keyIndex < 0) {
    problems.push({
      line: 1,
      message: `No identifier column: the header must name one of ${LABEL_KEY_COLUMNS.join(', ')}.`,
    });
    keyIndex = -1;
  }
  const others = header.map((h, i) => ({ h, i })).filter(({ i }) => i !== keyIndex);
  const named = others.find(({ h }) => LABEL_NAMES.includes(squash(h)));
  const labelEntry = others.length === 1 ? others[0] : (named ?? others[0]);
  if (keyIndex >= 0 && labelEntry === undefined)
    problems.push({ line: 1, message: 'No label column: the header has only the identifier.' });
  const labelColumn = labelEntry?.h || 'label';
  if (keyIndex < 0 || labelEntry === undefined) return { labels, keyColumn, labelColumn, problems };

  const lineOf = new Map<string, number>();
  for (let r = 1; r < rows.length; r++) {
    const line = r + 1;
    const row = rows[r];
    if (row.every((c) => c.trim() === '')) continue;
    if (row.length !== header.length) {
      problems.push({
        line,
        message: `has ${row.length} columns where the header has ${header.length}.`,
      });
      continue;
    }
    const key = (row[keyIndex] ?? '').trim();
    const label = (row[labelEntry.i] ?? '').trim();
    if (key === '') {
      problems.push({ line, message: `has no ${keyColumn}.` });
      continue;
    }
    if (label === '') {
      problems.push({ line, message: `has no ${labelColumn}.` });
      continue;
    }
    const before = labels.get(key);
    if (before !== undefined && before !== label) {
      problems.push({
        line,
        message: `gives the same ${keyColumn} as line ${lineOf.get(key)} a different ${labelColumn}; the first one is kept.`,
      });
      continue;
    }
    if (before === undefined) {
      labels.set(key, label);
      lineOf.set(key, line);
    }
  }
  return { labels, keyColumn, labelColumn, problems };
}

/**
 * The package's labels.csv: header `<keyColumn>,<labelColumn>`, one row per pseudonymous key,
 * sorted by key so the same labels always give the same bytes. Give it only relabelled keys.
 */
export function formatLabelsCsv(
  labels: ReadonlyMap<string, string>,
  keyColumn: LabelKeyColumn,
  labelColumn = 'label',
): string {
  const rows = [...labels].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return toCsv([keyColumn, labelColumn], rows);
}
