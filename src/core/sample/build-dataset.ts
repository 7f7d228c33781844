// Builds sample data sets from keyword → value records, choosing each element's VR from the dictionary.

import { tagForKeyword, vrForTag } from '../dicom/dictionary';
import {
  bytesElement,
  sequenceElement,
  textElement,
  uint16Element,
  uint32Element,
} from '../dicom/element';
import type { Dataset, Tag, VR } from '../dicom/types';

/** Text (or several values), numbers (IS, DS, US, UL), sequence items, or raw bytes (OB, OW). */
export type SampleValue = string | number | readonly (string | number)[] | Dataset[] | Uint8Array;

function tagOf(keyword: string): Tag {
  const tag = tagForKeyword(keyword);
  if (tag === undefined) throw new Error(`buildDataset: unknown keyword ${keyword}`);
  return tag;
}

function isItems(value: SampleValue): value is Dataset[] {
  return Array.isArray(value) && value.length > 0 && value[0] instanceof Map;
}

/** Sets one element; the VR is the dictionary's first choice unless given. */
export function setElement(
  ds: Dataset,
  tag: Tag,
  value: SampleValue,
  vr: VR = vrForTag(tag),
): void {
  if (value instanceof Uint8Array) ds.set(tag, bytesElement(tag, vr, value));
  else if (vr === 'SQ') ds.set(tag, sequenceElement(tag, isItems(value) ? value : []));
  else if (vr === 'US')
    ds.set(tag, uint16Element(tag, Array.isArray(value) ? value.map(Number) : Number(value)));
  else if (vr === 'UL')
    ds.set(tag, uint32Element(tag, Array.isArray(value) ? value.map(Number) : Number(value)));
  else ds.set(tag, textElement(tag, vr, Array.isArray(value) ? value.join('\\') : String(value)));
}

/** A data set from a record of keywords; undefined values are left out. */
export function buildDataset(entries: Record<string, SampleValue | undefined>): Dataset {
  const ds: Dataset = new Map();
  for (const [keyword, value] of Object.entries(entries)) {
    if (value !== undefined) setElement(ds, tagOf(keyword), value);
  }
  return ds;
}

/** Adds a private block: the creator at (gggg,00bb) and its elements at (gggg,bbxx). */
export function addPrivateBlock(
  ds: Dataset,
  group: number,
  block: number,
  creator: string,
  elements: readonly { element: number; vr: VR; value: string }[],
): void {
  const creatorTag = ((group << 16) | block) >>> 0;
  ds.set(creatorTag, textElement(creatorTag, 'LO', creator));
  for (const { element, vr, value } of elements) {
    const tag = ((group << 16) | (block << 8) | element) >>> 0;
    ds.set(tag, textElement(tag, vr, value));
  }
}
