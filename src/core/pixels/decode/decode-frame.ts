// Decodes one frame of a data set's PixelData into stored values (Frame): native data, RLE and JPEG
// with our own decoders, JPEG-LS and JPEG 2000 (and fast 8-bit JPEG) with the platform's wasm codecs.
import type { Dataset } from '../../dicom/types';
import { PIXEL_DATA } from '../../dicom/types';
import type { CodecSet, DecodedCodestream, Frame, PixelDescription } from '../types';
import { applyPalette, convertYbrFullToRgb, expandYbr422, interleavePlanes } from './colour';
import { frameCodestreams } from './frame-codestreams';
import type { ExtendedOffsets } from './frame-codestreams';
import { decodeJpeg, jpegHoldsYcbcr, libjpegAssumesYcbcr, readJpegHeader } from './jpeg-decode';
import { nativeFrameValues } from './native-frame';
import { PixelError } from './pixel-error';
import { decodeRleFrame } from './rle';
import { pixelCodingOf } from './syntaxes';
import type { PixelCoding } from './syntaxes';

type Unsigned = Uint8Array | Uint16Array | Uint32Array;

const EXTENDED_OFFSET_TABLE = 0x7fe00001;
const EXTENDED_OFFSET_TABLE_LENGTHS = 0x7fe00002;

/** Frame codestreams per PixelData element, so decoding every frame splits the fragments once. */
const codestreamCache = new WeakMap<object, Uint8Array[]>();

function readUint64s(bytes: Uint8Array | undefined): number[] | undefined {
  if (!bytes || bytes.length < 8) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Array.from({ length: bytes.length >> 3 }, (_, i) =>
    Number(view.getBigUint64(i * 8, true)),
  );
}

function extendedOffsets(dataset: Dataset): ExtendedOffsets | undefined {
  const offsets = readUint64s(dataset.get(EXTENDED_OFFSET_TABLE)?.bytes);
  if (!offsets) return undefined;
  return { offsets, lengths: readUint64s(dataset.get(EXTENDED_OFFSET_TABLE_LENGTHS)?.bytes) };
}

/** Keeps the BitsStored low bits (below HighBit) and sign-extends them when signed. */
function monochromeValues(raw: Unsigned, desc: PixelDescription, signed: boolean): Frame['data'] {
  const bits = Math.min(desc.bitsStored, 32);
  const shift = Math.max(0, desc.highBit + 1 - bits);
  const whole = shift === 0 && bits === 8 * raw.BYTES_PER_ELEMENT;
  if (!signed) {
    if (whole) return raw;
    const mask = bits >= 32 ? 0xffffffff : (1 << bits) - 1;
    const out = new (raw.constructor as new (n: number) => Unsigned)(raw.length);
    for (let i = 0; i < raw.length; i++) out[i] = (raw[i] >>> shift) & mask;
    return out;
  }
  if (whole && raw instanceof Uint16Array)
    return new Int16Array(raw.buffer, raw.byteOffset, raw.length);
  if (whole && raw instanceof Uint32Array)
    return new Int32Array(raw.buffer, raw.byteOffset, raw.length);
  const out = desc.bitsAllocated === 32 ? new Int32Array(raw.length) : new Int16Array(raw.length);
  // Shift the sign bit of BitsStored up to bit 31 and back: arithmetic shift extends it.
  const up = 32 - bits;
  for (let i = 0; i < raw.length; i++) out[i] = ((raw[i] >>> shift) << up) >> up;
  return out;
}

/** Stored values (native or RLE) to a Frame: masks and signs monochrome, converts colour to RGB. */
function frameFromStored(
  raw: Unsigned,
  desc: PixelDescription,
  planar: boolean,
  packed422: boolean,
): Frame {
  const base = { width: desc.columns, height: desc.rows, bitsStored: desc.bitsStored };
  const pixels = desc.rows * desc.columns;
  if (desc.samplesPerPixel === 1) {
    if (desc.photometric === 'PALETTE COLOR' && desc.palette) {
      const indices = monochromeValues(raw, desc, desc.pixelRepresentation === 1) as
        Uint8Array | Uint16Array | Int16Array;
      return {
        ...base,
        samplesPerPixel: 3,
        photometric: 'RGB',
        bitsStored: 8,
        signed: false,
        data: applyPalette(indices, desc.palette),
      };
    }
    const signed = desc.pixelRepresentation === 1;
    return {
      ...base,
      samplesPerPixel: 1,
      photometric: desc.photometric === 'MONOCHROME1' ? 'MONOCHROME1' : 'MONOCHROME2',
      signed,
      data: monochromeValues(raw, desc, signed),
    };
  }
  let data: Unsigned = raw;
  if (packed422) data = expandYbr422(raw, desc.columns, desc.rows);
  else if (planar) data = interleavePlanes(raw, pixels);
  return {
    ...base,
    samplesPerPixel: 3,
    photometric: 'RGB',
    signed: false,
    data: toRgb(data, desc.photometric, desc.bitsStored),
  };
}

function toRgb(data: Unsigned, photometric: string, bits: number): Unsigned {
  if (photometric === 'YBR_FULL' || photometric === 'YBR_FULL_422') {
    const copy = data.slice() as Unsigned;
    convertYbrFullToRgb(copy, bits);
    return copy;
  }
  if (photometric === 'RGB' || photometric === 'YBR_RCT' || photometric === 'YBR_ICT') return data;
  throw new PixelError(
    'bad-pixel-module',
    'PhotometricInterpretation (0028,0004) is not one this decoder converts to RGB.',
  );
}

/** A codec's output to a Frame, in the type BitsAllocated implies, colour converted when `ycbcr`. */
function frameFromCodestream(
  d: DecodedCodestream,
  desc: PixelDescription,
  coding: PixelCoding,
  ycbcr: boolean,
): Frame {
  if (d.width !== desc.columns || d.height !== desc.rows || d.components !== desc.samplesPerPixel) {
    throw new PixelError(
      'codec-failed',
      'The decoded image size or sample count differs from Rows (0028,0010), Columns (0028,0011), SamplesPerPixel (0028,0002).',
    );
  }
  const wide = desc.bitsAllocated > 8 || d.bitsPerSample > 8;
  if (desc.samplesPerPixel === 3 || desc.photometric === 'PALETTE COLOR') {
    let data: Unsigned =
      d.data instanceof Int16Array
        ? new Uint16Array(d.data.buffer, d.data.byteOffset, d.data.length)
        : d.data;
    if (wide && data instanceof Uint8Array) data = Uint16Array.from(data);
    if (desc.samplesPerPixel === 1) return frameFromStored(data, desc, false, false);
    if (ycbcr) {
      data = data.slice() as Unsigned;
      convertYbrFullToRgb(data, Math.max(d.bitsPerSample, 8));
    }
    return {
      width: d.width,
      height: d.height,
      samplesPerPixel: 3,
      photometric: 'RGB',
      bitsStored: Math.max(desc.bitsStored, d.bitsPerSample),
      signed: false,
      data,
    };
  }
  const photometric = desc.photometric === 'MONOCHROME1' ? 'MONOCHROME1' : 'MONOCHROME2';
  // JPEG 2000 says whether its samples are signed and trusted over PixelRepresentation (files
  // disagree in the wild); JPEG and JPEG-LS code unsigned bit patterns that PixelRepresentation signs.
  if (coding === 'jpeg-2000' || d.signed) {
    const bitsStored = Math.max(desc.bitsStored, d.bitsPerSample);
    let data: Frame['data'] = d.data;
    if (wide && data instanceof Uint8Array)
      data = d.signed ? Int16Array.from(data, (v) => (v << 24) >> 24) : Uint16Array.from(data);
    return {
      width: d.width,
      height: d.height,
      samplesPerPixel: 1,
      photometric,
      bitsStored,
      signed: d.signed,
      data,
    };
  }
  let raw: Unsigned =
    d.data instanceof Int16Array
      ? new Uint16Array(d.data.buffer, d.data.byteOffset, d.data.length)
      : d.data;
  if (wide && raw instanceof Uint8Array) raw = Uint16Array.from(raw);
  const signed = desc.pixelRepresentation === 1;
  return {
    width: d.width,
    height: d.height,
    samplesPerPixel: 1,
    photometric,
    bitsStored: desc.bitsStored,
    signed,
    data: monochromeValues(raw, desc, signed),
  };
}

function ownJpeg(
  bytes: Uint8Array,
): DecodedCodestream & { ycbcrHint: Parameters<typeof jpegHoldsYcbcr>[0] } {
  const img = decodeJpeg(bytes);
  return {
    width: img.width,
    height: img.height,
    components: img.components,
    bitsPerSample: img.precision,
    signed: false,
    data: img.data,
    ycbcrHint: img,
  };
}

async function decodeJpegFrame(
  bytes: Uint8Array,
  desc: PixelDescription,
  codecs: CodecSet,
): Promise<Frame> {
  const header = readJpegHeader(bytes);
  if (!header)
    throw new PixelError('codec-failed', 'JPEG: the frame holds no readable frame header.');
  const ycbcr = jpegHoldsYcbcr(header, desc.photometric);
  // libjpeg-turbo converts to RGB on its own guess; use it only where that guess is ours.
  if (
    codecs.decodeJpeg8 &&
    header.precision === 8 &&
    (header.process === 0 || header.process === 1) &&
    ycbcr === libjpegAssumesYcbcr(header)
  ) {
    const d = await runCodec(() => codecs.decodeJpeg8!(bytes), 'libjpeg-turbo');
    return frameFromCodestream(d, desc, 'jpeg', false);
  }
  return frameFromCodestream(ownJpeg(bytes), desc, 'jpeg', ycbcr);
}

async function runCodec(
  run: () => Promise<DecodedCodestream>,
  name: string,
): Promise<DecodedCodestream> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof PixelError) throw e;
    throw new PixelError('codec-failed', `The ${name} decoder could not decode the frame.`);
  }
}

/** A JPEG 2000 codestream from a fragment that may carry a JP2 file wrapper (seen from GDCM). */
export function jpeg2000Codestream(bytes: Uint8Array): Uint8Array {
  if (!(
    bytes.length > 12 &&
    bytes[4] === 0x6a &&
    bytes[5] === 0x50 &&
    bytes[6] === 0x20 &&
    bytes[7] === 0x20
  ))
    return bytes;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let p = 0;
  while (p + 8 <= bytes.length) {
    let size = view.getUint32(p);
    const type = view.getUint32(p + 4);
    let header = 8;
    if (size === 1 && p + 16 <= bytes.length) {
      size = Number(view.getBigUint64(p + 8));
      header = 16;
    } else if (size === 0) size = bytes.length - p;
    if (type === 0x6a703263) return bytes.subarray(p + header, Math.min(bytes.length, p + size)); // 'jp2c'
    if (size < header) break;
    p += size;
  }
  return bytes;
}

/**
 * Decodes frame `index` (0-based) of the data set's PixelData, described by `desc` (from
 * describePixels). Throws PixelError: 'truncated-pixels', 'codec-missing' (JPEG-LS or JPEG 2000
 * without the codec), 'codec-failed', 'bad-pixel-module'.
 */
export async function decodeFrame(
  dataset: Dataset,
  desc: PixelDescription,
  index: number,
  codecs: CodecSet,
): Promise<Frame> {
  const element = dataset.get(PIXEL_DATA);
  if (!element) throw new PixelError('no-pixels', 'The data set has no PixelData (7FE0,0010).');
  if (!Number.isInteger(index) || index < 0 || index >= desc.numberOfFrames) {
    throw new PixelError(
      'bad-pixel-module',
      `Frame ${index} is outside NumberOfFrames (0028,0008).`,
    );
  }
  const coding = pixelCodingOf(desc.transferSyntaxUID);
  if (!coding)
    throw new PixelError(
      'unsupported-syntax',
      `Transfer syntax ${desc.transferSyntaxUID} cannot be decoded.`,
    );
  const packed422 = desc.photometric === 'YBR_FULL_422';
  if (coding.coding === 'native') {
    if (!element.bytes)
      throw new PixelError(
        'bad-pixel-module',
        'PixelData (7FE0,0010) is encapsulated in a native transfer syntax.',
      );
    const raw = nativeFrameValues(element.bytes, desc, index, coding.littleEndian, element.vr);
    return frameFromStored(raw, desc, desc.planarConfiguration === 1, packed422);
  }
  let streams = codestreamCache.get(element);
  if (!streams) {
    streams = frameCodestreams(element, desc.numberOfFrames, extendedOffsets(dataset));
    codestreamCache.set(element, streams);
  }
  const bytes = streams[index];
  if (!bytes || bytes.length === 0)
    throw new PixelError(
      'truncated-pixels',
      `PixelData (7FE0,0010) holds no data for frame ${index}.`,
    );
  switch (coding.coding) {
    case 'encapsulated-uncompressed': {
      const raw = nativeFrameValues(bytes, desc, 0, true, 'OB');
      return frameFromStored(raw, desc, desc.planarConfiguration === 1, packed422);
    }
    case 'rle': {
      if (desc.bitsAllocated === 1)
        throw new PixelError(
          'bad-pixel-module',
          'RLE with BitsAllocated (0028,0100) 1 is not supported.',
        );
      const raw = decodeRleFrame(
        bytes,
        desc.rows,
        desc.columns,
        desc.samplesPerPixel,
        desc.bitsAllocated,
      );
      return frameFromStored(raw, desc, false, false);
    }
    case 'jpeg':
      return decodeJpegFrame(bytes, desc, codecs);
    case 'jpeg-lossless': {
      const d = ownJpeg(bytes);
      return frameFromCodestream(
        d,
        desc,
        'jpeg-lossless',
        jpegHoldsYcbcr(d.ycbcrHint, desc.photometric) && desc.photometric.startsWith('YBR'),
      );
    }
    case 'jpeg-ls': {
      const decode = codecs.decodeJpegLs;
      if (!decode) throw new PixelError('codec-missing', 'No JPEG-LS decoder was loaded.');
      const d = await runCodec(() => decode(bytes), 'JPEG-LS');
      return frameFromCodestream(
        d,
        desc,
        'jpeg-ls',
        desc.samplesPerPixel === 3 && desc.photometric.startsWith('YBR_FULL'),
      );
    }
    case 'jpeg-2000': {
      const decode = codecs.decodeJpeg2000;
      if (!decode) throw new PixelError('codec-missing', 'No JPEG 2000 decoder was loaded.');
      const d = await runCodec(() => decode(jpeg2000Codestream(bytes)), 'JPEG 2000');
      // YBR_ICT/YBR_RCT are undone by the codec (multiple component transform); YBR_FULL is not.
      return frameFromCodestream(
        d,
        desc,
        'jpeg-2000',
        desc.samplesPerPixel === 3 && desc.photometric.startsWith('YBR_FULL'),
      );
    }
    default:
      throw new PixelError(
        'unsupported-syntax',
        `Transfer syntax ${desc.transferSyntaxUID} cannot be decoded.`,
      );
  }
}
