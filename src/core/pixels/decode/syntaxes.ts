// Which transfer syntaxes we can decode, and how their pixel data is coded (PS3.5 annex A, 8.2).
import { syntaxForTransferSyntax, trimUid } from '../../dicom/syntax';

export type PixelCoding =
  | 'native'
  | 'encapsulated-uncompressed'
  | 'rle'
  | 'jpeg'
  | 'jpeg-lossless'
  | 'jpeg-ls'
  | 'jpeg-2000';

const ENCAPSULATED: Record<string, PixelCoding> = {
  '1.2.840.10008.1.2.1.98': 'encapsulated-uncompressed',
  '1.2.840.10008.1.2.5': 'rle',
  '1.2.840.10008.1.2.4.50': 'jpeg',
  '1.2.840.10008.1.2.4.51': 'jpeg',
  '1.2.840.10008.1.2.4.57': 'jpeg-lossless',
  '1.2.840.10008.1.2.4.70': 'jpeg-lossless',
  '1.2.840.10008.1.2.4.80': 'jpeg-ls',
  '1.2.840.10008.1.2.4.81': 'jpeg-ls',
  '1.2.840.10008.1.2.4.90': 'jpeg-2000',
  '1.2.840.10008.1.2.4.91': 'jpeg-2000',
};

/** How pixel data of this syntax is coded and its byte order; undefined when we cannot decode it. */
export function pixelCodingOf(
  transferSyntaxUID: string,
): { coding: PixelCoding; littleEndian: boolean } | undefined {
  const uid = trimUid(transferSyntaxUID);
  const syntax = syntaxForTransferSyntax(uid);
  if (!syntax) return undefined;
  if (!syntax.encapsulated) return { coding: 'native', littleEndian: syntax.littleEndian };
  const coding = ENCAPSULATED[uid];
  return coding ? { coding, littleEndian: true } : undefined;
}
