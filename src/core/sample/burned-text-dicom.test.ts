import { describe, expect, it } from 'vitest';
import { readDicomFile } from '../dicom/read';
import { getText } from '../dicom/element';
import { tagForKeyword } from '../dicom/dictionary';
import { decodeFrame, describePixels } from '../pixels/decode';
import type { Frame } from '../pixels/types';
import { loadCodecs } from '../../platform/node/codecs';
import { burnedTextFile } from '../../../bench/frame-encoders';
import { generateBurnedTextSet, generateMultiFrameText } from './burned-text';
import { BURNED_TEXT_SYNTAXES, burnedTextDicom, storedFramesOf } from './burned-text-dicom';

const set = generateBurnedTextSet(2, 10);
const mono16 = set.find((s) => s.bitsAllocated === 16)!;
const rgb = set.find((s) => s.samplesPerPixel === 3)!;
const mono8 = set.find((s) => s.bitsAllocated === 8 && s.samplesPerPixel === 1)!;
const cine = generateMultiFrameText(5, 3, 14);

async function decodeAll(bytes: Uint8Array): Promise<{ frames: Frame[]; syntax: string }> {
  const file = await readDicomFile(bytes);
  const desc = describePixels(file.dataset, file.syntax.transferSyntaxUID);
  const codecs = await loadCodecs();
  const frames: Frame[] = [];
  for (let i = 0; i < desc.numberOfFrames; i++)
    frames.push(await decodeFrame(file.dataset, desc, i, codecs));
  return { frames, syntax: file.syntax.transferSyntaxUID };
}

function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

describe('burnedTextDicom', () => {
  it('native and RLE Lossless files decode to the generated stored samples, every frame (mono 8/16-bit, RGB, multi-frame)', async () => {
    for (const image of [mono16, rgb, mono8, cine])
      for (const syntax of ['native', 'rle'] as const) {
        const { frames, syntax: uid } = await decodeAll(burnedTextDicom(image, syntax));
        expect(uid).toBe(BURNED_TEXT_SYNTAXES[syntax].uid);
        const stored = storedFramesOf(image, syntax);
        expect(frames).toHaveLength(stored.frames.length);
        frames.forEach((f, i) => expect(maxDifference(f.data, stored.frames[i])).toBe(0));
      }
  });

  it('JPEG-LS and JPEG 2000 (wasm encoders in Node) are lossless: decoded samples equal the generated ones', async () => {
    for (const image of [mono16, rgb, cine])
      for (const syntax of ['jpeg-ls', 'jpeg-2000'] as const) {
        const { frames, syntax: uid } = await decodeAll(await burnedTextFile(image, syntax));
        expect(uid).toBe(BURNED_TEXT_SYNTAXES[syntax].uid);
        const stored = storedFramesOf(image, syntax);
        frames.forEach((f, i) => expect(maxDifference(f.data, stored.frames[i])).toBe(0));
      }
  });

  it('JPEG baseline is lossy 8-bit: 16-bit images go in as their windowed grey, colour as YBR_FULL_422, LossyImageCompression 01', async () => {
    const stored16 = storedFramesOf(mono16, 'jpeg-baseline');
    expect(stored16.bitsAllocated).toBe(8);
    expect(stored16.frames[0]).toBe(mono16.image.data);
    const bytes = await burnedTextFile(rgb, 'jpeg-baseline');
    const file = await readDicomFile(bytes);
    expect(getText(file.dataset, tagForKeyword('PhotometricInterpretation')!)).toBe('YBR_FULL_422');
    expect(getText(file.dataset, tagForKeyword('LossyImageCompression')!)).toBe('01');
    const { frames } = await decodeAll(bytes);
    const diff = maxDifference(frames[0].data, rgb.stored);
    expect(diff).toBeGreaterThan(0);
    // Close on average: the image is the same picture after a quality-90 round trip.
    let sum = 0;
    for (let i = 0; i < rgb.stored.length; i++) sum += Math.abs(frames[0].data[i] - rgb.stored[i]);
    expect(sum / rgb.stored.length).toBeLessThan(4);
  });

  it('a platform syntax without one codestream per frame is refused', () => {
    expect(() => burnedTextDicom(cine, 'jpeg-ls')).toThrow(/one encoded codestream per frame/);
    expect(() => burnedTextDicom(mono8, 'jpeg-2000', [])).toThrow(/JPEG 2000/);
  });
});
