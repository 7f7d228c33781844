// Lists every element of a parsed file at any depth, named the way the app's listing names it.
import { describeValue, pathSegment } from '../deid/explain';
import { decodeText, charsetsOf } from '../dicom/text';
import {
  isPrivateCreator,
  isPrivateTag,
  tagElement,
  tagGroup,
  type DataElement,
  type Dataset,
  type DicomFile,
  type Tag,
} from '../dicom/types';

/** One element where it sits. */
export interface ElementVisit {
  el: DataElement;
  /** 'meta' for the file meta group (0002,xxxx), 'dataset' for everything else. */
  part: 'meta' | 'dataset';
  /** Tags of the enclosing sequences, outermost first (empty at the top level). */
  tags: Tag[];
  /** The enclosing sequence elements, outermost first. */
  ancestors: DataElement[];
  /** 'StudyDescription', 'ReferencedImageSequence > ReferencedSOPInstanceUID', '(0009,1010) "ACME"'. */
  path: string;
  /**
   * For a private data element, the value of the creator that reserves its block (undefined when
   * no creator does); for a private creator element, its own value.
   */
  creator?: string;
  /** For a private data element, the tag of the creator element that reserves its block. */
  creatorTag?: Tag;
  /** The data set (top level or item) the element is in, for reading its siblings. */
  dataset: Dataset;
  /** Specific Character Set values in force for the element. */
  charsets: string[];
}

/** The creator element reserving a private element's block: (gggg,xxyy) → (gggg,00xx). */
export function creatorTagOf(tag: Tag): Tag {
  return ((tagGroup(tag) << 16) | (tagElement(tag) >> 8)) >>> 0;
}

function creatorsOf(ds: Dataset, charsets: string[]): Map<Tag, string> {
  const creators = new Map<Tag, string>();
  for (const el of ds.values()) {
    if (isPrivateCreator(el.tag) && el.bytes) {
      creators.set(
        el.tag,
        decodeText(el.bytes, charsets, 'LO')
          .replace(/[\0 ]+$/, '')
          .trim(),
      );
    }
  }
  return creators;
}

function walk(
  ds: Dataset,
  part: ElementVisit['part'],
  inherited: string[],
  tags: Tag[],
  ancestors: DataElement[],
  labels: string[],
  out: ElementVisit[],
): void {
  const charsets = part === 'meta' ? [] : charsetsOf(ds, inherited);
  const creators = creatorsOf(ds, charsets);
  for (const tag of [...ds.keys()].sort((a, b) => a - b)) {
    const el = ds.get(tag)!;
    let creator: string | undefined;
    let creatorTag: Tag | undefined;
    if (isPrivateCreator(tag)) creator = creators.get(tag);
    else if (isPrivateTag(tag) && tagElement(tag) >= 0x1000) {
      creatorTag = creatorTagOf(tag);
      creator = creators.get(creatorTag);
    }
    out.push({
      el,
      part,
      tags,
      ancestors,
      // The listing names a sequence's children after the sequence's bare segment (apply.ts does the same).
      path: [...labels, pathSegment(tag, creator)].join(' > '),
      ...(creator !== undefined ? { creator } : {}),
      ...(creatorTag !== undefined ? { creatorTag } : {}),
      dataset: ds,
      charsets,
    });
    if (el.items && el.items.length > 0) {
      const innerTags = [...tags, tag];
      const innerAncestors = [...ancestors, el];
      const innerLabels = [...labels, pathSegment(tag)];
      for (const item of el.items) {
        walk(item, part, charsets, innerTags, innerAncestors, innerLabels, out);
      }
    }
  }
}

/** Every element of the file, the meta group first, each data set in tag order, items in order. */
export function walkFile(file: DicomFile): ElementVisit[] {
  const out: ElementVisit[] = [];
  walk(file.meta, 'meta', [], [], [], [], out);
  walk(file.dataset, 'dataset', [], [], [], [], out);
  return out;
}

const NOT_A_VALUE = /^<.*>$/;

/**
 * The value as the app's dump shows it (text decoded, numbers as numbers), or undefined for
 * sequences and values shown only by their size (binary data), which the dump leaves out.
 */
export function visibleValue(visit: ElementVisit, littleEndian: boolean): string | undefined {
  if (visit.el.items || visit.el.vr === 'SQ') return undefined;
  // The meta group is always explicit VR little endian (PS3.10 7.1).
  const value = describeValue(
    visit.el,
    visit.charsets,
    visit.part === 'meta' ? true : littleEndian,
  );
  return NOT_A_VALUE.test(value) ? undefined : value;
}
