// Recognises what precedes a data set: preamble, DICM, the file meta group, and the data set's encoding.
import { Parser, IMPLICIT_LE, KNOWN_VRS, UNDEFINED_LENGTH, isUpperAlpha } from './parse-dataset';
import type { Encoding } from './parse-dataset';
import {
  EXPLICIT_VR_BIG_ENDIAN,
  EXPLICIT_VR_LITTLE_ENDIAN,
  IMPLICIT_VR_LITTLE_ENDIAN,
  syntaxForTransferSyntax,
  trimUid,
} from './syntax';
import { decodeAscii } from './text';
import type { Dataset, Syntax } from './types';
import { DicomReadError } from './types';

export const TRANSFER_SYNTAX_UID = 0x00020010;

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
export interface Head {
  hasPreamble: boolean;
  meta: Dataset;
  syntax: Syntax;
  datasetStart: number;
}

export function readHead(bytes: Uint8Array, prefix: boolean, maxDepth: number): Head {
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

  if (pos > 0 && !prefix && bytes.length - pos < 8)
    throw new DicomReadError(
      'truncated',
      `The file ends ${bytes.length - pos} bytes after its DICM marker, before any data element.`,
      pos,
    );
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
