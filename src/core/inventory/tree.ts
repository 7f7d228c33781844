// The inventory as a tree: patients → studies → series, with instance and selection counts per node.
import { seriesKeyOf, studyKeyOf, type InstanceRow } from './index';

export interface TreeCounts {
  instances: number;
  selected: number;
  /** Instances the rule matches (decisions by hand ignored). */
  matched: number;
  bytes: number;
}

export interface TreeSeries extends TreeCounts {
  key: string;
  Modality?: string;
  SeriesNumber?: number;
  SeriesDescription?: string;
}

export interface TreeStudy extends TreeCounts {
  key: string;
  StudyDate?: string;
  StudyDescription?: string;
  series: TreeSeries[];
}

export interface TreePatient extends TreeCounts {
  key: string;
  PatientID?: string;
  studies: TreeStudy[];
}

/** A row with the keys the store keeps; without them the keys are computed as the store does. */
export type TreeRow = InstanceRow & { patientKey?: string; studyKey?: string; seriesKey?: string };

const counts = (): TreeCounts => ({ instances: 0, selected: 0, matched: 0, bytes: 0 });

function add(node: TreeCounts, row: TreeRow, selected: boolean, matched: boolean): void {
  node.instances++;
  node.bytes += row.fileSize;
  if (selected) node.selected++;
  if (matched) node.matched++;
}

/**
 * Builds the tree in one pass. Patients by PatientID, studies by StudyDate then UID, series by
 * SeriesNumber then UID: the order a person reads a PACS in.
 */
export function buildInventoryTree(
  rows: readonly TreeRow[],
  selected?: Uint8Array,
  matched?: Uint8Array,
): TreePatient[] {
  const patients = new Map<string, TreePatient & { byKey: Map<string, TreeStudy> }>();
  const seriesOf = new Map<string, TreeSeries>();
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    const isSelected = selected ? selected[i] === 1 : true;
    const isMatched = matched ? matched[i] === 1 : true;
    const patientKey = row.patientKey ?? row.PatientID ?? '';
    let patient = patients.get(patientKey);
    if (!patient) {
      patient = {
        ...counts(),
        key: patientKey,
        PatientID: row.PatientID,
        studies: [],
        byKey: new Map(),
      };
      patients.set(patientKey, patient);
    }
    add(patient, row, isSelected, isMatched);
    const studyKey = row.studyKey ?? studyKeyOf(row);
    let study = patient.byKey.get(studyKey);
    if (!study) {
      study = {
        ...counts(),
        key: studyKey,
        StudyDate: row.StudyDate,
        StudyDescription: row.StudyDescription,
        series: [],
      };
      patient.byKey.set(studyKey, study);
      patient.studies.push(study);
    }
    add(study, row, isSelected, isMatched);
    const seriesKey = row.seriesKey ?? seriesKeyOf(row);
    // A series belongs to the study of its first row (a series split across studies is a QA flag).
    let series = seriesOf.get(`${studyKey}\u0000${seriesKey}`);
    if (!series) {
      series = {
        ...counts(),
        key: seriesKey,
        Modality: row.Modality,
        SeriesNumber: row.SeriesNumber,
        SeriesDescription: row.SeriesDescription,
      };
      seriesOf.set(`${studyKey}\u0000${seriesKey}`, series);
      study.series.push(series);
    }
    add(series, row, isSelected, isMatched);
  }
  const text = (a: string | undefined, b: string | undefined) =>
    (a ?? '\uffff') < (b ?? '\uffff') ? -1 : (a ?? '\uffff') > (b ?? '\uffff') ? 1 : 0;
  const number = (a: number | undefined, b: number | undefined) =>
    a === b ? 0 : a === undefined ? 1 : b === undefined ? -1 : a - b;
  const out = [...patients.values()].map(({ byKey: _byKey, ...patient }) => patient);
  out.sort((a, b) => text(a.PatientID, b.PatientID) || text(a.key, b.key));
  for (const patient of out) {
    patient.studies.sort((a, b) => text(a.StudyDate, b.StudyDate) || text(a.key, b.key));
    for (const study of patient.studies)
      study.series.sort((a, b) => number(a.SeriesNumber, b.SeriesNumber) || text(a.key, b.key));
  }
  return out;
}
