// Header changes that come with redacted pixels: burned-in annotation, pixel value ranges, a new pixel encoding, lossy history.
import { getText, textElement, uint16Element } from '../../dicom/element';
import type { Dataset } from '../../dicom/types';

export const RLE_LOSSLESS = '1.2.840.10008.1.2.5';

const T = {
  BurnedInAnnotation: 0x00280301,
  SamplesPerPixel: 0x00280002,
  PhotometricInterpretation: 0x00280004,
  PlanarConfiguration: 0x00280006,
  BitsAllocated: 0x00280100,
  BitsStored: 0x00280101,
  HighBit: 0x00280102,
  PixelRepresentation: 0x00280103,
  SmallestImagePixelValue: 0x00280106,
  LargestImagePixelValue: 0x00280107,
  SmallestPixelValueInSeries: 0x00280108,
  LargestPixelValueInSeries: 0x00280109,
  LossyImageCompression: 0x00282110,
  LossyImageCompressionRatio: 0x00282112,
  LossyImageCompressionMethod: 0x00282114,
  ExtendedOffsetTable: 0x7fe00001,
  ExtendedOffsetTableLengths: 0x7fe00002,
} as const;

/** Palette descriptors, data, segmented data and the palette UID (PS3.3 C.7.6.3, C.7.9): meaningless once pixels are RGB. */
const PALETTE_TAGS = [
  0x00281101, 0x00281102, 0x00281103, 0x00281199, 0x00281201, 0x00281202, 0x00281203, 0x00281221,
  0x00281222, 0x00281223,
];

/** Lossy transfer syntaxes and the method term of LossyImageCompressionMethod (PS3.3 C.7.6.1.1.5.1). */
const LOSSY_METHOD: Record<string, string> = {
  '1.2.840.10008.1.2.4.50': 'ISO_10918_1',
  '1.2.840.10008.1.2.4.51': 'ISO_10918_1',
};

/** BurnedInAnnotation NO: only for a reviewed image whose boxes were filled (issue 6, rule 6). */
export function markReviewed(ds: Dataset): void {
  ds.set(T.BurnedInAnnotation, textElement(T.BurnedInAnnotation, 'CS', 'NO'));
}

/** Smallest/Largest pixel values would no longer describe the pixels once a box is filled. */
export function dropValueRanges(ds: Dataset): void {
  for (const tag of [
    T.SmallestImagePixelValue,
    T.LargestImagePixelValue,
    T.SmallestPixelValueInSeries,
    T.LargestPixelValueInSeries,
  ])
    ds.delete(tag);
}

/** True when the input's pixels went through lossy compression (its syntax or its own history says so). */
export function wasLossy(ds: Dataset, transferSyntaxUID: string): boolean {
  return transferSyntaxUID in LOSSY_METHOD || getText(ds, T.LossyImageCompression)?.trim() === '01';
}

export interface DecodedEncoding {
  samplesPerPixel: 1 | 3;
  photometric: string;
  bitsAllocated: 8 | 16 | 32;
  bitsStored: number;
  signed: boolean;
}

/**
 * Rewrites the Image Pixel module for pixels re-encoded as RLE Lossless: what the decoded data is
 * (RGB for converted YBR and palette images, PlanarConfiguration 0), its bit depth, and the lossy
 * history: LossyImageCompression stays '01' with its ratio and method once an image was lossy;
 * a lossy JPEG input without a method (and with at most one ratio) gets the method its syntax implies.
 */
export function describeReencoded(
  ds: Dataset,
  encoding: DecodedEncoding,
  inputSyntax: string,
  lossy: boolean,
): void {
  const was = getText(ds, T.PhotometricInterpretation)?.trim();
  ds.set(T.SamplesPerPixel, uint16Element(T.SamplesPerPixel, encoding.samplesPerPixel));
  ds.set(
    T.PhotometricInterpretation,
    textElement(T.PhotometricInterpretation, 'CS', encoding.photometric),
  );
  if (encoding.samplesPerPixel === 3)
    ds.set(T.PlanarConfiguration, uint16Element(T.PlanarConfiguration, 0));
  else ds.delete(T.PlanarConfiguration);
  if (was === 'PALETTE COLOR' && encoding.photometric !== 'PALETTE COLOR')
    for (const tag of PALETTE_TAGS) ds.delete(tag);
  ds.set(T.BitsAllocated, uint16Element(T.BitsAllocated, encoding.bitsAllocated));
  ds.set(T.BitsStored, uint16Element(T.BitsStored, encoding.bitsStored));
  ds.set(T.HighBit, uint16Element(T.HighBit, encoding.bitsStored - 1));
  ds.set(T.PixelRepresentation, uint16Element(T.PixelRepresentation, encoding.signed ? 1 : 0));
  ds.delete(T.ExtendedOffsetTable);
  ds.delete(T.ExtendedOffsetTableLengths);
  if (lossy) {
    ds.set(T.LossyImageCompression, textElement(T.LossyImageCompression, 'CS', '01'));
    // Ratio and method pair up value by value (C.7.6.1.1.5): a method is added only where it
    // cannot be misread as belonging to an earlier ratio.
    const method = LOSSY_METHOD[inputSyntax];
    const ratios = getText(ds, T.LossyImageCompressionRatio)?.split('\\').length ?? 0;
    if (method && !ds.has(T.LossyImageCompressionMethod) && ratios <= 1)
      ds.set(
        T.LossyImageCompressionMethod,
        textElement(T.LossyImageCompressionMethod, 'CS', method),
      );
  }
}
