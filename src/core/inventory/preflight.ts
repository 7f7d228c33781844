// The pre-flight report: what a run would take, before anything is written. Counts by modality, SOP
// class and device; high-risk images by kind; unknown private creators; studies with several patient
// IDs; estimated output size and time. It names no patient value: only counts, keywords, SOP class
// UIDs, device names and private creator names (the strings vendors put in their private blocks).
import { isKnownPrivateCreator } from './known-private-creators';
import {
  isDoseReport,
  isScreenSave,
  isSecondaryCapture,
  saysBurnedInAnnotation,
  HIGH_RISK_MODALITIES,
} from './high-risk';
import { studyKeyOf, type InstanceRow } from './index';

export interface PreflightCount {
  name: string;
  instances: number;
}

export interface PreflightReport {
  /** What the report covers: the selection (what a run would take). */
  instances: number;
  series: number;
  studies: number;
  patients: number;
  bytes: number;
  /** Everything the scan found, for scale. */
  foundInstances: number;
  byModality: PreflightCount[];
  bySopClass: PreflightCount[];
  /** Manufacturer and ManufacturerModelName. */
  byDevice: PreflightCount[];
  highRisk: {
    total: number;
    ultrasound: number;
    secondaryCapture: number;
    screenSave: number;
    doseReport: number;
    burnedInAnnotation: number;
    /** Other modalities that often carry text (XA, RF, ES, XC, OT). */
    otherModality: number;
  };
  unknownPrivateCreators: PreflightCount[];
  /** Studies whose instances carry more than one PatientID (no IDs named). */
  studiesWithSeveralIds: number;
  estimate: { outputBytes: number; seconds: number; filesPerSecond: number; mbPerSecond: number };
}

export interface PreflightOptions {
  /**
   * Export speed the estimate assumes. Defaults: the deid-chromium benchmark on a 2-core machine
   * (about 38 files/s and 20 MB/s); the slower of the two bounds the time.
   */
  filesPerSecond?: number;
  mbPerSecond?: number;
}

function countsOf(map: Map<string, number>): PreflightCount[] {
  return [...map]
    .map(([name, instances]) => ({ name, instances }))
    .sort((a, b) => b.instances - a.instances || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/** Builds the report over the rows `selected` marks (all rows when it is absent). */
export function preflightReport(
  rows: readonly InstanceRow[],
  selected?: Uint8Array,
  options: PreflightOptions = {},
): PreflightReport {
  const modality = new Map<string, number>();
  const sopClass = new Map<string, number>();
  const device = new Map<string, number>();
  const creators = new Map<string, number>();
  const series = new Set<string>();
  const studies = new Map<string, Set<string>>();
  const patients = new Set<string>();
  const highRisk = {
    total: 0,
    ultrasound: 0,
    secondaryCapture: 0,
    screenSave: 0,
    doseReport: 0,
    burnedInAnnotation: 0,
    otherModality: 0,
  };
  let instances = 0;
  let bytes = 0;
  for (let i = 0; i < rows.length; i++) {
    if (selected && selected[i] !== 1) continue;
    const row = rows[i];
    instances++;
    bytes += row.fileSize;
    bump(modality, row.Modality || '(none)');
    bump(sopClass, row.SOPClassUID || '(none)');
    bump(
      device,
      [row.Manufacturer, row.ManufacturerModelName].filter(Boolean).join(' ') || '(not given)',
    );
    series.add(row.SeriesInstanceUID ?? `(none) ${i}`);
    const study = studyKeyOf(row);
    const ids = studies.get(study) ?? new Set<string>();
    ids.add(row.PatientID ?? '');
    studies.set(study, ids);
    patients.add(row.PatientID ?? '');
    for (const creator of new Set(row.privateCreators))
      if (!isKnownPrivateCreator(creator)) bump(creators, creator);
    const m = row.Modality?.toUpperCase() ?? '';
    const kinds = {
      ultrasound: m === 'US',
      secondaryCapture: isSecondaryCapture(row) || m === 'SC',
      screenSave: isScreenSave(row),
      doseReport: isDoseReport(row),
      burnedInAnnotation: saysBurnedInAnnotation(row),
      otherModality: m !== 'US' && m !== 'SC' && HIGH_RISK_MODALITIES.includes(m),
    };
    let any = false;
    for (const [kind, yes] of Object.entries(kinds) as [keyof typeof kinds, boolean][]) {
      if (!yes) continue;
      highRisk[kind]++;
      any = true;
    }
    if (any) highRisk.total++;
  }
  const filesPerSecond = options.filesPerSecond ?? 38;
  const mbPerSecond = options.mbPerSecond ?? 20;
  const seconds = Math.max(instances / filesPerSecond, bytes / 1e6 / mbPerSecond);
  return {
    instances,
    series: series.size,
    studies: studies.size,
    patients: patients.size,
    bytes,
    foundInstances: rows.length,
    byModality: countsOf(modality),
    bySopClass: countsOf(sopClass),
    byDevice: countsOf(device),
    highRisk,
    unknownPrivateCreators: countsOf(creators),
    studiesWithSeveralIds: [...studies.values()].filter((ids) => ids.size > 1).length,
    // Headers are rewritten and pixel data passed through: the output is about the input's size.
    estimate: { outputBytes: bytes, seconds, filesPerSecond, mbPerSecond },
  };
}

/** Bytes in words: '1.2 GB', '350 MB', '12 kB'. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(bytes >= 1e8 ? 0 : 1)} MB`;
  if (bytes >= 1e3) return `${Math.round(bytes / 1e3)} kB`;
  return `${bytes} bytes`;
}

/** Seconds in words: 'under a minute', 'about 12 minutes', 'about 2.5 hours'. */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return 'under a minute';
  if (seconds < 3600) return `about ${Math.round(seconds / 60)} minutes`;
  return `about ${(seconds / 3600).toFixed(1)} hours`;
}

/** The report as plain text, one fact a line, for saving beside the dataset's paperwork. */
export function preflightText(
  report: PreflightReport,
  title = 'Cleanroom pre-flight report',
): string {
  const lines: string[] = [title, '='.repeat(title.length), ''];
  lines.push(
    `Selected: ${report.instances} images in ${report.series} series, ${report.studies} studies, ${report.patients} patients (of ${report.foundInstances} images found).`,
    `Estimated output size: ${formatBytes(report.estimate.outputBytes)}.`,
    `Estimated time: ${formatDuration(report.estimate.seconds)} (at about ${report.estimate.filesPerSecond} files/s and ${report.estimate.mbPerSecond} MB/s; your computer may differ).`,
    '',
  );
  const list = (heading: string, counts: PreflightCount[]) => {
    lines.push(`${heading}:`);
    if (counts.length === 0) lines.push('  none');
    for (const c of counts) lines.push(`  ${c.name}: ${c.instances}`);
    lines.push('');
  };
  list('Images by modality', report.byModality);
  list('Images by SOP class (SOPClassUID)', report.bySopClass);
  list('Images by device (Manufacturer, ManufacturerModelName)', report.byDevice);
  const h = report.highRisk;
  lines.push(
    `High-risk images (text may be burned into the pixels): ${h.total}`,
    `  ultrasound: ${h.ultrasound}`,
    `  secondary capture: ${h.secondaryCapture}`,
    `  screen save: ${h.screenSave}`,
    `  dose sheet or report: ${h.doseReport}`,
    `  BurnedInAnnotation YES: ${h.burnedInAnnotation}`,
    `  other modalities that often carry text (XA, RF, ES, XC, OT): ${h.otherModality}`,
    '',
  );
  list('Unknown private creators (images)', report.unknownPrivateCreators);
  lines.push(`Studies with more than one PatientID: ${report.studiesWithSeveralIds}`, '');
  lines.push('This report holds counts and device names only, no patient details.');
  return `${lines.join('\n')}\n`;
}
