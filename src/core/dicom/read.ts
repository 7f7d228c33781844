// Parses DICOM Part 10 files (and bare data sets) into tag-keyed elements whose values are views of the input bytes.
import { vrsForTag } from './dictionary';
import {
  EXPLICIT_VR_BIG_ENDIAN,
  EXPLICIT_VR_LITTLE_ENDIAN,
  IMPLICIT_VR_LITTLE_ENDIAN,
  syntaxForTransferSyntax,
  trimUid,
} from './syntax';
import { decodeAscii } from './text';
import type { DataElement, Dataset, DicomFile, PixelDataLocation, Syntax, Tag, VR } from './types';
import { DicomReadError, PIXEL_DATA, formatTag, tagGroup } from './types';

export interface ReadOptions {
  /** Stop at PixelData (7FE0,0010): a header-only read. `bytes` may then be a prefix of the file. */
  untilPixelData?: boolean;
  /** Refuse files (or inflated data sets) larger than this many bytes ('too-large'). */
  maxBytes?: number;
  /**
   * Size of the whole file when `bytes` is only its first part. With `untilPixelData`, running out
   * of bytes before PixelData is then 'need-more-bytes' while bytes.length < fileSize, and
   * 'truncated' once the whole file was given. Without it, a header-only read treats `bytes` as a
   * possible prefix: an incomplete element is 'need-more-bytes', a clean end is the end.
   */
  fileSize?: number;
  /** Deepest sequence nesting accepted (default 64): deeper is 'bad-sequence', never a stack overflow. */
  maxDepth?: number;
}

const ITEM = 0xfffee000;
const ITEM_DELIMITATION = 0xfffee00d;
const SEQUENCE_DELIMITATION = 0xfffee0dd;
const UNDEFINED_LENGTH = 0xffffffff;
const TRANSFER_SYNTAX_UID = 0x00020010;
const PIXEL_REPRESENTATION = 0x00280103;

const KNOWN_VRS = new Set<string>([
  'AE',
  'AS',
  'AT',
  'CS',
  'DA',
  'DS',
  'DT',
  'FD',
  'FL',
  'IS',
  'LO',
  'LT',
  'OB',
  'OD',
  'OF',
  'OL',
  'OV',
  'OW',
  'PN',
  'SH',
  'SL',
  'SQ',
  'SS',
  'ST',
  'SV',
  'TM',
  'UC',
  'UI',
  'UL',
  'UN',
  'UR',
  'US',
  'UT',
  'UV',
]);
/** VRs with 2 reserved bytes and a 32-bit length in explicit VR (PS3.5 7.1.2). */
const LONG_VRS = new Set<string>([
  'OB',
  'OD',
  'OF',
  'OL',
  'OV',
  'OW',
  'SQ',
  'UC',
  'UN',
  'UR',
  'UT',
  'SV',
  'UV',
]);

interface Encoding {
  explicitVR: boolean;
  littleEndian: boolean;
}
const IMPLICIT_LE: Encoding = { explicitVR: false, littleEndian: true };

type Kind = 'top' | 'meta' | 'item-defined' | 'item-undefined';

/** Parsing state for one buffer. */
class Parser {
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
          element = { tag, vr: explicitUN ? 'UN' : 'SQ', items: r.items };
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

function isUpperAlpha(b: number | undefined): boolean {
  return b !== undefined && b >= 0x41 && b <= 0x5a;
}

function isZero(bytes: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (bytes[i] !== 0) return false;
  return true;
}

function hex(b: number | undefined): string {
  return b === undefined ? '--' : b.toString(16).padStart(2, '0');
}

function hasMagic(bytes: Uint8Array, at: number): boolean {
  return (
    bytes[at] === 0x44 && bytes[at + 1] === 0x49 && bytes[at + 2] === 0x43 && bytes[at + 3] === 0x4d
  );
}

/** Guesses the encoding of a data set from its first element (files without a transfer syntax). */
function sniffSyntax(bytes: Uint8Array, pos: number): Syntax | undefined {
  if (bytes.length - pos < 8) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const groupLE = view.getUint16(pos, true);
  const groupBE = view.getUint16(pos, false);
  const base = { deflated: false, encapsulated: false };
  // Two capital letters where a VR would be: explicit (a VR unknown to us is still a VR).
  if (isUpperAlpha(bytes[pos + 4]) && isUpperAlpha(bytes[pos + 5])) {
    if (groupLE <= groupBE && groupLE <= 0x00ff) {
      return {
        ...base,
        transferSyntaxUID: EXPLICIT_VR_LITTLE_ENDIAN,
        explicitVR: true,
        littleEndian: true,
      };
    }
    if (groupBE < groupLE && groupBE <= 0x00ff) {
      return {
        ...base,
        transferSyntaxUID: EXPLICIT_VR_BIG_ENDIAN,
        explicitVR: true,
        littleEndian: false,
      };
    }
  }
  const length = view.getUint32(pos + 4, true);
  if (
    groupLE <= 0x00ff &&
    (length === UNDEFINED_LENGTH || length <= bytes.length - pos - 8 || length < 0x10000)
  ) {
    return {
      ...base,
      transferSyntaxUID: IMPLICIT_VR_LITTLE_ENDIAN,
      explicitVR: false,
      littleEndian: true,
    };
  }
  return undefined;
}

/** What precedes the data set: preamble, meta group, and the syntax the data set is encoded in. */
interface Head {
  hasPreamble: boolean;
  meta: Dataset;
  syntax: Syntax;
  datasetStart: number;
}

function readHead(bytes: Uint8Array, prefix: boolean, maxDepth: number): Head {
  let pos = 0;
  let hasPreamble = false;
  if (bytes.length >= 132 && hasMagic(bytes, 128)) {
    hasPreamble = true;
    pos = 132;
  } else if (bytes.length >= 4 && hasMagic(bytes, 0)) {
    pos = 4; // 'DICM' without the preamble: seen from a few writers
  } else if (prefix && bytes.length < 132) {
    throw new DicomReadError(
      'need-more-bytes',
      `The first ${bytes.length} bytes are too few to recognise a DICOM file.`,
      0,
      undefined,
      132,
    );
  }

  let meta: Dataset = new Map();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length - pos >= 8 && view.getUint16(pos, true) === 0x0002) {
    // The meta group is explicit VR little endian (PS3.10 7.1); a few writers got that wrong.
    const vrText = String.fromCharCode(bytes[pos + 4], bytes[pos + 5]);
    const enc: Encoding = KNOWN_VRS.has(vrText)
      ? { explicitVR: true, littleEndian: true }
      : IMPLICIT_LE;
    const parser = new Parser(bytes, prefix, false, maxDepth);
    const r = parser.dataset(pos, bytes.length, enc, 0, 'meta');
    meta = r.dataset;
    pos = r.pos;
  }
  // A preamble without a meta group is not conformant, but the data set may still be readable: sniff it.

  let syntax: Syntax | undefined;
  const tsElement = meta.get(TRANSFER_SYNTAX_UID);
  if (tsElement?.bytes && trimUid(decodeAscii(tsElement.bytes)) !== '') {
    const uid = trimUid(decodeAscii(tsElement.bytes));
    syntax = syntaxForTransferSyntax(uid);
    if (!syntax) {
      throw new DicomReadError(
        'unsupported-syntax',
        `Transfer syntax ${safeUid(uid)} is not one this reader knows.`,
        pos,
        TRANSFER_SYNTAX_UID,
      );
    }
    syntax = checkDeclaredSyntax(bytes, pos, syntax);
  } else {
    if (prefix && bytes.length - pos < 8) {
      throw new DicomReadError(
        'need-more-bytes',
        `The first ${bytes.length} bytes end before the data set.`,
        pos,
        undefined,
        pos + 8,
      );
    }
    syntax = sniffSyntax(bytes, pos);
    if (!syntax) {
      throw new DicomReadError(
        meta.size > 0 ? 'bad-meta' : 'not-dicom',
        meta.size > 0
          ? `The file meta group has no TransferSyntaxUID and the data set at offset ${pos} is in no encoding this reader recognises.`
          : 'Not a DICOM file: no DICM marker and the first bytes are not a DICOM data set.',
        pos,
      );
    }
  }
  return { hasPreamble, meta, syntax, datasetStart: pos };
}

/** UIDs are not PHI, but keep error text bounded and printable whatever the file holds. */
function safeUid(uid: string): string {
  return /^[0-9.]{1,64}$/.test(uid) ? uid : '(not a valid UID)';
}

/**
 * Some writers declare explicit VR little endian and write implicit VR (or the other way round).
 * When the first data set element clearly contradicts a native little endian syntax, follow the
 * bytes: the syntax returned describes how the data set really is encoded.
 */
function checkDeclaredSyntax(bytes: Uint8Array, pos: number, declared: Syntax): Syntax {
  if (
    declared.encapsulated ||
    declared.deflated ||
    !declared.littleEndian ||
    bytes.length - pos < 8
  )
    return declared;
  const sniffed = sniffSyntax(bytes, pos);
  if (!sniffed || !sniffed.littleEndian || sniffed.explicitVR === declared.explicitVR)
    return declared;
  return sniffed;
}

function checkSize(size: number, maxBytes: number | undefined): void {
  if (maxBytes !== undefined && size > maxBytes) {
    throw new DicomReadError(
      'too-large',
      `The file is ${size} bytes, more than the limit of ${maxBytes}.`,
      0,
    );
  }
}

function isPrefixRead(bytes: Uint8Array, options: ReadOptions): boolean {
  return (
    !!options.untilPixelData && (options.fileSize === undefined || bytes.length < options.fileSize)
  );
}

function readBody(
  head: Head,
  source: Uint8Array,
  start: number,
  options: ReadOptions,
  prefix: boolean,
): DicomFile {
  const parser = new Parser(source, prefix, !!options.untilPixelData, options.maxDepth ?? 64);
  const enc: Encoding = head.syntax.deflated
    ? { explicitVR: true, littleEndian: true }
    : { explicitVR: head.syntax.explicitVR, littleEndian: head.syntax.littleEndian };
  const r = parser.dataset(start, source.length, enc, 0, 'top');
  if (options.untilPixelData && !parser.stopped && prefix && options.fileSize !== undefined) {
    throw new DicomReadError(
      'need-more-bytes',
      `The first ${source.length} bytes hold no PixelData yet; the file has ${options.fileSize}.`,
      r.pos,
      undefined,
      source.length + 1,
    );
  }
  return {
    hasPreamble: head.hasPreamble,
    meta: head.meta,
    dataset: r.dataset,
    syntax: head.syntax,
    pixelData: parser.pixelData,
    stoppedAtPixelData: parser.stopped,
    source,
  };
}

/**
 * Reads a DICOM file (or a bare data set) synchronously. Throws DicomReadError, never anything
 * else, for any input. Deflated files need readDicomFile ('unsupported-syntax' here).
 */
export function readDicom(bytes: Uint8Array, options: ReadOptions = {}): DicomFile {
  checkSize(options.fileSize ?? bytes.length, options.maxBytes);
  const prefix = isPrefixRead(bytes, options);
  try {
    const head = readHead(bytes, prefix, options.maxDepth ?? 64);
    if (head.syntax.deflated) {
      throw new DicomReadError(
        'unsupported-syntax',
        `Transfer syntax ${head.syntax.transferSyntaxUID} is deflated; read it with readDicomFile.`,
        head.datasetStart,
        TRANSFER_SYNTAX_UID,
      );
    }
    return readBody(head, bytes, head.datasetStart, options, prefix);
  } catch (e) {
    throw asReadError(e);
  }
}

/** Anything unexpected (a RangeError from a view past the end, say) still surfaces as a DicomReadError. */
function asReadError(e: unknown): DicomReadError {
  if (e instanceof DicomReadError) return e;
  if (e instanceof RangeError) {
    return new DicomReadError('truncated', 'The file ends inside an element (out-of-range read).');
  }
  return new DicomReadError(
    'bad-length',
    `The file could not be parsed (${e instanceof Error ? e.name : 'error'}).`,
  );
}

/**
 * Reads a DICOM file like readDicom, and also Deflated Explicit VR Little Endian: the data set is
 * inflated first and `source` is then the inflated data set (offsets refer to it).
 */
export async function readDicomFile(
  bytes: Uint8Array,
  options: ReadOptions = {},
): Promise<DicomFile> {
  checkSize(options.fileSize ?? bytes.length, options.maxBytes);
  const prefix = isPrefixRead(bytes, options);
  let head: Head;
  try {
    head = readHead(bytes, prefix, options.maxDepth ?? 64);
  } catch (e) {
    throw asReadError(e);
  }
  if (!head.syntax.deflated) return readDicom(bytes, options);
  const inflated = await inflateRaw(
    bytes.subarray(head.datasetStart),
    options.maxBytes ?? 0x7fffffff,
    prefix,
    head.datasetStart,
  );
  try {
    // The inflated data set is complete unless the deflate stream itself was cut short.
    return readBody(head, inflated.bytes, 0, { ...options, fileSize: undefined }, inflated.partial);
  } catch (e) {
    throw asReadError(e);
  }
}

async function inflateRaw(
  deflated: Uint8Array,
  maxBytes: number,
  prefix: boolean,
  offset: number,
): Promise<{ bytes: Uint8Array; partial: boolean }> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let partial = false;
  const input = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(deflated);
      controller.close();
    },
  });
  const reader = input
    .pipeThrough(
      new DecompressionStream('deflate-raw') as unknown as TransformStream<Uint8Array, Uint8Array>,
    )
    .getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw new DicomReadError(
          'too-large',
          `The inflated data set exceeds the limit of ${maxBytes} bytes.`,
          offset,
        );
      }
      chunks.push(value);
    }
  } catch (e) {
    if (e instanceof DicomReadError) throw e;
    if (!prefix) {
      throw new DicomReadError(
        'inflate-failed',
        `The deflated data set starting at offset ${offset} could not be inflated.`,
        offset,
      );
    }
    partial = true; // a prefix of a deflate stream ends early: parse what came out
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return { bytes: out, partial };
}
