// Rebuilds series, study and patient aggregates and per-instance QA flags from all stored instances.
// The work is cut into steps (QA by batches of whole studies, aggregation by slices of rows, reads
// and writes by pages) so the page that runs it never blocks for long: a 100,000-file inventory
// would otherwise hold the main thread for seconds.
import type { InstanceRow } from '../core/inventory';
import { qaFlags, type QaExpectations, type QaFlag } from '../core/inventory/qa';
import { qaBatches } from '../core/inventory/qa-batches';
import { readAllInPages, yieldToEventLoop } from '../store/batch';
import { isHighRisk } from '../core/inventory/high-risk';
import type { CleanroomDb } from '../store/db';
import { replaceAggregates, setInstanceFlags, type Aggregates } from '../store/aggregates';
import type {
  AggregateCounts,
  FileId,
  InstanceRecord,
  PatientRow,
  SeriesRow,
  StudyRow,
} from '../store/types';

const emptyCounts = (): AggregateCounts => ({
  instanceCount: 0,
  bytes: 0,
  flags: [],
  excludedCount: 0,
  highRiskCount: 0,
});

function addInstance(
  counts: AggregateCounts,
  record: InstanceRecord,
  flags: readonly string[],
): void {
  counts.instanceCount++;
  counts.bytes += record.fileSize;
  if (record.decision === 'exclude') counts.excludedCount++;
  if (isHighRisk(record)) counts.highRiskCount++;
  for (const flag of flags) if (!counts.flags.includes(flag)) counts.flags.push(flag);
}

type AggregateResult = Aggregates & { instanceFlags: Map<FileId, string[]> };

/** Rows per step between yields: QA batches and aggregation slices. */
const STEP_ROWS = 2000;

/**
 * Pure part: aggregates and instance flags for a set of records. QA runs on rows whose `path` is the
 * file id, so the flags name files unambiguously across roots.
 */
export function computeAggregates(
  records: readonly InstanceRecord[],
  expectations: QaExpectations = {},
): AggregateResult {
  const steps = aggregateSteps(records, expectations);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** The same as computeAggregates, with `pause` between steps of about STEP_ROWS rows. */
export async function computeAggregatesInSteps(
  records: readonly InstanceRecord[],
  expectations: QaExpectations = {},
  pause: () => Promise<void> = yieldToEventLoop,
): Promise<AggregateResult> {
  const steps = aggregateSteps(records, expectations);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await pause();
  }
}

/** Yields after each step; returns the result. QA batches hold whole studies (see qaBatches). */
function* aggregateSteps(
  records: readonly InstanceRecord[],
  expectations: QaExpectations,
): Generator<void, AggregateResult> {
  const qa = new Map<string, QaFlag[]>();
  for (const batch of qaBatches(records, STEP_ROWS)) {
    const flags = qaFlags(
      batch.map((record): InstanceRow => ({ ...record, path: record.fileId })),
      expectations,
    );
    for (const [key, list] of flags) qa.set(key, list);
    yield;
  }
  const instanceFlags = new Map<FileId, string[]>();
  const seriesFlagCodes = new Map<string, string[]>();
  for (const [seriesKey, flags] of qa) {
    seriesFlagCodes.set(seriesKey, [...new Set(flags.map((f) => f.code))].sort());
    for (const flag of flags) {
      if (flag.scope !== 'instance') continue;
      for (const fileId of flag.paths as FileId[]) {
        const list = instanceFlags.get(fileId) ?? [];
        if (!list.includes(flag.code)) list.push(flag.code);
        instanceFlags.set(fileId, list);
      }
    }
  }
  for (const list of instanceFlags.values()) list.sort();

  const series = new Map<string, SeriesRow>();
  const studies = new Map<string, StudyRow & { seriesKeys: Set<string> }>();
  const patients = new Map<
    string,
    PatientRow & { studyKeys: Set<string>; seriesKeys: Set<string> }
  >();
  let sinceYield = 0;
  for (const record of records) {
    if (++sinceYield >= STEP_ROWS) {
      sinceYield = 0;
      yield;
    }
    const flags = [
      ...new Set([
        ...(instanceFlags.get(record.fileId) ?? []),
        ...(seriesFlagCodes.get(record.seriesKey) ?? []),
      ]),
    ];
    let s = series.get(record.seriesKey);
    if (!s) {
      s = {
        ...emptyCounts(),
        seriesKey: record.seriesKey,
        studyKey: record.studyKey,
        patientKey: record.patientKey,
        SeriesInstanceUID: record.SeriesInstanceUID,
        Modality: record.Modality,
        SeriesDescription: record.SeriesDescription,
        SeriesNumber: record.SeriesNumber,
        qa: (qa.get(record.seriesKey) ?? []).map((f) => ({
          code: f.code,
          scope: f.scope,
          explanation: f.explanation,
          count: f.paths.length,
        })),
      };
      series.set(record.seriesKey, s);
    }
    addInstance(s, record, flags);

    let st = studies.get(record.studyKey);
    if (!st) {
      st = {
        ...emptyCounts(),
        studyKey: record.studyKey,
        patientKey: record.patientKey,
        StudyInstanceUID: record.StudyInstanceUID,
        StudyDate: record.StudyDate,
        StudyDescription: record.StudyDescription,
        seriesCount: 0,
        modalities: [],
        seriesKeys: new Set(),
      };
      studies.set(record.studyKey, st);
    }
    addInstance(st, record, flags);
    st.seriesKeys.add(record.seriesKey);
    if (record.Modality && !st.modalities.includes(record.Modality))
      st.modalities.push(record.Modality);

    let p = patients.get(record.patientKey);
    if (!p) {
      p = {
        ...emptyCounts(),
        patientKey: record.patientKey,
        PatientID: record.PatientID,
        IssuerOfPatientID: record.IssuerOfPatientID,
        studyCount: 0,
        seriesCount: 0,
        studyKeys: new Set(),
        seriesKeys: new Set(),
      };
      patients.set(record.patientKey, p);
    }
    addInstance(p, record, flags);
    p.studyKeys.add(record.studyKey);
    p.seriesKeys.add(record.seriesKey);
  }

  const dropUndefined = <T extends object>(row: T): T => {
    for (const key of Object.keys(row) as (keyof T)[]) if (row[key] === undefined) delete row[key];
    return row;
  };
  return {
    series: [...series.values()].map((s) => dropUndefined({ ...s, flags: s.flags.sort() })),
    studies: [...studies.values()].map(({ seriesKeys, ...st }) =>
      dropUndefined({
        ...st,
        seriesCount: seriesKeys.size,
        flags: st.flags.sort(),
        modalities: st.modalities.sort(),
      }),
    ),
    patients: [...patients.values()].map(({ studyKeys, seriesKeys, ...p }) =>
      dropUndefined({
        ...p,
        studyCount: studyKeys.size,
        seriesCount: seriesKeys.size,
        flags: p.flags.sort(),
      }),
    ),
    instanceFlags,
  };
}

/**
 * Reads every instance (in pages), recomputes (in steps), and writes flags (in pages) and the
 * aggregates back, yielding to the event loop between steps.
 */
export async function rebuildAggregates(
  db: CleanroomDb,
  expectations?: QaExpectations,
  pause: () => Promise<void> = yieldToEventLoop,
): Promise<Aggregates> {
  const records = await readAllInPages(db.instances, { pause });
  await pause();
  const { instanceFlags, ...aggregates } = await computeAggregatesInSteps(
    records,
    expectations,
    pause,
  );
  await setInstanceFlags(db, records, instanceFlags, { pause });
  await replaceAggregates(db, aggregates);
  return aggregates;
}
