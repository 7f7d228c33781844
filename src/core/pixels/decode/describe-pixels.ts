// Reads the Image Pixel module of a data set into a PixelDescription, checking what decoding relies on.
import { getNumbers, getText } from '../../dicom/element';
import { trimUid } from '../../dicom/syntax';
import type { DataElement, Dataset } from '../../dicom/types';
import { PIXEL_DATA } from '../../dicom/types';
import type { PixelDescription } from '../types';
import { PixelError } from './pixel-error';
import { pixelCodingOf } from './syntaxes';

const T = {
  SamplesPerPixel: 0x00280002,
  PhotometricInterpretation: 0x00280004,
  PlanarConfiguration: 0x00280006,
  NumberOfFrames: 0x00280008,
  Rows: 0x00280010,
  Columns: 0x00280011,
  BitsAllocated: 0x00280100,
  BitsStored: 0x00280101,
  HighBit: 0x00280102,
  PixelRepresentation: 0x00280103,
  WindowCenter: 0x00281050,
  WindowWidth: 0x00281051,
  RescaleIntercept: 0x00281052,
  RescaleSlope: 0x00281053,
  RedPaletteColorLookupTableDescriptor: 0x00281101,
  RedPaletteColorLookupTableData: 0x00281201,
  SegmentedRedPaletteColorLookupTableData: 0x00281221,
  FloatPixelData: 0x7fe00008,
  DoubleFloatPixelData: 0x7fe00009,
} as const;

function bad(message: string): never {
  throw new PixelError('bad-pixel-module', message);
}

function uint16s(el: DataElement | undefined, littleEndian: boolean): Uint16Array | undefined {
  if (!el?.bytes) return undefined;
  const b = el.bytes;
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const out = new Uint16Array(b.byteLength >> 1);
  for (let i = 0; i < out.length; i++) out[i] = view.getUint16(i * 2, littleEndian);
  return out;
}

function first(ds: Dataset, tag: number, le: boolean): number | undefined {
  const v = getNumbers(ds, tag, le)?.[0];
  return v === undefined || Number.isNaN(v) ? undefined : v;
}

function required(ds: Dataset, tag: number, le: boolean, name: string): number {
  const v = first(ds, tag, le);
  if (v === undefined) bad(`${name} ${formatPixelTag(tag)} is missing or not a number.`);
  return v;
}

export function formatPixelTag(tag: number): string {
  const hex = (tag >>> 0).toString(16).toUpperCase().padStart(8, '0');
  return `(${hex.slice(0, 4)},${hex.slice(4)})`;
}

/** One palette table (PS3.3 C.7.6.3.1.5/6): entries scaled to 0..65535. */
function readPalette(
  ds: Dataset,
  le: boolean,
  pixelRepresentation: 0 | 1,
): NonNullable<PixelDescription['palette']> {
  if (ds.has(T.SegmentedRedPaletteColorLookupTableData)) {
    bad('Segmented palette colour lookup tables (0028,1221-1223) are not supported.');
  }
  const tables: Uint16Array[] = [];
  let firstMapped = 0;
  for (let c = 0; c < 3; c++) {
    const descTag = T.RedPaletteColorLookupTableDescriptor + c;
    const dataTag = T.RedPaletteColorLookupTableData + c;
    const desc = uint16s(ds.get(descTag), le);
    if (!desc || desc.length < 3)
      bad(`PALETTE COLOR needs ${formatPixelTag(descTag)} with 3 values.`);
    const entries = desc[0] === 0 ? 65536 : desc[0];
    firstMapped = pixelRepresentation === 1 && desc[1] > 0x7fff ? desc[1] - 0x10000 : desc[1];
    const bits = desc[2];
    const el = ds.get(dataTag);
    if (!el?.bytes) bad(`PALETTE COLOR needs ${formatPixelTag(dataTag)}.`);
    let values: Uint16Array;
    if (bits === 8 && el.bytes.length === entries) values = Uint16Array.from(el.bytes);
    else values = (uint16s(el, le) as Uint16Array).subarray(0, entries);
    if (values.length < entries)
      bad(`${formatPixelTag(dataTag)} holds fewer entries than its descriptor says.`);
    // 8-bit entries (in bytes or in words) are scaled up; a table declared 8-bit whose values
    // exceed 255 is really 16-bit (seen in the wild).
    const eight = bits === 8 && values.every((v) => v <= 255);
    tables.push(eight ? values.map((v) => v * 257) : values);
  }
  return { first: firstMapped, red: tables[0], green: tables[1], blue: tables[2] };
}

/**
 * The number of frames: NumberOfFrames, or, when it is not a number, what the data holds: native
 * data exactly, encapsulated data by its Basic Offset Table (one entry per frame) or, without one,
 * one fragment per frame (as RLE requires and most writers do).
 */
function numberOfFrames(ds: Dataset, le: boolean, native: boolean, frameBits: number): number {
  const el = ds.get(T.NumberOfFrames);
  if (!el) return 1;
  const v = getNumbers(ds, T.NumberOfFrames, le)?.[0];
  if (v !== undefined && Number.isInteger(v) && v >= 1) return v;
  const pixels = ds.get(PIXEL_DATA)?.bytes;
  if (native && pixels && frameBits > 0) {
    const n = Math.floor((pixels.length * 8) / frameBits);
    if (n >= 1 && Math.ceil((n * frameBits) / 8) + 1 >= pixels.length) return n;
  }
  const fragments = ds.get(PIXEL_DATA)?.fragments;
  if (!native && fragments && fragments.length > 1) {
    const [offsetTable, ...rest] = fragments;
    const n = offsetTable.length >= 4 ? offsetTable.length / 4 : rest.length;
    if (Number.isInteger(n) && n >= 1) return n;
  }
  return bad('NumberOfFrames (0028,0008) is not a positive whole number.');
}

/**
 * Native PixelData shorter than this holds fewer than 8×8 pixels, less than one legible character
 * needs: it cannot carry burned-in text (seen as 2-byte placeholders in files with no image module).
 */
export const LEGIBLE_PIXEL_BYTES = 64;

/** True when the data set's native PixelData is too short to hold any legible text. */
export function tooSmallForText(dataset: Dataset): boolean {
  const stored = dataset.get(PIXEL_DATA)?.bytes;
  return stored !== undefined && stored.length < LEGIBLE_PIXEL_BYTES;
}

/**
 * Describes the stored pixels of a data set read in `transferSyntaxUID`. Throws PixelError:
 * 'no-pixels' without PixelData, 'unsupported-syntax', 'bad-pixel-module' for missing or
 * inconsistent attributes (the message names the tag, never its value).
 */
export function describePixels(dataset: Dataset, transferSyntaxUID: string): PixelDescription {
  const pixelData = dataset.get(PIXEL_DATA);
  if (!pixelData || (!pixelData.bytes && !pixelData.fragments)) {
    const other = dataset.has(T.FloatPixelData) || dataset.has(T.DoubleFloatPixelData);
    throw new PixelError(
      'no-pixels',
      other
        ? 'The data set has float pixel data (7FE0,0008/0009), not PixelData (7FE0,0010).'
        : 'The data set has no PixelData (7FE0,0010).',
    );
  }
  const uid = trimUid(transferSyntaxUID);
  const coding = pixelCodingOf(uid);
  if (!coding) {
    throw new PixelError('unsupported-syntax', `Transfer syntax ${uid} cannot be decoded.`);
  }
  const le = coding.littleEndian;
  const native = coding.coding === 'native';
  if (native && !pixelData.bytes)
    bad('PixelData (7FE0,0010) is encapsulated in a native transfer syntax.');
  if (!native && !pixelData.fragments)
    bad('PixelData (7FE0,0010) is not encapsulated in an encapsulated transfer syntax.');

  const rows = required(dataset, T.Rows, le, 'Rows');
  const columns = required(dataset, T.Columns, le, 'Columns');
  if (rows < 1 || columns < 1) bad('Rows (0028,0010) and Columns (0028,0011) must be at least 1.');
  const samplesPerPixel = first(dataset, T.SamplesPerPixel, le) ?? 1;
  if (samplesPerPixel !== 1 && samplesPerPixel !== 3)
    bad('SamplesPerPixel (0028,0002) must be 1 or 3.');
  const bitsAllocated = required(dataset, T.BitsAllocated, le, 'BitsAllocated');
  if (![1, 8, 16, 32].includes(bitsAllocated))
    bad('BitsAllocated (0028,0100) must be 1, 8, 16 or 32.');
  const bitsStored = first(dataset, T.BitsStored, le) ?? bitsAllocated;
  if (bitsStored < 1 || bitsStored > bitsAllocated)
    bad('BitsStored (0028,0101) must be 1..BitsAllocated.');
  const highBit = first(dataset, T.HighBit, le) ?? bitsStored - 1;
  const pixelRepresentation = first(dataset, T.PixelRepresentation, le) === 1 ? 1 : 0;
  let photometric = getText(dataset, T.PhotometricInterpretation)?.trim().toUpperCase();
  if (!photometric) {
    if (samplesPerPixel === 3) bad('PhotometricInterpretation (0028,0004) is missing.');
    photometric = 'MONOCHROME2';
  }
  const planarConfiguration =
    samplesPerPixel === 3 && first(dataset, T.PlanarConfiguration, le) === 1 ? 1 : 0;
  const mono = photometric === 'MONOCHROME1' || photometric === 'MONOCHROME2';
  if (samplesPerPixel === 1 && !mono && photometric !== 'PALETTE COLOR') {
    bad('PhotometricInterpretation (0028,0004) does not fit SamplesPerPixel (0028,0002) 1.');
  }
  if (samplesPerPixel === 3 && (mono || photometric === 'PALETTE COLOR')) {
    bad('PhotometricInterpretation (0028,0004) does not fit SamplesPerPixel (0028,0002) 3.');
  }
  const valuesPerFrame =
    photometric === 'YBR_FULL_422' && native
      ? rows * columns * 2
      : rows * columns * samplesPerPixel;
  const desc: PixelDescription = {
    rows,
    columns,
    samplesPerPixel,
    bitsAllocated: bitsAllocated as PixelDescription['bitsAllocated'],
    bitsStored,
    highBit,
    pixelRepresentation,
    photometric,
    planarConfiguration,
    numberOfFrames: numberOfFrames(dataset, le, native, valuesPerFrame * bitsAllocated),
    transferSyntaxUID: uid,
  };
  if (photometric === 'PALETTE COLOR') desc.palette = readPalette(dataset, le, pixelRepresentation);
  const slope = first(dataset, T.RescaleSlope, le);
  const intercept = first(dataset, T.RescaleIntercept, le);
  const center = first(dataset, T.WindowCenter, le);
  const width = first(dataset, T.WindowWidth, le);
  if (slope !== undefined) desc.rescaleSlope = slope;
  if (intercept !== undefined) desc.rescaleIntercept = intercept;
  if (center !== undefined && width !== undefined && width > 0) {
    desc.windowCenter = center;
    desc.windowWidth = width;
  }
  return desc;
}
