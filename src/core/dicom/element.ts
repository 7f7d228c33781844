// Builds new data elements and reads values out of a Dataset (text, numbers, UIDs).
import { charsetsOf, decodeAscii, decodeText, encodeText } from './text';
import type { DataElement, Dataset, Tag, VR } from './types';

/** A text element (any string VR, UI included), encoded as UTF-8 and padded to even length. */
export function textElement(tag: Tag, vr: VR, value: string): DataElement {
  return { tag, vr, bytes: encodeText(value, vr) };
}

function numbersElement(
  tag: Tag,
  vr: VR,
  values: number[],
  size: 2 | 4,
  littleEndian: boolean,
): DataElement {
  const bytes = new Uint8Array(values.length * size);
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => {
    if (size === 2) view.setUint16(i * 2, v, littleEndian);
    else view.setUint32(i * 4, v, littleEndian);
  });
  return { tag, vr, bytes };
}

/** A US element (one value or several). Use the byte order of the data set it goes into. */
export function uint16Element(
  tag: Tag,
  value: number | number[],
  littleEndian = true,
): DataElement {
  return numbersElement(tag, 'US', Array.isArray(value) ? value : [value], 2, littleEndian);
}

/** A UL element (one value or several). Use the byte order of the data set it goes into. */
export function uint32Element(
  tag: Tag,
  value: number | number[],
  littleEndian = true,
): DataElement {
  return numbersElement(tag, 'UL', Array.isArray(value) ? value : [value], 4, littleEndian);
}

/** An element holding the given bytes as its value (not copied). */
export function bytesElement(tag: Tag, vr: VR, bytes: Uint8Array): DataElement {
  return { tag, vr, bytes };
}

/** A sequence (SQ) of items. */
export function sequenceElement(tag: Tag, items: Dataset[]): DataElement {
  return { tag, vr: 'SQ', items };
}

/** A Dataset from elements (later duplicates of a tag win). */
export function datasetFromEntries(elements: Iterable<DataElement>): Dataset {
  const ds: Dataset = new Map();
  for (const el of elements) ds.set(el.tag >>> 0, el);
  return ds;
}

/** Trailing spaces and NULs are padding (PS3.5 6.2); leading spaces are kept. */
function stripTrailingPadding(text: string): string {
  let end = text.length;
  while (end > 0) {
    const c = text.charCodeAt(end - 1);
    if (c !== 0x20 && c !== 0x00) break;
    end -= 1;
  }
  return text.slice(0, end);
}

/**
 * The value of a text element, decoded with `charsets` (default: the data set's own Specific
 * Character Set) and with trailing padding stripped. Multiple values stay joined by backslash.
 * Undefined when the element is absent or has no byte value (a sequence, encapsulated data).
 */
export function getText(ds: Dataset, tag: Tag, charsets?: string[]): string | undefined {
  const el = ds.get(tag);
  if (!el || !el.bytes) return undefined;
  return stripTrailingPadding(decodeText(el.bytes, charsets ?? charsetsOf(ds), el.vr));
}

/** A UID value without its NUL/space padding. */
export function getUid(ds: Dataset, tag: Tag): string | undefined {
  const el = ds.get(tag);
  if (!el || !el.bytes) return undefined;
  return decodeAscii(el.bytes)
    .replace(/[\0 ]+$/, '')
    .trim();
}

const BINARY_SIZE: Partial<Record<VR, number>> = {
  US: 2,
  SS: 2,
  UL: 4,
  SL: 4,
  FL: 4,
  FD: 8,
  SV: 8,
  UV: 8,
};

/**
 * The numbers of a US, SS, UL, SL, FL, FD, SV, UV (binary, in the given byte order) or IS, DS
 * (text) element. Undefined when absent or of another VR; [] when empty. A text value that is not a
 * number gives NaN at its position.
 */
export function getNumbers(ds: Dataset, tag: Tag, littleEndian: boolean): number[] | undefined {
  const el = ds.get(tag);
  if (!el || !el.bytes) return undefined;
  const bytes = el.bytes;
  if (el.vr === 'IS' || el.vr === 'DS') {
    const text = decodeAscii(bytes)
      .replace(/[\0 ]+$/, '')
      .trim();
    if (text === '') return [];
    return text.split('\\').map((v) => (v.trim() === '' ? NaN : Number(v.trim())));
  }
  const size = BINARY_SIZE[el.vr];
  if (size === undefined) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: number[] = [];
  for (let off = 0; off + size <= bytes.length; off += size) {
    switch (el.vr) {
      case 'US':
        out.push(view.getUint16(off, littleEndian));
        break;
      case 'SS':
        out.push(view.getInt16(off, littleEndian));
        break;
      case 'UL':
        out.push(view.getUint32(off, littleEndian));
        break;
      case 'SL':
        out.push(view.getInt32(off, littleEndian));
        break;
      case 'FL':
        out.push(view.getFloat32(off, littleEndian));
        break;
      case 'FD':
        out.push(view.getFloat64(off, littleEndian));
        break;
      case 'SV':
        out.push(Number(view.getBigInt64(off, littleEndian)));
        break;
      case 'UV':
        out.push(Number(view.getBigUint64(off, littleEndian)));
        break;
    }
  }
  return out;
}
