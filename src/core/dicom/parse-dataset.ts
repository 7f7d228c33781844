// Walks the elements of a data set buffer: headers, sequences, items and fragments, with typed errors at offsets.
import { vrsForTag } from './dictionary';
import type { DataElement, Dataset, PixelDataLocation, Tag, VR } from './types';
import { DicomReadError, PIXEL_DATA, formatTag, tagGroup } from './types';

const ITEM = 0xfffee000;
const ITEM_DELIMITATION = 0xfffee00d;
const SEQUENCE_DELIMITATION = 0xfffee0dd;
export const UNDEFINED_LENGTH = 0xffffffff;
const PIXEL_REPRESENTATION = 0x00280103;

export const KNOWN_VRS = new Set<string>(
  'AE AS AT CS DA DS DT FD FL IS LO LT OB OD OF OL OV OW PN SH SL SQ SS ST SV TM UC UI UL UN UR US UT UV'.split(
    ' ',
  ),
);
/** VRs with 2 reserved bytes and a 32-bit length in explicit VR (PS3.5 7.1.2). */
const LONG_VRS = new Set<string>('OB OD OF OL OV OW SQ UC UN UR UT SV UV'.split(' '));

export interface Encoding {
  explicitVR: boolean;
  littleEndian: boolean;
}
export const IMPLICIT_LE: Encoding = { explicitVR: false, littleEndian: true };

export type Kind = 'top' | 'meta' | 'item-defined' | 'item-undefined';

/** Parsing state for one buffer. */
export class Parser {
  readonly view: DataView;
  pixelData: PixelDataLocation | undefined;
  stopped = false;

  constructor(
    readonly bytes: Uint8Array,
    /** True when `bytes` may be a prefix: running out is 'need-more-bytes', not 'truncated'. */
    readonly prefix: boolean,
    readonly untilPixelData: boolean,
    readonly maxDepth: number,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  u16(pos: number, le: boolean): number {
    return this.view.getUint16(pos, le);
  }

  u32(pos: number, le: boolean): number {
    return this.view.getUint32(pos, le);
  }

  tag(pos: number, le: boolean): Tag {
    return ((this.view.getUint16(pos, le) << 16) | this.view.getUint16(pos + 2, le)) >>> 0;
  }

  /** Ran out of bytes at `at` while `need` bytes were wanted in total: truncated, or ask for more. */
  short(at: number, need: number, tag: Tag | undefined, what: string): never {
    const where = tag === undefined ? '' : ` of ${formatTag(tag)}`;
    if (this.prefix && need > this.bytes.length) {
      throw new DicomReadError(
        'need-more-bytes',
        `The first ${this.bytes.length} bytes end inside the ${what}${where} at offset ${at}; read more of the file.`,
        at,
        tag,
        need,
      );
    }
    throw new DicomReadError(
      'truncated',
      `The file ends inside the ${what}${where} at offset ${at} (it needs ${need} bytes, has ${this.bytes.length}).`,
      at,
      tag,
    );
  }

  /** A length that runs past its container (not past the buffer) is a bad length, not truncation. */
  overrun(at: number, end: number, limit: number, tag: Tag | undefined, what: string): never {
    if (end > this.bytes.length) this.short(at, end, tag, what);
    throw new DicomReadError(
      'bad-length',
      `The ${what}${tag === undefined ? '' : ` of ${formatTag(tag)}`} at offset ${at} runs to ${end}, past the end of its container at ${limit}.`,
      at,
      tag,
    );
  }

  /** Reads elements from `pos` up to `end` (or an item delimiter, or the end of group 0002 for meta). */
  dataset(
    pos: number,
    end: number,
    enc: Encoding,
    depth: number,
    kind: Kind,
  ): { dataset: Dataset; pos: number } {
    const ds: Dataset = new Map();
    const bytes = this.bytes;
    const le = enc.littleEndian;
    while (pos < end) {
      if (end - pos < 8) {
        if (kind === 'top' && !this.prefix && isZero(bytes, pos, end))
          return { dataset: ds, pos: end };
        // A few bytes after the meta group may be the start of a (deflated) data set.
        if (kind === 'meta' && (end - pos < 2 || this.u16(pos, true) !== 0x0002)) break;
        if (kind === 'top' || kind === 'item-undefined' || kind === 'meta')
          this.short(pos, pos + 8, undefined, 'element header');
        this.overrun(pos, pos + 8, end, undefined, 'element header');
      }
      const start = pos;
      const tag = this.tag(pos, le);
      if (kind === 'meta' && tagGroup(tag) !== 0x0002) break;
      if (tag === ITEM_DELIMITATION) {
        if (kind === 'item-undefined') return { dataset: ds, pos: pos + 8 };
        pos += 8; // a stray delimiter: harmless, skip it
        continue;
      }
      if (tag === SEQUENCE_DELIMITATION) {
        if (kind === 'item-undefined' || kind === 'item-defined') return { dataset: ds, pos }; // item left unterminated
        pos += 8;
        continue;
      }
      if (tag === ITEM) {
        if (kind === 'item-undefined' || kind === 'item-defined') return { dataset: ds, pos }; // next item began
        throw new DicomReadError(
          'bad-sequence',
          `An item tag (FFFE,E000) outside any sequence at offset ${pos}.`,
          pos,
          tag,
        );
      }

      // Element header.
      let vr: VR;
      let length: number;
      let valueStart: number;
      let explicitUN = false;
      let vrInFile = false;
      if (enc.explicitVR) {
        const vrText = String.fromCharCode(bytes[pos + 4], bytes[pos + 5]);
        if (KNOWN_VRS.has(vrText)) {
          vr = vrText as VR;
          vrInFile = true;
          if (LONG_VRS.has(vr)) {
            if (end - pos < 12) this.headerShort(pos, end, tag, kind);
            length = this.u32(pos + 8, le);
            valueStart = pos + 12;
          } else {
            length = this.u16(pos + 6, le);
            valueStart = pos + 8;
          }
          explicitUN = vr === 'UN';
        } else if (
          isUpperAlpha(bytes[pos + 4]) &&
          isUpperAlpha(bytes[pos + 5]) &&
          bytes[pos + 6] === 0 &&
          bytes[pos + 7] === 0
        ) {
          // A VR this reader does not know: PS3.5 6.2 says new VRs use the long form; read it as UN.
          if (end - pos < 12) this.headerShort(pos, end, tag, kind);
          vr = 'UN';
          length = this.u32(pos + 8, le);
          valueStart = pos + 12;
        } else {
          const implicitLength = this.u32(pos + 4, le);
          if (implicitLength === UNDEFINED_LENGTH && end - pos < 16)
            this.headerShort(pos, end, tag, kind, 16);
          const fits =
            implicitLength === UNDEFINED_LENGTH
              ? this.tag(pos + 8, le) === ITEM
              : pos + 8 + implicitLength <= end;
          if (
            le &&
            !fits &&
            implicitLength !== UNDEFINED_LENGTH &&
            this.prefix &&
            pos + 8 + implicitLength > bytes.length
          ) {
            this.short(pos, pos + 8 + implicitLength, tag, 'value'); // may fit once more of the file is read
          }
          if (le && fits) {
            // Some writers drop into implicit VR for single elements; the length fits, so accept it.
            vr = implicitVR(tag, ds, le);
            length = implicitLength;
            valueStart = pos + 8;
          } else {
            throw new DicomReadError(
              'bad-vr',
              `Element ${formatTag(tag)} at offset ${pos} has an invalid VR (bytes ${hex(bytes[pos + 4])} ${hex(bytes[pos + 5])}).`,
              pos,
              tag,
            );
          }
        }
      } else {
        length = this.u32(pos + 4, le);
        valueStart = pos + 8;
        vr = implicitVR(tag, ds, le);
      }

      if (tag === PIXEL_DATA && kind === 'top' && this.untilPixelData) {
        this.pixelData = {
          elementStart: start,
          valueStart,
          declaredLength: length === UNDEFINED_LENGTH ? undefined : length,
          elementEnd:
            length === UNDEFINED_LENGTH ? this.fragmentsEnd(valueStart, le) : valueStart + length,
        };
        this.stopped = true;
        return { dataset: ds, pos: start };
      }

      let element: DataElement;
      if (length === UNDEFINED_LENGTH) {
        const encapsulated =
          tag === PIXEL_DATA ||
          (vr !== 'SQ' &&
            vr !== 'UN' &&
            (vr === 'OB' || vr === 'OW' || !enc.explicitVR) &&
            this.looksLikeFragments(valueStart, end, le));
        if (encapsulated) {
          const r = this.fragments(valueStart, end, le, tag);
          // Keep the VR the file states (OB, or OW from some writers) so the element is rewritten as it was.
          element = { tag, vr: vrInFile ? vr : 'OB', fragments: r.fragments };
          pos = r.pos;
        } else if (vr === 'SQ' || vr === 'UN' || !enc.explicitVR) {
          // UN of undefined length holds implicit VR little endian items (PS3.5 6.2.2 note).
          const itemEnc = explicitUN ? IMPLICIT_LE : enc;
          const r = this.sequence(valueStart, end, undefined, itemEnc, depth + 1, tag);
          const asSequence = !explicitUN || dictionaryVrOfUN(tag, ds, le) === 'SQ';
          element = { tag, vr: asSequence ? 'SQ' : 'UN', items: r.items };
          pos = r.pos;
        } else {
          throw new DicomReadError(
            'bad-length',
            `Element ${formatTag(tag)} (${vr}) at offset ${start} has an undefined length, which only sequences and encapsulated pixel data may have.`,
            start,
            tag,
          );
        }
      } else {
        const valueEnd = valueStart + length;
        if (valueEnd > end) {
          if (kind === 'top' || kind === 'item-undefined')
            this.short(start, valueEnd, tag, 'value');
          this.overrun(start, valueEnd, end, tag, 'value');
        }
        if (vr === 'SQ') {
          const r = this.sequence(valueStart, end, valueEnd, enc, depth + 1, tag);
          element = { tag, vr, items: r.items };
        } else if (explicitUN) {
          element = this.knownElementWrittenAsUN(tag, ds, le, valueStart, valueEnd, depth);
        } else {
          element = { tag, vr, bytes: bytes.subarray(valueStart, valueEnd) };
        }
        pos = valueEnd;
      }
      ds.set(tag, element);
      if (tag === PIXEL_DATA && kind === 'top') {
        this.pixelData = {
          elementStart: start,
          valueStart,
          elementEnd: pos,
          declaredLength: length === UNDEFINED_LENGTH ? undefined : length,
        };
      }
    }
    if (kind === 'item-undefined')
      this.short(pos, pos + 8, undefined, 'item (no item delimiter before the end)');
    return { dataset: ds, pos };
  }

  /**
   * A standard element a writer stored as UN (a converter that did not know it): read it by the
   * dictionary's VR, so that it is de-identified like any other. Its sequence items are implicit VR
   * little endian (PS3.5 6.2.2); kept as opaque UN bytes, a UN-coded sequence carried original UIDs
   * and names past every rule. Items that do not parse leave the value as UN bytes.
   */
  knownElementWrittenAsUN(
    tag: Tag,
    ds: Dataset,
    le: boolean,
    valueStart: number,
    valueEnd: number,
    depth: number,
  ): DataElement {
    const raw: DataElement = { tag, vr: 'UN', bytes: this.bytes.subarray(valueStart, valueEnd) };
    const known = dictionaryVrOfUN(tag, ds, le);
    if (known === 'UN') return raw;
    if (known !== 'SQ') return { tag, vr: known, bytes: raw.bytes };
    try {
      const r = this.sequence(valueStart, valueEnd, valueEnd, IMPLICIT_LE, depth + 1, tag);
      return { tag, vr: 'SQ', items: r.items };
    } catch (error) {
      if (error instanceof DicomReadError) return raw;
      throw error;
    }
  }

  headerShort(pos: number, end: number, tag: Tag, kind: Kind, size = 12): never {
    if (kind === 'top' || kind === 'item-undefined' || kind === 'meta')
      this.short(pos, pos + size, tag, 'element header');
    this.overrun(pos, pos + size, end, tag, 'element header');
  }

  /** Items of a sequence, from `pos`; `definedEnd` is set for a defined-length sequence. */
  sequence(
    pos: number,
    end: number,
    definedEnd: number | undefined,
    enc: Encoding,
    depth: number,
    seqTag: Tag,
  ): { items: Dataset[]; pos: number } {
    if (depth > this.maxDepth) {
      throw new DicomReadError(
        'bad-sequence',
        `Sequence ${formatTag(seqTag)} at offset ${pos} is nested deeper than ${this.maxDepth} levels.`,
        pos,
        seqTag,
      );
    }
    const le = enc.littleEndian;
    const limit = definedEnd ?? end;
    const items: Dataset[] = [];
    for (;;) {
      if (definedEnd !== undefined && pos >= definedEnd) return { items, pos: definedEnd };
      if (limit - pos < 8) {
        if (definedEnd === undefined) this.short(pos, pos + 8, seqTag, 'sequence');
        this.overrun(pos, pos + 8, limit, seqTag, 'item header');
      }
      const tag = this.tag(pos, le);
      const length = this.u32(pos + 4, le);
      if (tag === SEQUENCE_DELIMITATION) {
        if (definedEnd === undefined) return { items, pos: pos + 8 };
        pos += 8; // stray delimiter inside a defined-length sequence
        continue;
      }
      if (tag === ITEM_DELIMITATION) {
        pos += 8; // an item delimiter after a defined-length item: tolerated
        continue;
      }
      if (tag !== ITEM) {
        throw new DicomReadError(
          'bad-sequence',
          `Sequence ${formatTag(seqTag)}: expected an item at offset ${pos}, found ${formatTag(tag)}.`,
          pos,
          seqTag,
        );
      }
      if (length === UNDEFINED_LENGTH) {
        const r = this.dataset(pos + 8, limit, enc, depth, 'item-undefined');
        items.push(r.dataset);
        pos = r.pos;
      } else {
        const itemEnd = pos + 8 + length;
        if (itemEnd > limit) {
          if (definedEnd === undefined) this.short(pos, itemEnd, seqTag, 'item');
          this.overrun(pos, itemEnd, limit, seqTag, 'item');
        }
        const r = this.dataset(pos + 8, itemEnd, enc, depth, 'item-defined');
        items.push(r.dataset);
        // An item that stopped early at a sequence delimiter keeps the rest of its bytes unread.
        pos = itemEnd;
      }
    }
  }

  /** Encapsulated pixel data: items of defined length up to the sequence delimiter (PS3.5 A.4). */
  fragments(
    pos: number,
    end: number,
    le: boolean,
    tag: Tag,
  ): { fragments: Uint8Array[]; pos: number } {
    const fragments: Uint8Array[] = [];
    for (;;) {
      if (end - pos < 8) this.short(pos, pos + 8, tag, 'encapsulated pixel data');
      const itemTag = this.tag(pos, le);
      const length = this.u32(pos + 4, le);
      if (itemTag === SEQUENCE_DELIMITATION) return { fragments, pos: pos + 8 };
      if (itemTag !== ITEM) {
        throw new DicomReadError(
          'bad-sequence',
          `Encapsulated data of ${formatTag(tag)}: expected a fragment item at offset ${pos}, found ${formatTag(itemTag)}.`,
          pos,
          tag,
        );
      }
      if (length === UNDEFINED_LENGTH) {
        throw new DicomReadError(
          'bad-length',
          `A fragment of ${formatTag(tag)} at offset ${pos} has an undefined length.`,
          pos,
          tag,
        );
      }
      if (pos + 8 + length > end) this.short(pos, pos + 8 + length, tag, 'pixel data fragment');
      fragments.push(this.bytes.subarray(pos + 8, pos + 8 + length));
      pos += 8 + length;
    }
  }

  /** The end of encapsulated data found by hopping over item headers, or undefined if not within the bytes. */
  fragmentsEnd(pos: number, le: boolean): number | undefined {
    const end = this.bytes.length;
    while (end - pos >= 8) {
      const itemTag = this.tag(pos, le);
      const length = this.u32(pos + 4, le);
      if (itemTag === SEQUENCE_DELIMITATION) return pos + 8;
      if (itemTag !== ITEM || length === UNDEFINED_LENGTH) return undefined;
      pos += 8 + length;
    }
    return undefined;
  }

  /** Undefined-length OB/OW (or implicit) data that starts with an item holding a defined length. */
  looksLikeFragments(pos: number, end: number, le: boolean): boolean {
    if (end - pos < 8) return false;
    return (
      this.tag(pos, le) === ITEM &&
      this.u32(pos + 4, le) !== UNDEFINED_LENGTH &&
      !this.itemLooksLikeDataset(pos + 8, end, le)
    );
  }

  /** In implicit VR a sequence item starts with an element tag of an even or private group; fragments rarely do. */
  itemLooksLikeDataset(pos: number, end: number, le: boolean): boolean {
    if (end - pos < 8) return false;
    const group = this.u16(pos, le);
    return group >= 0x0008 && group < 0x7fe0 && this.u32(pos + 4, le) <= end - pos;
  }
}

/**
 * The VR to read a standard element stored as UN by, or 'UN' to keep it as stored: private and
 * unknown elements, PixelData (passed through as it was written), and big endian files (whose UN
 * values have no agreed byte order).
 */
function dictionaryVrOfUN(tag: Tag, ds: Dataset, le: boolean): VR {
  const group = tag >>> 16;
  if (!le || (group & 1) === 1 || group < 0x0008 || tag === PIXEL_DATA) return 'UN';
  return implicitVR(tag, ds, le);
}

/** The VR of an element whose VR the file does not say, resolving 'US or SS' by PixelRepresentation. */
function implicitVR(tag: Tag, ds: Dataset, le: boolean): VR {
  const vrs = vrsForTag(tag);
  if (vrs.length === 0) return 'UN';
  if (vrs.length === 1) return vrs[0];
  if (vrs.includes('OW')) return 'OW'; // pixel data, LUT data: OW is always valid in implicit VR
  if (vrs.includes('SS')) {
    const pr = ds.get(PIXEL_REPRESENTATION)?.bytes;
    const signed =
      pr !== undefined &&
      pr.length >= 2 &&
      new DataView(pr.buffer, pr.byteOffset, 2).getUint16(0, le) === 1;
    return signed ? 'SS' : 'US';
  }
  return vrs[0];
}

export function isUpperAlpha(b: number | undefined): boolean {
  return b !== undefined && b >= 0x41 && b <= 0x5a;
}

function isZero(bytes: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (bytes[i] !== 0) return false;
  return true;
}

function hex(b: number | undefined): string {
  return b === undefined ? '--' : b.toString(16).padStart(2, '0');
}
