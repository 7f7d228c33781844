// Redacts boxes in an image's pixels: native data edited in place, compressed data re-encoded as RLE Lossless.
import { trimUid } from '../../dicom/syntax';
import type { Dataset } from '../../dicom/types';
import { PIXEL_DATA } from '../../dicom/types';
import { describePixels } from '../decode/describe-pixels';
import { PixelError } from '../decode/pixel-error';
import { pixelCodingOf } from '../decode/syntaxes';
import type { Box, CodecSet } from '../types';
import { coveredPixels, planBoxes, type Rect } from './boxes';
import { reencodeRedacted } from './encapsulated';
import { storedFill } from './fill';
import { describeReencoded, dropValueRanges, markReviewed, RLE_LOSSLESS, wasLossy } from './header';
import { fillNativeFrame } from './native';

export interface RedactionOptions {
  /** A reviewer looked at this image's boxes: BurnedInAnnotation may then become NO. */
  reviewed: boolean;
  /** The only fill: the darkest value (black for colour, see fill.ts for monochrome). */
  fill?: 'minimum';
}

/** What was done, for the export log: geometry and counts, never a pixel or header value. */
export interface RedactionLogEntry {
  boxes: Box[];
  framesChanged: number;
  pixelsChanged: number;
  inputSyntax: string;
  outputSyntax: string;
  fill: string;
}

export interface RedactionResult {
  dataset: Dataset;
  transferSyntaxUID: string;
  changed: boolean;
  framesChanged: number;
  /** Pixels covered by the boxes, summed over frames (overlapping boxes counted once). */
  pixelsChanged: number;
  log: RedactionLogEntry;
}

function countCovered(rects: Map<number, Rect[]>, columns: number, rows: number): number {
  let n = 0;
  for (const list of rects.values()) n += coveredPixels(list, columns, rows);
  return n;
}

/**
 * Fills `boxes` with black in the image's pixels. Zero boxes (or none inside the image) return
 * the input as it is (`changed` false). Native pixel data is copied once and edited in place, in
 * its own layout and byte order, so every byte outside the boxes stays identical and the transfer
 * syntax is kept. Compressed pixel data is decoded frame by frame, filled and re-encoded losslessly
 * as RLE Lossless (every frame, boxes or not), with the Image Pixel module describing the decoded
 * data. The input data set is never modified; the result shares its untouched elements.
 */
export async function redactPixels(
  input: { dataset: Dataset; transferSyntaxUID: string },
  boxes: readonly Box[],
  codecs: CodecSet,
  options: RedactionOptions,
): Promise<RedactionResult> {
  const inputSyntax = trimUid(input.transferSyntaxUID);
  const unchanged = (fill: string): RedactionResult => ({
    dataset: input.dataset,
    transferSyntaxUID: input.transferSyntaxUID,
    changed: false,
    framesChanged: 0,
    pixelsChanged: 0,
    log: {
      boxes: [],
      framesChanged: 0,
      pixelsChanged: 0,
      inputSyntax,
      outputSyntax: inputSyntax,
      fill,
    },
  });
  if (boxes.length === 0) return unchanged('none');
  if (options.fill !== undefined && options.fill !== 'minimum') {
    throw new PixelError('bad-pixel-module', 'The only redaction fill is "minimum".');
  }
  const desc = describePixels(input.dataset, inputSyntax);
  const coding = pixelCodingOf(inputSyntax);
  if (!coding)
    throw new PixelError('unsupported-syntax', `Transfer syntax ${inputSyntax} cannot be decoded.`);
  const native = coding.coding === 'native';
  const pairs = native && desc.photometric === 'YBR_FULL_422';
  const plan = planBoxes(boxes, desc.rows, desc.columns, desc.numberOfFrames, pairs);
  if (plan.rects.size === 0) return unchanged('none');

  const dataset: Dataset = new Map(input.dataset);
  const framesChanged = plan.rects.size;
  const pixelsChanged = countCovered(plan.rects, desc.columns, desc.rows);
  let outputSyntax = inputSyntax;
  let fill: string;
  if (native) {
    const element = input.dataset.get(PIXEL_DATA);
    if (!element?.bytes)
      throw new PixelError('bad-pixel-module', 'PixelData (7FE0,0010) is not native.');
    const bytes = element.bytes.slice();
    const f = storedFill(desc);
    for (const [frame, rects] of plan.rects)
      fillNativeFrame(bytes, desc, coding.littleEndian, element.vr, frame, rects, f);
    dataset.set(PIXEL_DATA, { tag: PIXEL_DATA, vr: element.vr, bytes });
    fill = f.description;
  } else {
    const lossy = wasLossy(input.dataset, inputSyntax);
    const out = await reencodeRedacted(input.dataset, desc, plan.rects, codecs);
    dataset.set(PIXEL_DATA, { tag: PIXEL_DATA, vr: 'OB', fragments: out.fragments });
    describeReencoded(dataset, out.encoding, inputSyntax, lossy);
    outputSyntax = RLE_LOSSLESS;
    fill = out.fillDescription;
  }
  dropValueRanges(dataset);
  if (options.reviewed) markReviewed(dataset);
  return {
    dataset,
    transferSyntaxUID: outputSyntax,
    changed: true,
    framesChanged,
    pixelsChanged,
    log: { boxes: plan.applied, framesChanged, pixelsChanged, inputSyntax, outputSyntax, fill },
  };
}
