// The DICOM data model every core module shares: tag-keyed elements holding their raw value bytes.
//
// Values are kept as the bytes found in the file (source byte order, source character set) so that
// an element nobody touches is written back bit for bit. Text is decoded on demand through
// `text.ts`; new values are encoded by the same module. Sequences hold nested datasets.

/** A tag as one unsigned 32-bit number: (group << 16 | element) >>> 0. */
export type Tag = number;

export type VR =
  | 'AE'
  | 'AS'
  | 'AT'
  | 'CS'
  | 'DA'
  | 'DS'
  | 'DT'
  | 'FD'
  | 'FL'
  | 'IS'
  | 'LO'
  | 'LT'
  | 'OB'
  | 'OD'
  | 'OF'
  | 'OL'
  | 'OV'
  | 'OW'
  | 'PN'
  | 'SH'
  | 'SL'
  | 'SQ'
  | 'SS'
  | 'ST'
  | 'SV'
  | 'TM'
  | 'UC'
  | 'UI'
  | 'UL'
  | 'UN'
  | 'UR'
  | 'US'
  | 'UT'
  | 'UV';

/** One element. Exactly one of `bytes`, `items`, `fragments` is set. */
export interface DataElement {
  tag: Tag;
  vr: VR;
  /** The value bytes (even length as stored), for every VR but SQ and encapsulated pixel data. */
  bytes?: Uint8Array;
  /** Items of a sequence (SQ, or UN that was parsed as an undefined-length sequence). */
  items?: Dataset[];
  /** Encapsulated pixel data: the Basic Offset Table first, then every fragment, as stored. */
  fragments?: Uint8Array[];
}

/** A dataset: elements keyed by tag. Writers sort by tag; insertion order carries no meaning. */
export type Dataset = Map<Tag, DataElement>;

/** How the data set (after the file meta group) is encoded. */
export interface Syntax {
  transferSyntaxUID: string;
  explicitVR: boolean;
  littleEndian: boolean;
  deflated: boolean;
  /** Pixel data is encapsulated (JPEG, RLE, JPEG-LS, JPEG 2000, ...). */
  encapsulated: boolean;
}

/** Where the PixelData element sits in the (inflated) data set buffer, for pass-through writing. */
export interface PixelDataLocation {
  /** Offset of the element's tag in `DicomFile.source` (the file, or the inflated buffer). */
  elementStart: number;
  /**
   * Offset just after the element (after the sequence delimiter for encapsulated data).
   * Undefined only in a header-only read (`untilPixelData`) of encapsulated pixel data whose end
   * lies beyond the bytes given: `source.subarray(elementStart, elementEnd)` then still means
   * "from PixelData to the end of what was given", and the caller takes the rest from the file.
   * For a defined length it is always valueStart + declaredLength, even past the bytes given.
   */
  elementEnd: number | undefined;
  /** Offset of the first value byte. */
  valueStart: number;
  /** The element's declared length, or undefined for undefined length (encapsulated). */
  declaredLength: number | undefined;
}

export interface DicomFile {
  /** True when the file began with a 128-byte preamble and 'DICM'. */
  hasPreamble: boolean;
  /** Group 0002 (empty when the file had no meta header). */
  meta: Dataset;
  dataset: Dataset;
  syntax: Syntax;
  /** Present when the data set has a PixelData (7FE0,0010) element. */
  pixelData?: PixelDataLocation;
  /** True when reading stopped at PixelData (header-only read): elements after it are absent. */
  stoppedAtPixelData: boolean;
  /** The buffer offsets refer to: the file bytes, or the inflated data set for deflated files. */
  source: Uint8Array;
}

/** A reason a file cannot be read, in words a person understands, with where it happened. */
export class DicomReadError extends Error {
  constructor(
    readonly code:
      | 'not-dicom'
      | 'truncated'
      | 'bad-length'
      | 'bad-vr'
      | 'bad-sequence'
      | 'bad-meta'
      | 'unsupported-syntax'
      | 'too-large'
      | 'inflate-failed'
      /** Header-only read of a prefix: the prefix ended before PixelData; retry with more bytes from `offset`. */
      | 'need-more-bytes',
    message: string,
    readonly offset?: number,
    readonly tag?: Tag,
    /** For 'need-more-bytes': a lower bound on the prefix length that lets the read get further. */
    readonly minBytes?: number,
  ) {
    super(message);
    this.name = 'DicomReadError';
  }
}

export const PIXEL_DATA: Tag = 0x7fe00010;

/** Formats a tag the way the standard prints it: (0010,0010). */
export function formatTag(tag: Tag): string {
  const hex = (tag >>> 0).toString(16).toUpperCase().padStart(8, '0');
  return `(${hex.slice(0, 4)},${hex.slice(4)})`;
}

export function tagGroup(tag: Tag): number {
  return tag >>> 16;
}

export function tagElement(tag: Tag): number {
  return tag & 0xffff;
}

export function isPrivateTag(tag: Tag): boolean {
  return (tagGroup(tag) & 1) === 1;
}

/** Private creator elements: (gggg,0010-00FF) with an odd group. */
export function isPrivateCreator(tag: Tag): boolean {
  const el = tagElement(tag);
  return isPrivateTag(tag) && el >= 0x10 && el <= 0xff;
}
