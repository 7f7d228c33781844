// QA flags over inventory rows: incomplete series, mixed patients, risky object types and recipe expectations.

import {
  ENCAPSULATED_PDF_SOP_CLASS,
  isDerivedOrSecondary,
  isDoseReport,
  isScreenSave,
  isSecondaryCapture,
  isStructuredReport,
  saysBurnedInAnnotation,
} from './high-risk';
import type { InstanceRow, SeriesKey } from './index';
import { isKnownPrivateCreator } from './known-private-creators';
import { groupSeries, groupStudies } from './select';

export type QaFlagCode =
  | 'incomplete-series'
  | 'several-patients-in-study'
  | 'mixed-modalities'
  | 'secondary-capture'
  | 'screen-save'
  | 'dose-report'
  | 'sr'
  | 'encapsulated-pdf'
  | 'derived-or-secondary'
  | 'burned-in-annotation'
  | 'unknown-private-creator'
  | 'duplicate-sop-instance'
  | 'slice-thickness-above'
  | 'body-part-unexpected'
  | 'contrast-unexpected'
  | 'sop-class-unexpected'
  | 'modality-unexpected';

/** What a flag is about: some instances, the series as a whole, or the study the series is in. */
export type QaScope = 'instance' | 'series' | 'study';

export interface QaFlag {
  code: QaFlagCode;
  scope: QaScope;
  /** Plain language for the UI. Holds counts, numbers, keywords and creator names; never patient values. */
  explanation: string;
  /** The files concerned, in row order. */
  paths: string[];
}

/** What a recipe expects of the data; each one set turns on its flag. */
export interface QaExpectations {
  /** Flags instances whose SliceThickness is above this (mm). */
  sliceThicknessMax?: number;
  /** Expected BodyPartExamined values (compared case-insensitively); a missing value is flagged too. */
  bodyParts?: readonly string[];
  /** 'with': every instance should name a ContrastBolusAgent; 'without': none should. */
  contrast?: 'with' | 'without';
  /** Expected SOPClassUIDs. */
  sopClasses?: readonly string[];
  /** Expected Modality values. */
  modalities?: readonly string[];
}

/**
 * Two slice positions are evenly spaced when their step differs from the median step by at most
 * max(SPACING_TOLERANCE_MM, SPACING_TOLERANCE_FRACTION × median). Scanners write positions with
 * float noise around 0.001 mm; a missing slice doubles a step, far beyond either bound.
 */
export const SPACING_TOLERANCE_MM = 0.05;
export const SPACING_TOLERANCE_FRACTION = 0.1;
/** Two orientations are the same when no direction cosine differs by more than this. */
export const ORIENTATION_TOLERANCE = 1e-3;

interface InstanceCheck {
  code: QaFlagCode;
  test: (row: InstanceRow) => boolean;
  /** What the hit instances are, in words that read for one or many. */
  label: string;
}

/** "this instance", "all 4 instances" or "2 of 4 instances". */
function countOf(count: number, total: number): string {
  if (count === total) return total === 1 ? 'this instance' : `all ${total} instances`;
  return `${count} of ${total} instance${total > 1 ? 's' : ''}`;
}

const INSTANCE_CHECKS: readonly InstanceCheck[] = [
  {
    code: 'secondary-capture',
    test: isSecondaryCapture,
    label: 'Secondary capture (a picture of a screen or a page, which often shows names and dates)',
  },
  {
    code: 'screen-save',
    test: isScreenSave,
    label: 'Screen save (ImageType SCREEN SAVE): check the pixels for text',
  },
  {
    code: 'dose-report',
    test: isDoseReport,
    label: "Dose report (these print the patient's name, ID and dates in the image or the report)",
  },
  {
    code: 'sr',
    test: isStructuredReport,
    label: 'Structured report (its text content may hold names and dates)',
  },
  {
    code: 'encapsulated-pdf',
    test: (r) => r.SOPClassUID === ENCAPSULATED_PDF_SOP_CLASS,
    label: 'Encapsulated PDF (a document that cannot be de-identified element by element)',
  },
  {
    code: 'derived-or-secondary',
    test: isDerivedOrSecondary,
    label: 'Derived or secondary image (ImageType): made from other images, often with added text',
  },
  {
    code: 'burned-in-annotation',
    test: saysBurnedInAnnotation,
    label: 'BurnedInAnnotation YES: text is drawn into the pixels',
  },
];

/** Flags per series, in order of first appearance; series without flags are left out. */
export function qaFlags(
  rows: readonly InstanceRow[],
  expectations: QaExpectations = {},
): Map<SeriesKey, QaFlag[]> {
  const out = new Map<SeriesKey, QaFlag[]>();
  const add = (key: SeriesKey, flag: QaFlag): void => {
    const list = out.get(key);
    if (list) list.push(flag);
    else out.set(key, [flag]);
  };
  const series = groupSeries(rows);
  const studyFlags = studyLevelFlags(rows);
  const duplicates = duplicateSopInstances(rows);

  for (const [key, group] of series) {
    const paths = group.map((r) => r.path);
    for (const flag of incompleteSeries(group)) add(key, flag);
    const modalities = distinct(group.map((r) => r.Modality));
    if (modalities.length > 1) {
      add(key, {
        code: 'mixed-modalities',
        scope: 'series',
        explanation: `This series mixes ${modalities.length} modalities (${modalities.join(', ')}); a series normally holds one.`,
        paths,
      });
    }
    const study = studyFlags.get(group[0].StudyInstanceUID ?? '');
    if (study) add(key, { ...study, paths });
    for (const check of INSTANCE_CHECKS) {
      const hit = group.filter(check.test);
      if (hit.length > 0) {
        add(key, {
          code: check.code,
          scope: 'instance',
          explanation: `${check.label}: ${countOf(hit.length, group.length)}.`,
          paths: hit.map((r) => r.path),
        });
      }
    }
    const creators = distinct(
      group.flatMap((r) => r.privateCreators.filter((c) => !isKnownPrivateCreator(c))),
    );
    if (creators.length > 0) {
      add(key, {
        code: 'unknown-private-creator',
        scope: 'instance',
        explanation: `Private block${creators.length > 1 ? 's' : ''} from ${creators.map((c) => `'${c}'`).join(', ')} ${creators.length > 1 ? 'are' : 'is'} not on the known list: nobody has checked what ${creators.length > 1 ? 'they hold' : 'it holds'}.`,
        paths: group
          .filter((r) => r.privateCreators.some((c) => !isKnownPrivateCreator(c)))
          .map((r) => r.path),
      });
    }
    const dupRows = group.filter(
      (r) => r.SOPInstanceUID !== undefined && duplicates.has(r.SOPInstanceUID),
    );
    if (dupRows.length > 0) {
      const uids = new Set(dupRows.map((r) => r.SOPInstanceUID!));
      const files = new Set([...uids].flatMap((uid) => duplicates.get(uid)!));
      add(key, {
        code: 'duplicate-sop-instance',
        scope: 'instance',
        explanation: `${files.size} files share ${uids.size === 1 ? 'one SOPInstanceUID' : `${uids.size} SOPInstanceUIDs`}: they claim to be the same instance, and only one of each can go into a package.`,
        paths: [...files],
      });
    }
    for (const flag of expectationFlags(group, expectations)) add(key, flag);
  }
  return out;
}

/** The same flags seen from each file: path → flags that name it. */
export function flagsByInstance(flags: Map<SeriesKey, QaFlag[]>): Map<string, QaFlag[]> {
  const out = new Map<string, QaFlag[]>();
  for (const list of flags.values()) {
    for (const flag of list) {
      for (const path of flag.paths) {
        const existing = out.get(path);
        if (!existing) out.set(path, [flag]);
        else if (!existing.includes(flag)) existing.push(flag);
      }
    }
  }
  return out;
}

function distinct(values: (string | undefined)[]): string[] {
  return [...new Set(values.filter((v): v is string => v !== undefined && v !== ''))];
}

function studyLevelFlags(rows: readonly InstanceRow[]): Map<string, Omit<QaFlag, 'paths'>> {
  const out = new Map<string, Omit<QaFlag, 'paths'>>();
  for (const [key, group] of groupStudies(rows)) {
    const ids = distinct(group.map((r) => r.PatientID));
    if (ids.length > 1 && group[0].StudyInstanceUID) {
      out.set(key, {
        code: 'several-patients-in-study',
        scope: 'study',
        explanation: `The study this series belongs to holds ${ids.length} different PatientIDs: files of different patients may have been merged, or an ID was mistyped.`,
      });
    }
  }
  return out;
}

function duplicateSopInstances(rows: readonly InstanceRow[]): Map<string, string[]> {
  const byUid = new Map<string, string[]>();
  for (const row of rows) {
    if (!row.SOPInstanceUID) continue;
    const list = byUid.get(row.SOPInstanceUID);
    if (list) list.push(row.path);
    else byUid.set(row.SOPInstanceUID, [row.path]);
  }
  for (const [uid, paths] of byUid) if (paths.length < 2) byUid.delete(uid);
  return byUid;
}

/** InstanceNumber gaps and uneven slice spacing along the normal of the image plane. */
function incompleteSeries(group: InstanceRow[]): QaFlag[] {
  const flags: QaFlag[] = [];
  const paths = group.map((r) => r.path);
  const numbers = [
    ...new Set(group.map((r) => r.InstanceNumber).filter((n): n is number => n !== undefined)),
  ].sort((a, b) => a - b);
  if (numbers.length >= 2) {
    const missing: number[] = [];
    for (let i = 1; i < numbers.length && missing.length <= 10; i++) {
      for (let n = numbers[i - 1] + 1; n < numbers[i] && missing.length <= 10; n++) missing.push(n);
    }
    if (missing.length > 0) {
      const shown = missing.slice(0, 10).join(', ') + (missing.length > 10 ? ', …' : '');
      flags.push({
        code: 'incomplete-series',
        scope: 'series',
        explanation: `Instance numbers run from ${numbers[0]} to ${numbers[numbers.length - 1]} but ${shown} ${missing.length === 1 ? 'is' : 'are'} missing: the series may be incomplete.`,
        paths,
      });
    }
  }
  const spacing = unevenSpacing(group);
  if (spacing)
    flags.push({ code: 'incomplete-series', scope: 'series', explanation: spacing, paths });
  return flags;
}

function cross(a: number[], b: number[]): number[] {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

/** Explains uneven spacing, or undefined when spacing is even or cannot be judged. */
function unevenSpacing(group: InstanceRow[]): string | undefined {
  const slices = group.filter(
    (r) =>
      r.ImagePositionPatient?.length === 3 &&
      r.ImageOrientationPatient?.length === 6 &&
      (r.NumberOfFrames ?? 1) <= 1,
  );
  if (slices.length < 3) return undefined;
  const iop = slices[0].ImageOrientationPatient!;
  // A series with several orientations (a localizer, reformats) is not one stack: do not judge it.
  if (
    slices.some((r) =>
      r.ImageOrientationPatient!.some((v, i) => Math.abs(v - iop[i]) > ORIENTATION_TOLERANCE),
    )
  )
    return undefined;
  const normal = cross(iop.slice(0, 3), iop.slice(3, 6));
  const distances = slices
    .map((r) => r.ImagePositionPatient!.reduce((sum, v, i) => sum + v * normal[i], 0))
    .sort((a, b) => a - b);
  const steps = distances.slice(1).map((d, i) => d - distances[i]);
  const median = [...steps].sort((a, b) => a - b)[Math.floor(steps.length / 2)];
  // Several images per position (phases, echoes) is another kind of series: not judged here.
  if (median < SPACING_TOLERANCE_MM) return undefined;
  const tolerance = Math.max(SPACING_TOLERANCE_MM, SPACING_TOLERANCE_FRACTION * median);
  const odd = steps.filter((s) => Math.abs(s - median) > tolerance);
  if (odd.length === 0) return undefined;
  const largest = odd.reduce((a, b) => (Math.abs(b - median) > Math.abs(a - median) ? b : a));
  return `Slices are unevenly spaced: most are ${round(median)} mm apart, but ${odd.length} step${odd.length > 1 ? 's differ' : ' differs'} (up to ${round(largest)} mm): slices may be missing or duplicated.`;
}

function round(n: number): string {
  return String(Math.round(n * 1000) / 1000);
}

function expectationFlags(group: InstanceRow[], e: QaExpectations): QaFlag[] {
  const flags: QaFlag[] = [];
  const flag = (code: QaFlagCode, hit: InstanceRow[], explanation: string): void => {
    if (hit.length > 0)
      flags.push({ code, scope: 'instance', explanation, paths: hit.map((r) => r.path) });
  };
  const total = group.length;
  if (e.sliceThicknessMax !== undefined) {
    const hit = group.filter(
      (r) => r.SliceThickness !== undefined && r.SliceThickness > e.sliceThicknessMax!,
    );
    const thickest = Math.max(...hit.map((r) => r.SliceThickness!));
    flag(
      'slice-thickness-above',
      hit,
      `SliceThickness up to ${thickest} mm, above the ${e.sliceThicknessMax} mm the recipe allows: ${countOf(hit.length, total)}.`,
    );
  }
  if (e.bodyParts !== undefined) {
    const expected = e.bodyParts.map((b) => b.trim().toUpperCase());
    const hit = group.filter(
      (r) => !expected.includes((r.BodyPartExamined ?? '').trim().toUpperCase()),
    );
    const found = distinct(hit.map((r) => r.BodyPartExamined));
    const missing = hit.some((r) => !r.BodyPartExamined);
    flag(
      'body-part-unexpected',
      hit,
      `BodyPartExamined ${[...found, ...(missing ? ['not stated'] : [])].join(', ')} where the recipe expects ${expected.join(', ')}: ${countOf(hit.length, total)}.`,
    );
  }
  if (e.contrast !== undefined) {
    const hasAgent = (r: InstanceRow): boolean => (r.ContrastBolusAgent ?? '').trim() !== '';
    const hit = group.filter((r) => (e.contrast === 'with' ? !hasAgent(r) : hasAgent(r)));
    flag(
      'contrast-unexpected',
      hit,
      e.contrast === 'with'
        ? `No ContrastBolusAgent where the recipe expects contrast-enhanced images: ${countOf(hit.length, total)}.`
        : `A ContrastBolusAgent where the recipe expects images without contrast: ${countOf(hit.length, total)}.`,
    );
  }
  if (e.sopClasses !== undefined) {
    const hit = group.filter((r) => !e.sopClasses!.includes(r.SOPClassUID ?? ''));
    flag(
      'sop-class-unexpected',
      hit,
      `SOPClassUID ${distinct(hit.map((r) => r.SOPClassUID)).join(', ') || 'not stated'}, which the recipe does not expect: ${countOf(hit.length, total)}.`,
    );
  }
  if (e.modalities !== undefined) {
    const expected = e.modalities.map((m) => m.toUpperCase());
    const hit = group.filter((r) => !expected.includes((r.Modality ?? '').toUpperCase()));
    flag(
      'modality-unexpected',
      hit,
      `Modality ${distinct(hit.map((r) => r.Modality)).join(', ') || 'not stated'} where the recipe expects ${expected.join(', ')}: ${countOf(hit.length, total)}.`,
    );
  }
  return flags;
}
