// Which instances are likely to carry text in their pixels (the pixel step OCRs these first), and SOP class families.

import type { InstanceRow } from './index';

/** Secondary Capture Image Storage and its multi-frame variants (PS3.4 Annex B.5). */
export const SECONDARY_CAPTURE_SOP_CLASSES: readonly string[] = [
  '1.2.840.10008.5.1.4.1.1.7',
  '1.2.840.10008.5.1.4.1.1.7.1',
  '1.2.840.10008.5.1.4.1.1.7.2',
  '1.2.840.10008.5.1.4.1.1.7.3',
  '1.2.840.10008.5.1.4.1.1.7.4',
];
/** Every Structured Report storage SOP class sits under this root (PS3.4 Annex B.5). */
export const SR_SOP_CLASS_ROOT = '1.2.840.10008.5.1.4.1.1.88.';
/** X-Ray, Radiopharmaceutical and Patient Radiation Dose SR. */
export const DOSE_SR_SOP_CLASSES: readonly string[] = [
  '1.2.840.10008.5.1.4.1.1.88.67',
  '1.2.840.10008.5.1.4.1.1.88.68',
  '1.2.840.10008.5.1.4.1.1.88.73',
];
export const ENCAPSULATED_PDF_SOP_CLASS = '1.2.840.10008.5.1.4.1.1.104.1';

/** Modalities whose images routinely carry burned-in text (names, dates, measurements). */
export const HIGH_RISK_MODALITIES: readonly string[] = ['US', 'SC', 'XA', 'RF', 'ES', 'XC', 'OT'];

// Vendors name dose screens differently: GE "Dose Report", Siemens "Patient Protocol", others "Dose Info".
const DOSE_DESCRIPTION = /\bdose\s*(report|info|summary|sheet)\b|\bpatient\s*protocol\b/i;

export function isSecondaryCapture(row: InstanceRow): boolean {
  return row.SOPClassUID !== undefined && SECONDARY_CAPTURE_SOP_CLASSES.includes(row.SOPClassUID);
}

export function isStructuredReport(row: InstanceRow): boolean {
  return row.SOPClassUID?.startsWith(SR_SOP_CLASS_ROOT) === true || row.Modality === 'SR';
}

export function isScreenSave(row: InstanceRow): boolean {
  return imageTypeHas(row, 'SCREEN SAVE');
}

/** A dose SR, or an image whose series description names a dose screen. */
export function isDoseReport(row: InstanceRow): boolean {
  if (row.SOPClassUID !== undefined && DOSE_SR_SOP_CLASSES.includes(row.SOPClassUID)) return true;
  return DOSE_DESCRIPTION.test(row.SeriesDescription ?? '');
}

/** ImageType value 1 DERIVED or value 2 SECONDARY (PS3.3 C.7.6.1.1.2). */
export function isDerivedOrSecondary(row: InstanceRow): boolean {
  const [pixelData, examination] = row.ImageType ?? [];
  return pixelData?.toUpperCase() === 'DERIVED' || examination?.toUpperCase() === 'SECONDARY';
}

export function saysBurnedInAnnotation(row: InstanceRow): boolean {
  return row.BurnedInAnnotation?.trim().toUpperCase() === 'YES';
}

function imageTypeHas(row: InstanceRow, value: string): boolean {
  return (row.ImageType ?? []).some((v) => v.trim().toUpperCase() === value);
}

/** Why an instance is high risk for burned-in PHI, in plain words; empty when it is not. */
export function highRiskReasons(row: InstanceRow): string[] {
  const reasons: string[] = [];
  if (row.Modality && HIGH_RISK_MODALITIES.includes(row.Modality.toUpperCase())) {
    reasons.push(`Modality ${row.Modality} images often carry burned-in text.`);
  }
  if (isSecondaryCapture(row))
    reasons.push('A secondary capture: a picture of a screen or a document.');
  if (isScreenSave(row)) reasons.push('ImageType says SCREEN SAVE: a screenshot.');
  if (isDoseReport(row))
    reasons.push('A dose report: these show the patient name and dates as text.');
  if (saysBurnedInAnnotation(row)) reasons.push('BurnedInAnnotation is YES.');
  if (imageTypeHas(row, 'SECONDARY'))
    reasons.push('ImageType says SECONDARY: made from other images, often with text.');
  return reasons;
}

/**
 * True for instances the pixel step should always OCR: US, SC, XA, RF, ES, XC, OT, secondary
 * captures, screen saves, dose sheets, BurnedInAnnotation YES, ImageType SECONDARY.
 */
export function isHighRisk(row: InstanceRow): boolean {
  return highRiskReasons(row).length > 0;
}
