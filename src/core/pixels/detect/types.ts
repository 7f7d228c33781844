// Types of burned-in text detection: OCR inputs and words, the engine a platform supplies, and the PHI context.

import type { Box, Gray8 } from '../types';

/**
 * One image handed to OCR: always one grey channel, dark text on a light background when
 * `inverted` did its job. A point (x, y) of `image` is frame pixel
 * (offsetX + x / scale, offsetY + y / scale).
 */
export interface OcrInput {
  image: Gray8;
  scale: number;
  offsetX: number;
  offsetY: number;
  /** True when the grey values were inverted (light text made dark). */
  inverted: boolean;
  /** Which preprocessing made it, for benchmarks: e.g. 'page', 'line ×3'. */
  label: string;
  /**
   * How OCR should segment it: 'page' (automatic layout, tesseract's mode 3, the default) or
   * 'sparse' (scattered words in no order, mode 11).
   */
  layout?: 'page' | 'sparse';
}

/** A word that OCR read; `box` is in frame pixels (already mapped back from the OCR input). */
export interface OcrWord {
  text: string;
  /** 0..100 */
  confidence: number;
  box: Box;
}

/** OCR as core sees it. Platforms implement it with tesseract.js (browser worker, Node). */
export interface OcrEngine {
  recognize(input: OcrInput): Promise<OcrWord[]>;
  terminate(): Promise<void>;
}

/** What counts as PHI for one image. */
export interface PhiContext {
  /** 'all-text': every word but safe tokens; 'identifiers': the patient's values and generic PHI shapes. */
  mode: 'all-text' | 'identifiers';
  /** The patient's original values: names, IDs, dates, accession numbers (any DICOM form). */
  identifiers: string[];
  /** Words never redacted (orientation markers, units, scale numbers, device labels). */
  safeTokens: string[];
}
