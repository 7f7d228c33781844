// Each verification check in plain words, for the Verify screen (the report keeps the ids and titles).
import type { CheckId } from '../../../core/verify';

export const CHECK_WORDS: Record<CheckId, string> = {
  'manifest-present': 'The package has its list of contents (manifest)',
  'checksums-match': 'No file changed after it was packed (checksums)',
  'no-missing-files': 'No file on the list is missing',
  'no-extra-files': 'No file is there that is not on the list',
  'recipe-matches': 'It was made with the expected recipe',
  'every-file-parses': 'Every file opens as a DICOM image or document',
  'elements-allowed': 'Only the data the recipe allows is left in the headers',
  'private-elements-safe': 'No private (vendor) data is left that could identify someone',
  'identity-removed': 'Every file says it was de-identified, and how',
  'uids-pseudonymous': 'The identifying numbers (UIDs) were replaced',
  'one-pseudonym-per-study': 'Each study belongs to one pseudonymous patient',
  'references-resolve': 'Files that point at other images find them',
  'high-risk-values': 'No value left looks like a name, date, address or ID',
  'pixels-ocr': 'No text is burned into the images (OCR)',
};
