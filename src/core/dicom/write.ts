// Serialises a Dataset (and a Part 10 file around it) in a given transfer syntax, values written as stored.
import { EXPLICIT_VR_LITTLE_ENDIAN, syntaxForTransferSyntax } from './syntax';
import type { DataElement, Dataset, PixelDataLocation, Syntax, Tag } from './types';
import { PIXEL_DATA, tagElement, tagGroup } from './types';

/** Cleanroom's Implementation Class UID (a UUID-derived UID, PS3.5 B.2) and version name. */
export const CLEANROOM_IMPLEMENTATION_CLASS_UID = '2.25.139741205092843130945681614697026989730';
export const CLEANROOM_IMPLEMENTATION_VERSION_NAME = 'CLEANROOM_0_1';

const ITEM = 0xfffee000;
const ITEM_DELIMITATION = 0xfffee00d;
const SEQUENCE_DELIMITATION = 0xfffee0dd;
const UNDEFINED_LENGTH = 0xffffffff;
const LONG_VRS = new Set<string>('OB OD OF OL OV OW SQ UC UN UR UT SV UV'.split(' '));
/** VRs padded with a space to even length; the rest (binary, UI) with NUL (PS3.5 6.2). */
const SPACE_PADDED = new Set<string>('AE AS CS DA DS DT IS LO LT PN SH ST TM UC UR UT'.split(' '));

type Encoding = Pick<Syntax, 'explicitVR' | 'littleEndian'>;
const IMPLICIT_LE: Encoding = { explicitVR: false, littleEndian: true };
const EXPLICIT_LE: Encoding = { explicitVR: true, littleEndian: true };

export interface WriteOptions {
  /** Write only top-level elements whose tag is below this one (e.g. PIXEL_DATA for a header). */
  before?: Tag;
  /** Write only top-level elements whose tag is above this one (e.g. PIXEL_DATA for trailing elements). */
  after?: Tag;
}

/** Group lengths are dropped (stale after any edit, optional in the standard); item tags never belong in a data set. */
function written(tag: Tag): boolean {
  return tagElement(tag) !== 0 && tagGroup(tag) !== 0xfffe;
}

function sortedElements(ds: Dataset, options?: WriteOptions): DataElement[] {
  const out: DataElement[] = [];
  for (const el of ds.values()) {
    const tag = el.tag >>> 0;
    if (!written(tag)) continue;
    if (options?.before !== undefined && tag >= options.before >>> 0) continue;
    if (options?.after !== undefined && tag <= options.after >>> 0) continue;
    out.push(el);
  }
  return out.sort((a, b) => (a.tag >>> 0) - (b.tag >>> 0));
}

function padded(length: number): number {
  return length + (length & 1);
}

/** The VR written in the header: a short-form VR too long for a 16-bit length becomes UN. */
function headerVR(el: DataElement): string {
  if (el.bytes && !LONG_VRS.has(el.vr) && padded(el.bytes.length) > 0xffff) return 'UN';
  return el.vr;
}

function headerSize(vr: string, enc: Encoding): number {
  return enc.explicitVR && LONG_VRS.has(vr) ? 12 : 8;
}

function itemsSize(items: Dataset[], enc: Encoding): number {
  let size = 8; // sequence delimiter
  for (const item of items) size += 16 + datasetSize(sortedElements(item), enc);
  return size;
}

function elementSize(el: DataElement, enc: Encoding): number {
  const vr = el.items ? (el.vr === 'UN' ? 'UN' : 'SQ') : headerVR(el);
  let size = headerSize(vr, enc);
  if (el.items) size += itemsSize(el.items, el.vr === 'UN' ? IMPLICIT_LE : enc);
  else if (el.fragments) {
    size += 8;
    for (const f of el.fragments) size += 8 + f.length;
  } else size += padded(el.bytes?.length ?? 0);
  return size;
}

function datasetSize(elements: DataElement[], enc: Encoding): number {
  let size = 0;
  for (const el of elements) size += elementSize(el, enc);
  return size;
}

class Out {
  pos = 0;
  readonly view: DataView;
  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  tag(tag: Tag, le: boolean): void {
    this.view.setUint16(this.pos, tag >>> 16, le);
    this.view.setUint16(this.pos + 2, tag & 0xffff, le);
    this.pos += 4;
  }
  u16(v: number, le: boolean): void {
    this.view.setUint16(this.pos, v, le);
    this.pos += 2;
  }
  u32(v: number, le: boolean): void {
    this.view.setUint32(this.pos, v >>> 0, le);
    this.pos += 4;
  }
  ascii(s: string): void {
    for (let i = 0; i < s.length; i++) this.bytes[this.pos++] = s.charCodeAt(i);
  }
  raw(b: Uint8Array): void {
    this.bytes.set(b, this.pos);
    this.pos += b.length;
  }
}

function writeHeader(out: Out, tag: Tag, vr: string, length: number, enc: Encoding): void {
  const le = enc.littleEndian;
  out.tag(tag, le);
  if (!enc.explicitVR) {
    out.u32(length, le);
  } else if (LONG_VRS.has(vr)) {
    out.ascii(vr);
    out.u16(0, le);
    out.u32(length, le);
  } else {
    out.ascii(vr);
    out.u16(length, le);
  }
}

function writeElements(out: Out, elements: DataElement[], enc: Encoding): void {
  const le = enc.littleEndian;
  for (const el of elements) {
    if (el.items) {
      const itemEnc = el.vr === 'UN' ? IMPLICIT_LE : enc;
      writeHeader(out, el.tag, el.vr === 'UN' ? 'UN' : 'SQ', UNDEFINED_LENGTH, enc);
      for (const item of el.items) {
        out.tag(ITEM, itemEnc.littleEndian);
        out.u32(UNDEFINED_LENGTH, itemEnc.littleEndian);
        writeElements(out, sortedElements(item), itemEnc);
        out.tag(ITEM_DELIMITATION, itemEnc.littleEndian);
        out.u32(0, itemEnc.littleEndian);
      }
      out.tag(SEQUENCE_DELIMITATION, itemEnc.littleEndian);
      out.u32(0, itemEnc.littleEndian);
    } else if (el.fragments) {
      writeHeader(out, el.tag, el.vr, UNDEFINED_LENGTH, enc);
      for (const f of el.fragments) {
        out.tag(ITEM, le);
        out.u32(f.length, le);
        out.raw(f);
      }
      out.tag(SEQUENCE_DELIMITATION, le);
      out.u32(0, le);
    } else {
      const bytes = el.bytes ?? new Uint8Array(0);
      const vr = headerVR(el);
      writeHeader(out, el.tag, vr, padded(bytes.length), enc);
      out.raw(bytes);
      if (bytes.length & 1) out.bytes[out.pos++] = SPACE_PADDED.has(el.vr) ? 0x20 : 0x00;
    }
  }
}

/**
 * Encodes a data set: elements sorted by tag, sequences and items with undefined length, odd
 * values padded to even length, group lengths (gggg,0000) left out. Values are written as stored:
 * a data set read as big endian keeps its numbers' byte order, so write it in the syntax it was
 * read in. `before`/`after` limit the top level to tags below/above a tag.
 */
export function writeDataset(ds: Dataset, syntax: Encoding, options?: WriteOptions): Uint8Array {
  const elements = sortedElements(ds, options);
  const enc: Encoding = { explicitVR: syntax.explicitVR, littleEndian: syntax.littleEndian };
  const out = new Out(new Uint8Array(datasetSize(elements, enc)));
  writeElements(out, elements, enc);
  return out.bytes;
}

export interface DicomFileInput {
  /** File meta elements to keep (group 0002); the writer fills in what it owns, see writeDicomFile. */
  meta?: Dataset;
  dataset: Dataset;
  transferSyntaxUID: string;
  implementationClassUID?: string;
  implementationVersionName?: string;
}

const FILE_META_INFORMATION_GROUP_LENGTH = 0x00020000;
const FILE_META_INFORMATION_VERSION = 0x00020001;
const MEDIA_STORAGE_SOP_CLASS_UID = 0x00020002;
const MEDIA_STORAGE_SOP_INSTANCE_UID = 0x00020003;
const TRANSFER_SYNTAX_UID = 0x00020010;
const IMPLEMENTATION_CLASS_UID = 0x00020012;
const IMPLEMENTATION_VERSION_NAME = 0x00020013;
const SOP_CLASS_UID = 0x00080016;
const SOP_INSTANCE_UID = 0x00080018;

function asciiValue(text: string, pad: number): Uint8Array {
  const bytes = new Uint8Array(padded(text.length));
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0x7f;
  if (text.length & 1) bytes[text.length] = pad;
  return bytes;
}

/** The syntax a file is written in: deflated input is written as explicit VR little endian. */
function outputSyntax(transferSyntaxUID: string): Syntax {
  const syntax = syntaxForTransferSyntax(transferSyntaxUID);
  if (!syntax)
    throw new Error(
      `Cannot write transfer syntax ${transferSyntaxUID}: not a standard transfer syntax.`,
    );
  if (syntax.deflated) return syntaxForTransferSyntax(EXPLICIT_VR_LITTLE_ENDIAN) as Syntax;
  return syntax;
}

function writeFile(input: DicomFileInput, options?: WriteOptions): Uint8Array {
  const syntax = outputSyntax(input.transferSyntaxUID);
  const meta: Dataset = new Map();
  for (const [tag, el] of input.meta ?? []) if (tagGroup(tag) === 0x0002) meta.set(tag >>> 0, el);
  meta.delete(FILE_META_INFORMATION_GROUP_LENGTH);
  if (!meta.get(FILE_META_INFORMATION_VERSION)?.bytes?.length) {
    meta.set(FILE_META_INFORMATION_VERSION, {
      tag: FILE_META_INFORMATION_VERSION,
      vr: 'OB',
      bytes: Uint8Array.of(0x00, 0x01),
    });
  }
  const copyUid = (metaTag: Tag, datasetTag: Tag): void => {
    const from = input.dataset.get(datasetTag);
    if (!meta.get(metaTag)?.bytes?.length && from?.bytes)
      meta.set(metaTag, { tag: metaTag, vr: 'UI', bytes: from.bytes });
  };
  copyUid(MEDIA_STORAGE_SOP_CLASS_UID, SOP_CLASS_UID);
  copyUid(MEDIA_STORAGE_SOP_INSTANCE_UID, SOP_INSTANCE_UID);
  meta.set(TRANSFER_SYNTAX_UID, {
    tag: TRANSFER_SYNTAX_UID,
    vr: 'UI',
    bytes: asciiValue(syntax.transferSyntaxUID, 0),
  });
  meta.set(IMPLEMENTATION_CLASS_UID, {
    tag: IMPLEMENTATION_CLASS_UID,
    vr: 'UI',
    bytes: asciiValue(input.implementationClassUID ?? CLEANROOM_IMPLEMENTATION_CLASS_UID, 0),
  });
  meta.set(IMPLEMENTATION_VERSION_NAME, {
    tag: IMPLEMENTATION_VERSION_NAME,
    vr: 'SH',
    bytes: asciiValue(
      input.implementationVersionName ?? CLEANROOM_IMPLEMENTATION_VERSION_NAME,
      0x20,
    ),
  });
  const metaBody = writeDataset(meta, EXPLICIT_LE);

  const body: Dataset = new Map();
  for (const [tag, el] of input.dataset) if (tagGroup(tag) !== 0x0002) body.set(tag, el);
  const elements = sortedElements(body, options);
  const enc: Encoding = { explicitVR: syntax.explicitVR, littleEndian: syntax.littleEndian };
  const headerLength = 128 + 4 + 12 + metaBody.length;
  const out = new Out(new Uint8Array(headerLength + datasetSize(elements, enc)));
  out.pos = 128;
  out.ascii('DICM');
  writeHeader(out, FILE_META_INFORMATION_GROUP_LENGTH, 'UL', 4, EXPLICIT_LE);
  out.u32(metaBody.length, true);
  out.raw(metaBody);
  writeElements(out, elements, enc);
  return out.bytes;
}

/**
 * Writes a DICOM Part 10 file: 128 zero bytes, 'DICM', the file meta group in explicit VR little
 * endian (FileMetaInformationGroupLength computed, FileMetaInformationVersion 00 01 unless given,
 * MediaStorageSOPClass/InstanceUID from SOPClassUID/SOPInstanceUID when the meta lacks them,
 * TransferSyntaxUID, ImplementationClassUID and ImplementationVersionName set by the writer), then
 * the data set in the transfer syntax's encoding. Group 0002 elements in `dataset` are ignored. A
 * deflated transfer syntax is written as Explicit VR Little Endian, and the meta says so.
 */
export function writeDicomFile(input: DicomFileInput): Uint8Array {
  return writeFile(input);
}

/**
 * The same bytes as writeDicomFile, stopped before PixelData (7FE0,0010). To finish the file,
 * append the original element as it was read, `file.source.subarray(pixelData.elementStart,
 * pixelData.elementEnd)`, and then, if the data set has elements after PixelData,
 * `writeDataset(dataset, syntax, { after: PIXEL_DATA })`. The result is byte-identical to
 * writeDicomFile of the same input when the original element is canonical (even length, explicit
 * lengths as this writer writes them), and always a valid file when the syntax is unchanged.
 */
export function writeDicomHeader(input: DicomFileInput): Uint8Array {
  return writeFile(input, { before: PIXEL_DATA });
}

/** Where the read file's bytes and its PixelData element are: what writeDicomFileOverSource reuses. */
export interface ReadSource {
  source: Uint8Array;
  pixelData?: PixelDataLocation;
  syntax: Pick<Syntax, 'transferSyntaxUID' | 'deflated'>;
}

/** True when `el` is the PixelData element exactly as it was read, a view of `file.source`. */
function isOriginalPixelData(el: DataElement, file: ReadSource, at: PixelDataLocation): boolean {
  const first = el.bytes ?? el.fragments?.[0];
  if (!first || first.buffer !== file.source.buffer) return false;
  if (el.bytes) return el.bytes.byteOffset === file.source.byteOffset + at.valueStart;
  return first.byteOffset > file.source.byteOffset + at.valueStart;
}

/**
 * The same file as writeDicomFile, written into the buffer it was read from: the new header is
 * copied just before the original PixelData element, whose bytes are never copied, and the result
 * is a view of `file.source`'s buffer. For a 0.5 MB slice this saves copying the image, the bulk of
 * every file, once per file. `room` is how many bytes before `file.source` in its buffer are free
 * to overwrite: a reader that leaves room there lets a header that grew (new UIDs are longer, the
 * de-identification marks are added) take the same path. Returns undefined when the file must be
 * written whole instead: the pixel element was replaced (redaction), the syntax changes or was
 * deflated, an element follows PixelData, or the new header does not fit in front of the pixels.
 * The source's header bytes are overwritten: read nothing from `file` or `input` afterwards.
 */
export function writeDicomFileOverSource(
  input: DicomFileInput,
  file: ReadSource,
  room = 0,
): Uint8Array | undefined {
  const at = file.pixelData;
  const pixels = input.dataset.get(PIXEL_DATA);
  if (!at || at.elementEnd === undefined || at.elementEnd > file.source.length) return undefined;
  if (file.syntax.deflated || input.transferSyntaxUID !== file.syntax.transferSyntaxUID)
    return undefined;
  if (!pixels || !isOriginalPixelData(pixels, file, at)) return undefined;
  for (const [tag] of input.dataset)
    if (tag >>> 0 > PIXEL_DATA && written(tag >>> 0)) return undefined;
  const header = writeDicomHeader(input);
  const free = Math.min(Math.max(0, Math.floor(room)), file.source.byteOffset);
  if (header.length > at.elementStart + free) return undefined;
  const start = file.source.byteOffset + at.elementStart - header.length;
  const out = new Uint8Array(
    file.source.buffer,
    start,
    header.length + at.elementEnd - at.elementStart,
  );
  out.set(header, 0);
  return out;
}
