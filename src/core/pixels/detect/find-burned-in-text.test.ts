import { describe, expect, it } from 'vitest';
import type { Box, Gray8 } from '../types';
import type { OcrEngine, OcrInput, OcrWord, PhiContext } from './types';
import { readFileSync } from 'node:fs';
import { dedupFrames, findBurnedInText, shapedLikeText } from './find-burned-in-text';
import { readDicomFile } from '../../dicom/read';
import { decodeFrame, describePixels, toGray8 } from '../decode';
import { generateBurnedTextSet, generateMultiFrameText } from '../../sample/burned-text';
import { REASONS } from './classify';

/**
 * A scripted stand-in for tesseract (the engine is not the part under test here): it "reads" one
 * word over the first planted box, in OCR-input pixels, so the mapping back is exercised.
 */
function scriptedOcr(word: {
  text: string;
  x: number;
  y: number;
  w: number;
  h: number;
}): OcrEngine & { calls: OcrInput[] } {
  const calls: OcrInput[] = [];
  return {
    calls,
    async recognize(input: OcrInput): Promise<OcrWord[]> {
      calls.push(input);
      const s = input.scale;
      return [
        {
          text: word.text,
          confidence: 88,
          box: {
            x: (word.x - input.offsetX) * s,
            y: (word.y - input.offsetY) * s,
            w: word.w * s,
            h: word.h * s,
          },
        },
      ].map((w) => ({
        ...w,
        box: {
          x: input.offsetX + w.box.x / s,
          y: input.offsetY + w.box.y / s,
          w: w.box.w / s,
          h: w.box.h / s,
        },
      }));
    },
    async terminate() {},
  };
}

const context: PhiContext = {
  mode: 'identifiers',
  identifiers: ['DOE^JANE', '4471203'],
  safeTokens: [],
};
const [withText] = generateBurnedTextSet(3, 1);
const blank: Gray8 = { width: 128, height: 128, data: new Uint8Array(128 * 128).fill(30) };

describe('findBurnedInText', () => {
  it('identical frames are read once (dedup by hash, confirmed byte for byte)', async () => {
    const other: Gray8 = { ...blank, data: blank.data.slice() };
    other.data[5] = 31;
    const groups = dedupFrames([blank, { ...blank, data: blank.data.slice() }, other, blank]);
    expect(groups.map((g) => g.indexes)).toEqual([[0, 1, 3], [2]]);
  });

  it('a box in every frame of a cine comes back once, for all frames', async () => {
    const ocr = scriptedOcr({ text: '4471203', x: 20, y: 20, w: 60, h: 12 });
    const frames = [blank, { ...blank, data: blank.data.slice() }, blank];
    const found = await findBurnedInText(frames, context, ocr, { alwaysRead: true });
    expect(found.framesRead).toBe(1);
    expect(found.read).toBe('ocr');
    expect(found.boxes).toHaveLength(1);
    expect(found.boxes[0].frame).toBeUndefined();
    expect(found.boxes[0].reason).toBe("matches one of the patient's IDs");
  });

  it('without alwaysRead, frames the prefilter clears are not read', async () => {
    const ocr = scriptedOcr({ text: '4471203', x: 20, y: 20, w: 60, h: 12 });
    const found = await findBurnedInText([blank], context, ocr, { alwaysRead: false });
    expect(found).toEqual({ boxes: [], read: 'cleared', framesRead: 0 });
    expect(ocr.calls).toHaveLength(0);
  });

  it('prefiltered frames are read, with boxes mapped back to frame pixels and clipped to the frame', async () => {
    const p = withText.planted[0].box;
    const ocr = scriptedOcr({ text: 'DOE,', ...p });
    const found = await findBurnedInText([withText.image], { ...context, mode: 'all-text' }, ocr, {
      alwaysRead: false,
    });
    expect(found.framesRead).toBe(1);
    expect(ocr.calls.length).toBeGreaterThan(1);
    const box = found.boxes[0];
    expect(box.frame).toBeUndefined();
    expect(box.x).toBeLessThanOrEqual(p.x);
    expect(box.y).toBeLessThanOrEqual(p.y);
    expect(box.x + box.w).toBeGreaterThanOrEqual(Math.min(withText.image.width, p.x + p.w));
    expect(box.x + box.w).toBeLessThanOrEqual(withText.image.width);
  });

  it('safety net: in a frame that is read, text OCR did not read comes back as prefilter boxes', async () => {
    const silent: OcrEngine = { recognize: async () => [], terminate: async () => {} };
    const found = await findBurnedInText([withText.image], context, silent, { alwaysRead: true });
    const net = found.boxes.filter((b) => b.source === 'prefilter');
    expect(net.length).toBeGreaterThan(0);
    expect(net.every((b) => b.reason === REASONS.unread)).toBe(true);
    const p = withText.planted[0].box;
    expect(net.some((b) => b.x <= p.x && b.y <= p.y && b.x + b.w >= p.x + p.w - 1)).toBe(true);
  });

  it('safety net off: only what OCR read and classified comes back', async () => {
    const silent: OcrEngine = { recognize: async () => [], terminate: async () => {} };
    const found = await findBurnedInText([withText.image], context, silent, {
      alwaysRead: true,
      safetyNet: false,
    });
    expect(found.boxes).toEqual([]);
  });

  it('safety net: a frame the prefilter clears gets no boxes', async () => {
    const silent: OcrEngine = { recognize: async () => [], terminate: async () => {} };
    const found = await findBurnedInText([blank], context, silent, { alwaysRead: false });
    expect(found.boxes).toEqual([]);
  });

  it('multi-frame: text on every frame comes back for all frames, frame-specific text with its frame', async () => {
    const cine = generateMultiFrameText(5, 3, 14);
    const silent: OcrEngine = { recognize: async () => [], terminate: async () => {} };
    const found = await findBurnedInText(cine.frames, context, silent, { alwaysRead: true });
    expect(found.framesRead).toBe(3);
    const covers = (b: { x: number; y: number; w: number; h: number }, p: typeof b) =>
      b.x <= p.x && b.y <= p.y && b.x + b.w >= p.x + p.w - 1 && b.y + b.h >= p.y + p.h - 1;
    for (const p of cine.planted) {
      const owners = found.boxes.filter((b) => covers(b, p.box));
      expect(owners.length, p.kind).toBeGreaterThan(0);
      if (p.box.frame === undefined) expect(owners.some((b) => b.frame === undefined)).toBe(true);
      else expect(owners.every((b) => b.frame === p.box.frame)).toBe(true);
    }
  });
});

describe('findBurnedInText second pass (ink-keyed lines)', () => {
  // bench/burned-text's bt-0025: a dim (level 120) 24 px name drawn from black into the
  // ultrasound fan's speckle; the blob finder sees only its part on black.
  const us = generateBurnedTextSet(23, 26)[25];
  const name = us.planted.find((p) => p.kind === 'name')!;
  const recording = (): OcrEngine & { labels: string[] } => {
    const labels: string[] = [];
    return {
      labels,
      recognize: async (input) => {
        labels.push(input.label);
        return [];
      },
      terminate: async () => {},
    };
  };
  const allText: PhiContext = { ...context, mode: 'all-text' };
  const coveredShare = (p: Box, boxes: readonly Box[]): number => {
    let inside = 0;
    for (let y = p.y; y < p.y + p.h; y++)
      for (let x = p.x; x < p.x + p.w; x++)
        if (boxes.some((b) => x >= b.x && x < b.x + b.w && y >= b.y && y < b.y + b.h)) inside++;
    return inside / (p.w * p.h);
  };

  it('the fixture is the hard case: dim text crossing ultrasound speckle', () => {
    expect(us.background).toBe('ultrasound');
    expect(name.contrast).toBe('dim');
  });

  it('text left unread is keyed by its ink and read again as a clean line', async () => {
    const ocr = recording();
    await findBurnedInText([us.image], allText, ocr, { alwaysRead: true });
    expect(ocr.labels.some((l) => l.startsWith('keyed line'))).toBe(true);
  });

  it('the safety net box of unread text grows along its ink over the speckle', async () => {
    const found = await findBurnedInText([us.image], allText, recording(), { alwaysRead: true });
    expect(coveredShare(name.box, found.boxes)).toBeGreaterThanOrEqual(0.9);
  });

  it('secondPass false: no keyed reading, and the net box stays on the blob', async () => {
    const ocr = recording();
    const found = await findBurnedInText([us.image], allText, ocr, {
      alwaysRead: true,
      secondPass: false,
    });
    expect(ocr.labels.some((l) => l.startsWith('keyed line'))).toBe(false);
    const share = coveredShare(name.box, found.boxes);
    expect(share).toBeGreaterThan(0.5);
    expect(share).toBeLessThan(0.9);
  });
});

describe('the safety net on ordinary images (chosen by the prefilter, not high-risk)', () => {
  const readsNothing: OcrEngine = { recognize: async () => [], terminate: async () => {} };

  it('a region half the frame high or a quarter of its area is not taken for text', () => {
    expect(shapedLikeText({ x: 18, y: 0, w: 46, h: 64 }, { width: 64, height: 64 })).toBe(false);
    expect(shapedLikeText({ x: 0, y: 0, w: 400, h: 200 }, { width: 512, height: 512 })).toBe(false);
    expect(shapedLikeText({ x: 10, y: 480, w: 220, h: 28 }, { width: 512, height: 512 })).toBe(
      true,
    );
  });

  it("a real 64×64 MR slice's anatomy is not blacked out as unread text", async () => {
    const bytes = readFileSync(
      new URL('../../../../test-data/dicom-samples/MR_small.dcm', import.meta.url),
    );
    const file = await readDicomFile(new Uint8Array(bytes));
    const desc = describePixels(file.dataset, file.syntax.transferSyntaxUID);
    const gray = toGray8(await decodeFrame(file.dataset, desc, 0, {}), desc);
    const found = await findBurnedInText([gray], context, readsNothing, { alwaysRead: false });
    expect(found.boxes).toEqual([]);
  });
});
