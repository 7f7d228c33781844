// A device's signature (who made the image, on what, at which size) and a template a reviewer makes from one image.
import { tagForKeyword } from '../../dicom/dictionary';
import type { Dataset } from '../../dicom/types';
import type { Box } from '../types';
import { headerValue } from './header-value';
import type { Condition, HeaderContext, Template } from './types';

/** The header elements that identify a device's screen layout, in the order the signature lists them. */
export const SIGNATURE_KEYWORDS = [
  'Manufacturer',
  'ManufacturerModelName',
  'Modality',
  'Rows',
  'Columns',
] as const;

function signatureValues(dataset: Dataset, context: HeaderContext): [string, string, number][] {
  return SIGNATURE_KEYWORDS.map((keyword) => {
    const tag = tagForKeyword(keyword) as number;
    return [keyword, headerValue(dataset, tag, context), tag];
  });
}

/**
 * The device signature: Manufacturer, ManufacturerModelName, Modality, Rows and Columns as the
 * template conditions see them, e.g. `Manufacturer="GE" ManufacturerModelName="LOGIQ9"
 * Modality="US" Rows="480" Columns="640"`. Two images have the same signature exactly when a
 * template made from one of them (templateFromImage) matches the other.
 */
export function deviceSignature(dataset: Dataset, context: HeaderContext = {}): string {
  return signatureValues(dataset, context)
    .map(([keyword, value]) => `${keyword}=${JSON.stringify(value)}`)
    .join(' ');
}

/** FNV-1a over UTF-16 code units: a short stable id, not a secret. */
function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/**
 * A value the script format can carry as `equals("…")`; one holding '"', '{' or '}' (which CTP's
 * reader cannot hold inside a condition) becomes a `matches` pattern with '.' in their place.
 */
function exactTest(element: string, tag: number, value: string): Condition {
  if (!/["{}]/.test(value)) return { kind: 'test', element, tag, operator: 'equals', value };
  const escaped = value.replace(/[\\^$.*+?()[\]|]/g, '\\$&').replace(/["{}]/g, '.');
  return { kind: 'test', element, tag, operator: 'matches', value: escaped };
}

/**
 * A reviewer's template from one image: its boxes (for every frame; a box's `frame` is dropped)
 * under the condition "same Manufacturer, ManufacturerModelName, Modality, Rows and Columns",
 * so it applies to every image with the same device signature and exports as CTP script.
 */
export function templateFromImage(
  dataset: Dataset,
  boxes: readonly Box[],
  name: string,
  context: HeaderContext = {},
): Template {
  const items = signatureValues(dataset, context).map(([keyword, value, tag]) =>
    exactTest(keyword, tag, value),
  );
  const plain = boxes.map(({ x, y, w, h }) => ({ x, y, w, h }));
  const id = `reviewer-${fnv1a(`${deviceSignature(dataset, context)}|${JSON.stringify(plain)}`)}`;
  return { id, name, condition: { kind: 'and', items }, boxes: plain, source: 'reviewer' };
}
