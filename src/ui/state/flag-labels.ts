// Short names for the QA flag codes stored on instances (core/inventory/qa.ts gives the long explanations).
import type { QaFlagCode } from '../../core/inventory/qa';

const LABELS: Record<QaFlagCode, string> = {
  'incomplete-series': 'Incomplete series',
  'several-patients-in-study': 'Several patients in study',
  'mixed-modalities': 'Mixed modalities',
  'secondary-capture': 'Secondary capture',
  'screen-save': 'Screen save',
  'dose-report': 'Dose report',
  sr: 'Structured report',
  'encapsulated-pdf': 'Encapsulated PDF',
  'derived-or-secondary': 'Derived image',
  'burned-in-annotation': 'Burned-in text',
  'unknown-private-creator': 'Unknown private tags',
  'duplicate-sop-instance': 'Duplicate instance',
  'slice-thickness-above': 'Slices too thick',
  'body-part-unexpected': 'Unexpected body part',
  'contrast-unexpected': 'Unexpected contrast',
  'sop-class-unexpected': 'Unexpected object type',
  'modality-unexpected': 'Unexpected modality',
};

/** The badge text of a flag code; an unknown code (from a newer version) is shown as it is. */
export function labelOfFlag(code: string): string {
  return (LABELS as Record<string, string>)[code] ?? code;
}
