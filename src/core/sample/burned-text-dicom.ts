// The burned-in text images as DICOM files in a chosen transfer syntax: native, RLE Lossless (our
// encoder), and JPEG-LS / JPEG 2000 / JPEG baseline from codestreams a platform encoder made.

import { bytesElement } from '../dicom/element';
import type { Dataset } from '../dicom/types';
import { tagForKeyword } from '../dicom/dictionary';
import { writeDicomFile } from '../dicom/write';
import { encodeRleFrame } from '../pixels/redact/rle-encode';
import { buildDataset, type SampleValue } from './build-dataset';
import type { BurnedTextImage, MultiFrameTextImage } from './burned-text';

/** The transfer syntaxes the burned-in text set is written in. */
export const BURNED_TEXT_SYNTAXES = {
  native: { uid: '1.2.840.10008.1.2.1', name: 'Explicit VR Little Endian', encoder: 'none' },
  rle: { uid: '1.2.840.10008.1.2.5', name: 'RLE Lossless', encoder: 'ours' },
  'jpeg-ls': { uid: '1.2.840.10008.1.2.4.80', name: 'JPEG-LS Lossless', encoder: 'platform' },
  'jpeg-2000': {
    uid: '1.2.840.10008.1.2.4.90',
    name: 'JPEG 2000 (Lossless Only)',
    encoder: 'platform',
  },
  'jpeg-baseline': {
    uid: '1.2.840.10008.1.2.4.50',
    name: 'JPEG Baseline (Process 1), lossy',
    encoder: 'platform',
  },
} as const;

export type BurnedTextSyntax = keyof typeof BURNED_TEXT_SYNTAXES;

/** True for syntaxes whose codestreams come from a platform encoder (wasm in Node). */
export function needsPlatformEncoder(syntax: BurnedTextSyntax): boolean {
  return BURNED_TEXT_SYNTAXES[syntax].encoder === 'platform';
}

/** The frames as an encoder takes them: stored samples, RGB interleaved, one array per frame. */
export interface StoredFrames {
  width: number;
  height: number;
  samplesPerPixel: 1 | 3;
  bitsAllocated: 8 | 16;
  /** 12 for the 16-bit CT/MR images (values 0..4095), else 8. */
  bitsStored: 8 | 12;
  frames: (Uint8Array | Uint16Array)[];
  /** The VOI window of 16-bit grey, written as WindowCenter/WindowWidth. */
  window?: { center: number; width: number };
}

type TextImage = BurnedTextImage | MultiFrameTextImage;

const isMultiFrame = (image: TextImage): image is MultiFrameTextImage => 'frames' in image;

/**
 * The stored frames of an image for a syntax. JPEG baseline holds 8 bits only: a 16-bit image
 * goes in as its windowed 8-bit grey (as a secondary capture of the slice would be), so what OCR
 * sees is the same grey before the lossy step.
 */
export function storedFramesOf(image: TextImage, syntax: BurnedTextSyntax): StoredFrames {
  if (isMultiFrame(image)) {
    const { width, height } = image.frames[0];
    return {
      width,
      height,
      samplesPerPixel: 1,
      bitsAllocated: 8,
      bitsStored: 8,
      frames: image.frames.map((f) => f.data),
    };
  }
  const { width, height } = image.image;
  if (image.bitsAllocated === 16 && syntax !== 'jpeg-baseline')
    return {
      width,
      height,
      samplesPerPixel: 1,
      bitsAllocated: 16,
      bitsStored: 12,
      frames: [image.stored],
      window: image.window,
    };
  if (image.bitsAllocated === 16)
    return {
      width,
      height,
      samplesPerPixel: 1,
      bitsAllocated: 8,
      bitsStored: 8,
      frames: [image.image.data],
    };
  return {
    width,
    height,
    samplesPerPixel: image.samplesPerPixel,
    bitsAllocated: 8,
    bitsStored: 8,
    frames: [image.stored as Uint8Array],
  };
}

const SOP_CLASS: Record<string, string> = {
  CT: '1.2.840.10008.5.1.4.1.1.2',
  MR: '1.2.840.10008.5.1.4.1.1.4',
  US: '1.2.840.10008.5.1.4.1.1.6.1',
  USMF: '1.2.840.10008.5.1.4.1.1.3.1',
  SC: '1.2.840.10008.5.1.4.1.1.7',
};

/** A UID under 2.25 from the image id and syntax: the same input gives the same file. */
function uidOf(id: string, salt: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (const ch of `${id}|${salt}`) {
    a = Math.imul(a ^ ch.charCodeAt(0), 0x01000193) >>> 0;
    b = Math.imul(b ^ ch.charCodeAt(0), 0x5bd1e995) >>> 0;
  }
  return `2.25.${a}${String(b).padStart(10, '0')}`;
}

/**
 * One DICOM Part 10 file of a generated image in `syntax`. Native and RLE Lossless are encoded
 * here; the platform syntaxes take `encoded`, one codestream per frame of `storedFramesOf(image,
 * syntax)` (core never loads a wasm codec). Colour JPEG baseline is YBR_FULL_422, as libjpeg
 * writes it (YCbCr, chroma subsampled); JPEG-LS and JPEG 2000 colour stay RGB (no colour
 * transform). The header carries the generated identifiers so a scan can match them.
 */
export function burnedTextDicom(
  image: TextImage,
  syntax: BurnedTextSyntax,
  encoded?: readonly Uint8Array[],
): Uint8Array {
  const stored = storedFramesOf(image, syntax);
  const { uid } = BURNED_TEXT_SYNTAXES[syntax];
  const colour = stored.samplesPerPixel === 3;
  const multi = stored.frames.length > 1;
  const modality = image.modality;
  const sopClass = multi
    ? SOP_CLASS.USMF
    : syntax === 'jpeg-baseline' && stored.bitsAllocated === 8 && modality !== 'US'
      ? SOP_CLASS.SC
      : (SOP_CLASS[modality] ?? SOP_CLASS.SC);
  const [family = 'DOE', given = ''] = (image.identifiers[0] ?? '').split('^');
  const entries: Record<string, SampleValue | undefined> = {
    SOPClassUID: sopClass,
    SOPInstanceUID: uidOf(image.id, syntax),
    StudyInstanceUID: uidOf(image.id, 'study'),
    SeriesInstanceUID: uidOf(image.id, 'series'),
    Modality: modality,
    PatientName: given ? `${family}^${given}` : family,
    PatientID: image.identifiers[1] ?? '',
    PatientBirthDate: image.identifiers[2] ?? '',
    StudyDate: image.identifiers[3] ?? '',
    AccessionNumber: image.identifiers[4] ?? '',
    BurnedInAnnotation: 'YES',
    SamplesPerPixel: stored.samplesPerPixel,
    PhotometricInterpretation: colour
      ? syntax === 'jpeg-baseline'
        ? 'YBR_FULL_422'
        : 'RGB'
      : 'MONOCHROME2',
    PlanarConfiguration: colour ? 0 : undefined,
    NumberOfFrames: multi ? stored.frames.length : undefined,
    Rows: stored.height,
    Columns: stored.width,
    BitsAllocated: stored.bitsAllocated,
    BitsStored: stored.bitsStored,
    HighBit: stored.bitsStored - 1,
    PixelRepresentation: 0,
    WindowCenter: stored.window?.center,
    WindowWidth: stored.window?.width,
  };
  if (syntax === 'jpeg-baseline') {
    entries.LossyImageCompression = '01';
    entries.LossyImageCompressionMethod = 'ISO_10918_1';
  }
  const dataset: Dataset = buildDataset(entries);
  const pixelTag = tagForKeyword('PixelData')!;
  if (syntax === 'native') {
    dataset.set(
      pixelTag,
      bytesElement(pixelTag, stored.bitsAllocated === 16 ? 'OW' : 'OB', native(stored)),
    );
  } else {
    const fragments =
      syntax === 'rle'
        ? stored.frames.map((samples) =>
            encodeRleFrame({
              rows: stored.height,
              columns: stored.width,
              samplesPerPixel: stored.samplesPerPixel,
              bitsAllocated: stored.bitsAllocated,
              samples,
            }),
          )
        : [...(encoded ?? [])];
    if (fragments.length !== stored.frames.length)
      throw new Error(
        `burnedTextDicom: ${BURNED_TEXT_SYNTAXES[syntax].name} needs one encoded codestream per frame (${stored.frames.length})`,
      );
    // An empty Basic Offset Table, then one fragment per frame (even lengths, PS3.5 A.4).
    dataset.set(pixelTag, {
      tag: pixelTag,
      vr: 'OB',
      fragments: [new Uint8Array(0), ...fragments.map(even)],
    });
  }
  return writeDicomFile({ dataset, transferSyntaxUID: uid });
}

/** Stored samples as little-endian bytes, frames one after another. */
function native(stored: StoredFrames): Uint8Array {
  const perFrame = stored.width * stored.height * stored.samplesPerPixel;
  const bytesPer = stored.bitsAllocated / 8;
  const out = new Uint8Array(perFrame * bytesPer * stored.frames.length);
  const view = new DataView(out.buffer);
  stored.frames.forEach((frame, f) => {
    const base = f * perFrame;
    if (bytesPer === 1) out.set(frame as Uint8Array, base);
    else for (let i = 0; i < perFrame; i++) view.setUint16((base + i) * 2, frame[i], true);
  });
  return out;
}

function even(bytes: Uint8Array): Uint8Array {
  if (bytes.length % 2 === 0) return bytes;
  const out = new Uint8Array(bytes.length + 1);
  out.set(bytes);
  return out;
}
