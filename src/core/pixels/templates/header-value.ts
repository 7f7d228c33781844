// The value of a header element as a template condition sees it: CTP's rules (top level only, values joined by backslash, absent = '').
import { getNumbers, getText } from '../../dicom/element';
import { charsetsOf, decodeAscii } from '../../dicom/text';
import type { Dataset, Tag } from '../../dicom/types';
import type { HeaderContext } from './types';

const NUMBER_VRS = new Set(['US', 'SS', 'UL', 'SL', 'FL', 'FD', 'SV', 'UV']);
const BYTE_VRS = new Set(['OB', 'OW', 'OF', 'OD', 'OL', 'OV', 'UN']);

/**
 * The element's value as text, the way CTP's DicomObject.getElementValue gives it: the element at
 * the top level of the data set (or of the file meta group for group 0002), each value trimmed,
 * several values joined by backslash, and '' when the element is absent, empty, binary or a
 * sequence. Binary numbers (US, SS, ...) are written in decimal, so `Rows.equals("512")` works.
 */
export function headerValue(
  dataset: Dataset,
  tag: Tag,
  context: HeaderContext = {},
  charsets?: string[],
): string {
  const source = tag >>> 16 === 0x0002 ? context.meta : dataset;
  const el = source?.get(tag);
  if (!el || !el.bytes || el.items) return '';
  if (NUMBER_VRS.has(el.vr)) {
    const numbers = getNumbers(source as Dataset, tag, context.littleEndian ?? true) ?? [];
    return numbers.map((n) => String(n)).join('\\');
  }
  if (BYTE_VRS.has(el.vr)) {
    // A text element read as UN (implicit VR private data): readable only when it is printable.
    const text = decodeAscii(el.bytes);
    return /^[\x20-\x7e\0]*$/.test(text) ? joinValues(text) : '';
  }
  return joinValues(getText(source as Dataset, tag, charsets) ?? '');
}

/** Header values of one data set, each read once: templates test the same few elements again and again. */
export function headerReader(dataset: Dataset, context: HeaderContext = {}): (tag: Tag) => string {
  const values = new Map<Tag, string>();
  const charsets = charsetsOf(dataset);
  return (tag) => {
    let value = values.get(tag);
    if (value === undefined) {
      value = headerValue(dataset, tag, context, tag >>> 16 === 0x0002 ? undefined : charsets);
      values.set(tag, value);
    }
    return value;
  };
}

function joinValues(text: string): string {
  return text
    .replace(/\0+$/, '')
    .split('\\')
    .map((v) => v.trim())
    .join('\\');
}
