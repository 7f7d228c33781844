// Every sample file with pixel data decodes (or fails with a named PixelError), and decoded stored
// values match dcmtk's decompression (exactly for lossless syntaxes, ±1 for lossy JPEG) and each other.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDicomFile } from '../../dicom/read';
import type { DicomFile } from '../../dicom/types';
import { PIXEL_DATA } from '../../dicom/types';
import { loadCodecs } from '../../../platform/node/codecs';
import type { CodecSet, Frame, PixelDescription } from '../types';
import { decodeFrame } from './decode-frame';
import { describePixels } from './describe-pixels';
import { PixelError } from './pixel-error';

const SAMPLES = fileURLToPath(new URL('../../../../test-data/dicom-samples/', import.meta.url));

function listSamples(dir = SAMPLES): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listSamples(p));
    else out.push(relative(SAMPLES, p).split('\\').join('/'));
  }
  return out;
}

async function readSample(path: string): Promise<DicomFile | undefined> {
  try {
    return await readDicomFile(new Uint8Array(readFileSync(path)));
  } catch {
    return undefined;
  }
}

interface Decoded {
  desc: PixelDescription;
  frames: Frame[];
}

/** Reads a file and decodes every frame. */
async function decodeFile(path: string, codecs: CodecSet): Promise<Decoded> {
  const file = await readDicomFile(new Uint8Array(readFileSync(path)));
  const desc = describePixels(file.dataset, file.syntax.transferSyntaxUID);
  const frames: Frame[] = [];
  for (let i = 0; i < desc.numberOfFrames; i++)
    frames.push(await decodeFrame(file.dataset, desc, i, codecs));
  return { desc, frames };
}

function hasPixelData(file: DicomFile): boolean {
  return file.dataset.has(PIXEL_DATA);
}

/** True when a dcmtk tool is on PATH. */
function hasTool(tool: string): boolean {
  try {
    execFileSync(tool, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function runTool(tool: string, args: string[]): void {
  execFileSync(tool, args, { stdio: 'ignore' });
}

/** Largest absolute difference between two frames' samples; Infinity when shapes differ. */
function maxDifference(a: Frame, b: Frame): number {
  if (
    a.width !== b.width ||
    a.height !== b.height ||
    a.samplesPerPixel !== b.samplesPerPixel ||
    a.data.length !== b.data.length
  ) {
    return Infinity;
  }
  let max = 0;
  for (let i = 0; i < a.data.length; i++) max = Math.max(max, Math.abs(a.data[i] - b.data[i]));
  return max;
}

function meanDifference(a: Frame, b: Frame): number {
  let sum = 0;
  for (let i = 0; i < a.data.length; i++) sum += Math.abs(a.data[i] - b.data[i]);
  return sum / a.data.length;
}

/** Files whose pixel data cannot be decoded, and why (each is genuinely broken or not an image). */
const EXPECTED_FAILURES: Record<string, PixelError['code']> = {
  // Four bytes of the JPEG 2000 codestream were overwritten with a sequence delimiter (pydicom #1140).
  'JPEG2000-embedded-sequence-delimiter.dcm': 'codec-failed',
  // A 2-byte stub PixelData without any Image Pixel module attributes.
  'meta_missing_tsyntax.dcm': 'bad-pixel-module',
  'nested_priv_SQ.dcm': 'bad-pixel-module',
};

let codecs: CodecSet;
let ownJpegOnly: CodecSet;
beforeAll(async () => {
  codecs = await loadCodecs();
  // The same codecs without libjpeg-turbo: 8-bit JPEG then goes through our own decoder.
  ownJpegOnly = { decodeJpegLs: codecs.decodeJpegLs, decodeJpeg2000: codecs.decodeJpeg2000 };
}, 60_000);

const sample = (name: string): string => join(SAMPLES, name);

describe('every sample file with PixelData', () => {
  it('decodes every frame, or fails with the expected PixelError', async () => {
    const outcomes: Record<string, string> = {};
    let decoded = 0;
    for (const rel of listSamples()) {
      const file = await readSample(sample(rel));
      if (!file || !hasPixelData(file)) continue;
      try {
        const { desc, frames } = await decodeFile(sample(rel), codecs);
        expect(frames).toHaveLength(desc.numberOfFrames);
        for (const f of frames) {
          expect(f.width).toBe(desc.columns);
          expect(f.height).toBe(desc.rows);
          expect(f.data.length).toBe(desc.rows * desc.columns * f.samplesPerPixel);
        }
        outcomes[rel] = 'ok';
        decoded++;
      } catch (e) {
        expect(e).toBeInstanceOf(PixelError);
        expect((e as Error).message).toMatch(/\(\w{4},\w{4}\)|JPEG|decoder|frame/);
        outcomes[rel] = (e as PixelError).code;
      }
    }
    for (const [rel, code] of Object.entries(outcomes))
      expect([rel, code]).toEqual([rel, EXPECTED_FAILURES[rel] ?? 'ok']);
    expect(decoded).toBeGreaterThanOrEqual(70);
  }, 120_000);
});

// ---- ground truth from dcmtk ----

interface Reference {
  tool: string;
  args: string[];
  lossy?: boolean;
}

const DJPEG = (lossy: boolean, ...args: string[]): Reference => ({ tool: 'dcmdjpeg', args, lossy });
const REFERENCES: Record<string, Reference> = {
  'MR_small_RLE.dcm': { tool: 'dcmdrle', args: [] },
  'SC_rgb_rle.dcm': { tool: 'dcmdrle', args: [] },
  'SC_rgb_rle_2frame.dcm': { tool: 'dcmdrle', args: [] },
  'SC_rgb_rle_16bit.dcm': { tool: 'dcmdrle', args: [] },
  'SC_rgb_rle_16bit_2frame.dcm': { tool: 'dcmdrle', args: [] },
  'SC_rgb_rle_32bit.dcm': { tool: 'dcmdrle', args: [] },
  'SC_rgb_rle_32bit_2frame.dcm': { tool: 'dcmdrle', args: [] },
  'rtdose_rle.dcm': { tool: 'dcmdrle', args: [] },
  'rtdose_rle_1frame.dcm': { tool: 'dcmdrle', args: [] },
  'MR_small_jpeg_ls_lossless.dcm': { tool: 'dcmdjpls', args: [] },
  'SC_rgb_jpeg_gdcm.dcm': DJPEG(false),
  'JPGExtended.dcm': DJPEG(true),
  'JPEG-lossy.dcm': DJPEG(true),
  'SC_jpeg_no_color_transform.dcm': DJPEG(true),
  'SC_jpeg_no_color_transform_2.dcm': DJPEG(true),
  'SC_rgb_dcmtk_+eb+cr.dcm': DJPEG(true),
  'SC_rgb_dcmtk_+eb+cy+n1.dcm': DJPEG(true),
  'SC_rgb_dcmtk_+eb+cy+n2.dcm': DJPEG(true),
  'SC_rgb_dcmtk_+eb+cy+np.dcm': DJPEG(true),
  'SC_rgb_dcmtk_+eb+cy+s2.dcm': DJPEG(true),
  'SC_rgb_dcmtk_+eb+cy+s4.dcm': DJPEG(true),
  'SC_rgb_jpeg_app14_dcmd.dcm': DJPEG(true),
  'SC_rgb_jpeg_dcmtk.dcm': DJPEG(true),
  // RGB by its header but chroma-subsampled YCbCr without JFIF: dcmtk converts only when told to guess.
  'SC_rgb_jpeg_lossy_gdcm.dcm': DJPEG(true, '+cg'),
  'SC_rgb_small_odd_jpeg.dcm': DJPEG(true),
  'ExplVR_BigEnd.dcm': { tool: 'dcmconv', args: ['+te'] },
  'MR_small_bigendian.dcm': { tool: 'dcmconv', args: ['+te'] },
  'MR_small_expb.dcm': { tool: 'dcmconv', args: ['+te'] },
  // Not rtdose_expb*: dcmconv swaps 32-bit OW data per 16-bit word (pydicom's README says its pixel
  // data was corrected by script after dcmconv); those files are checked against rtdose.dcm below.
  'liver_expb_1frame.dcm': { tool: 'dcmconv', args: ['+te'] },
  'image_dfl.dcm': { tool: 'dcmconv', args: ['+te'] },
};

const TOOLS = ['dcmdrle', 'dcmdjpeg', 'dcmdjpls', 'dcmconv'];
const missing = TOOLS.filter((t) => !hasTool(t));
if (missing.length) {
  console.warn(
    `Skipping dcmtk ground-truth comparisons: ${missing.join(', ')} not found (install dcmtk).`,
  );
}

describe.skipIf(missing.length > 0)('decoded values equal dcmtk decompression', () => {
  let dir: string;
  const refs = new Map<string, Decoded>();
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cleanroom-pixels-'));
    for (const [name, ref] of Object.entries(REFERENCES)) {
      const out = join(dir, name);
      runTool(ref.tool, [...ref.args, sample(name), out]);
      refs.set(name, await decodeFile(out, codecs));
    }
  }, 180_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const errors: string[] = [];
  afterAll(() => {
    if (errors.length) console.warn(`lossy JPEG max |error| vs dcmdjpeg: ${errors.join(', ')}`);
  });

  for (const [name, ref] of Object.entries(REFERENCES)) {
    const variants: [string, () => CodecSet][] =
      ref.tool === 'dcmdjpeg'
        ? [
            ['with libjpeg-turbo where it applies', () => codecs],
            ['with our own JPEG decoder', () => ownJpegOnly],
          ]
        : [['', () => codecs]];
    for (const [label, set] of variants) {
      it(
        `${name} ${ref.lossy ? 'is within ±1 of' : 'equals'} ${ref.tool} ${ref.args.join(' ')} ${label}`.trim(),
        async () => {
          const ours = await decodeFile(sample(name), set());
          const theirs = refs.get(name)!;
          expect(ours.frames.length).toBe(theirs.frames.length);
          for (let i = 0; i < ours.frames.length; i++) {
            const a = ours.frames[i];
            const b = theirs.frames[i];
            expect([a.signed, a.samplesPerPixel, a.photometric]).toEqual([
              b.signed,
              b.samplesPerPixel,
              b.photometric,
            ]);
            const d = maxDifference(a, b);
            if (ref.lossy) {
              errors.push(`${name}${label.includes('own') ? ' (own)' : ''} ${d}`);
              expect(d).toBeLessThanOrEqual(1);
            } else expect(d).toBe(0);
          }
        },
      );
    }
  }
});

describe('variants of one image decode to the same values', () => {
  async function frames(name: string, set: CodecSet = codecs) {
    return (await decodeFile(sample(name), set)).frames;
  }

  it('MR_small in RLE, JPEG-LS, JPEG 2000 lossless, big endian, implicit and padded equals MR_small', async () => {
    const [ref] = await frames('MR_small.dcm');
    for (const name of [
      'MR_small_RLE.dcm',
      'MR_small_jpeg_ls_lossless.dcm',
      'MR_small_jp2klossless.dcm',
      'MR_small_bigendian.dcm',
      'MR_small_expb.dcm',
      'MR_small_implicit.dcm',
      'MR_small_padded.dcm',
    ]) {
      const [f] = await frames(name);
      expect([name, maxDifference(f, ref)]).toEqual([name, 0]);
      expect(f.signed).toBe(true);
    }
  });

  it('rtdose in implicit LE, big endian and RLE, 15 frames and 1, are equal frame by frame', async () => {
    const ref = await frames('rtdose.dcm');
    expect(ref).toHaveLength(15);
    for (const name of ['rtdose_expb.dcm', 'rtdose_rle.dcm', 'badVR.dcm']) {
      const f = await frames(name);
      expect(f).toHaveLength(15);
      f.forEach((fr, i) => expect(maxDifference(fr, ref[i])).toBe(0));
    }
    for (const name of ['rtdose_1frame.dcm', 'rtdose_expb_1frame.dcm', 'rtdose_rle_1frame.dcm']) {
      expect(maxDifference((await frames(name))[0], ref[0])).toBe(0);
    }
  });

  it('SC_rgb in RLE 8/16/32-bit, 1 and 2 frames and lossless JPEG hold the same RGB image', async () => {
    const [ref] = await frames('SC_rgb_rle.dcm');
    const [lossless] = await frames('SC_rgb_jpeg_gdcm.dcm');
    expect(maxDifference(lossless, ref)).toBe(0);
    for (const fr of await frames('SC_rgb_rle_2frame.dcm'))
      expect(fr.data.length).toBe(ref.data.length);
    const [f16] = await frames('SC_rgb_rle_16bit.dcm');
    const [f32] = await frames('SC_rgb_rle_32bit.dcm');
    for (let i = 0; i < ref.data.length; i++) {
      if (f16.data[i] >>> 8 !== ref.data[i] || Math.floor(f32.data[i] / 2 ** 24) !== ref.data[i]) {
        throw new Error(`sample ${i} differs between bit depths`);
      }
    }
  });

  it('SC_rgb lossy JPEG (RGB, YBR_FULL, YBR_FULL_422, subsampled, JPEG 2000) stays close to the lossless RGB', async () => {
    const [ref] = await frames('SC_rgb_rle.dcm');
    const stats: string[] = [];
    for (const name of [
      'SC_rgb_dcmtk_+eb+cr.dcm',
      'SC_rgb_dcmtk_+eb+cy+n1.dcm',
      'SC_rgb_dcmtk_+eb+cy+n2.dcm',
      'SC_rgb_dcmtk_+eb+cy+np.dcm',
      'SC_rgb_dcmtk_+eb+cy+s2.dcm',
      'SC_rgb_dcmtk_+eb+cy+s4.dcm',
      'SC_rgb_jpeg_dcmtk.dcm',
      'SC_rgb_jpeg_lossy_gdcm.dcm',
      'SC_rgb_gdcm_KY.dcm',
      'SC_ybr_full_422_uncompressed.dcm',
    ]) {
      for (const set of [codecs, ownJpegOnly]) {
        const [f] = await frames(name, set);
        const mean = meanDifference(f, ref);
        stats.push(`${name} ${mean.toFixed(2)}`);
        // Wrong colour handling (YCbCr shown as RGB, planes swapped) gives a mean error of tens.
        expect([name, mean < 3]).toEqual([name, true]);
      }
    }
  });

  it('YBR_FULL_422 uncompressed equals its JPEG source decoded by dcmtk-compatible rules within ±2', async () => {
    const [ybr] = await frames('SC_ybr_full_422_uncompressed.dcm');
    const [jpeg] = await frames('SC_rgb_dcmtk_+eb+cy+n2.dcm', ownJpegOnly);
    expect(meanDifference(ybr, jpeg)).toBeLessThan(1.5);
  });

  it('SC_rgb_jpeg (no file meta, APP14) equals SC_rgb_jpeg_dcmd (its dcmtk decompression) within ±1', async () => {
    const [a] = await frames('SC_rgb_jpeg.dcm', ownJpegOnly);
    const [b] = await frames('SC_rgb_jpeg_dcmd.dcm');
    expect(maxDifference(a, b)).toBeLessThanOrEqual(1);
  });

  it('SC_rgb_small_odd (3×3) and its JPEG are close', async () => {
    const [a] = await frames('SC_rgb_small_odd.dcm');
    const [b] = await frames('SC_rgb_small_odd_jpeg.dcm', ownJpegOnly);
    expect(meanDifference(a, b)).toBeLessThan(6);
  });

  it('JPEG-lossy (SOS with Se = 0) decodes exactly like JPGExtended', async () => {
    const [a] = await frames('JPEG-lossy.dcm');
    const [b] = await frames('JPGExtended.dcm');
    expect(maxDifference(a, b)).toBe(0);
  });

  it('1-bit liver in little and big endian are equal', async () => {
    const [a] = await frames('liver_1frame.dcm');
    const [b] = await frames('liver_expb_1frame.dcm');
    expect(maxDifference(a, b)).toBe(0);
    expect(a.data.some((v) => v === 1)).toBe(true);
  });
});
