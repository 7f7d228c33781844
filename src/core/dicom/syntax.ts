// Transfer syntax UIDs and how each one encodes a data set (PS3.5 section 10 and Annex A).
import type { Syntax } from './types';

export const IMPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2';
export const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';
export const DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1.99';
export const EXPLICIT_VR_BIG_ENDIAN = '1.2.840.10008.1.2.2';
/** JPIP Referenced Deflate: a deflated data set whose pixel data is a reference. */
const JPIP_REFERENCED_DEFLATE = '1.2.840.10008.1.2.4.95';
const JPIP_REFERENCED = '1.2.840.10008.1.2.4.94';

/** Strips the NUL/space padding a stored UI value may carry. */
export function trimUid(uid: string): string {
  return uid.replace(/[\0 ]+$/, '').trim();
}

/**
 * How a transfer syntax encodes the data set, or undefined for a UID outside the standard's
 * transfer syntax arc (1.2.840.10008.1.2...) that we cannot interpret.
 */
export function syntaxForTransferSyntax(uid: string): Syntax | undefined {
  const transferSyntaxUID = trimUid(uid);
  const base = {
    transferSyntaxUID,
    explicitVR: true,
    littleEndian: true,
    deflated: false,
    encapsulated: false,
  };
  switch (transferSyntaxUID) {
    case IMPLICIT_VR_LITTLE_ENDIAN:
      return { ...base, explicitVR: false };
    case EXPLICIT_VR_LITTLE_ENDIAN:
    case JPIP_REFERENCED:
      return base;
    case DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN:
    case JPIP_REFERENCED_DEFLATE:
      return { ...base, deflated: true };
    case EXPLICIT_VR_BIG_ENDIAN:
      return { ...base, littleEndian: false };
  }
  // Every other standard transfer syntax (JPEG, JPEG-LS, JPEG 2000, RLE, MPEG, HTJ2K,
  // encapsulated uncompressed 1.2.840.10008.1.2.1.98, ...) is explicit VR little endian with
  // encapsulated pixel data.
  if (transferSyntaxUID.startsWith('1.2.840.10008.1.2.')) return { ...base, encapsulated: true };
  return undefined;
}
