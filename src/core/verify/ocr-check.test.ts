// The pixels-ocr check with real tesseract (one Node engine): a clean package from the export
// pipeline passes it; an altered copy whose one slice gets a burned-in date fails only it; a copy
// with the four alterations of issue 8 at once fails exactly four checks, whatever the OCR concurrency.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDicomFile } from '../dicom/read';
import { readZipEntries } from '../package/read-zip';
import { sha256Hex } from '../package/sha256';
import { zipEntries } from '../package/zip';
import { REASONS } from '../pixels/detect';
import type { OcrEngine } from '../pixels/detect';
import type { CodecSet } from '../pixels/types';
import { createRaster, drawText } from '../sample/pixels';
import { createNodeOcr } from '../../platform/node/ocr';
import { loadCodecs } from '../../platform/node/codecs';
import { exportGeneratedPackage } from '../../pipeline/generated-package.fixture';
import { alterPackageCopy } from './altered-copy.fixture';
import { redactionsOf } from './documents';
import {
  insideRedaction,
  lookOf,
  ocrCheckResult,
  ocrImage,
  runOcrCheck,
  skipOcrCheck,
  type OcrImageResult,
} from './ocr-check';
import { ocrSampleSize } from './sample';
import { zipSource } from './source';
import { reportJson } from './report-json';
import { type OcrCandidate, type VerifyReport } from './types';
import { verifyPackage } from './verify-package';

const SIZE = 320;
const BURNED = '12/03/1961';

/** Burns `text` into the native 16-bit pixels of one file (top left, in the air), in place. */
async function burnText(
  file: Uint8Array,
  text: string,
): Promise<{ x: number; y: number; w: number; h: number }> {
  const parsed = await readDicomFile(file);
  const start = parsed.pixelData!.valueStart;
  const raster = createRaster(SIZE, SIZE, 1);
  const box = drawText(raster, 12, 12, text, 3, [255]);
  const view = new DataView(file.buffer, file.byteOffset + start, SIZE * SIZE * 2);
  for (let i = 0; i < raster.data.length; i++) if (raster.data[i]) view.setInt16(i * 2, 4000, true);
  return box;
}

/** A copy of the package with `path` rewritten by `alter` and its manifest checksum updated. */
async function alterPackage(
  zip: Uint8Array,
  pick: (name: string) => boolean,
  alter: (data: Uint8Array) => Promise<void>,
): Promise<{ zip: Uint8Array; path: string }> {
  const entries: { name: string; data: Uint8Array }[] = [];
  for await (const e of readZipEntries(new Blob([zip as BlobPart])))
    entries.push({ name: e.name, data: await e.data() });
  const target = entries.find((e) => pick(e.name))!;
  await alter(target.data);
  const manifest = entries.find((e) => e.name === 'manifest.json')!;
  const json = JSON.parse(new TextDecoder().decode(manifest.data));
  const listed = json.files.find((f: { path: string }) => f.path === target.name);
  listed.sha256 = await sha256Hex(target.data);
  manifest.data = new TextEncoder().encode(`${JSON.stringify(json, null, 2)}\n`);
  const parts: Uint8Array[] = [];
  for await (const c of zipEntries(entries)) parts.push(c);
  return {
    zip: new Uint8Array(await new Blob(parts as BlobPart[]).arrayBuffer()),
    path: target.name,
  };
}

let engine: OcrEngine;
let codecs: CodecSet;
let clean: Uint8Array;

async function verifyWithOcr(zip: Uint8Array): Promise<VerifyReport> {
  const source = zipSource([new Blob([zip as BlobPart])]);
  const report = await verifyPackage(source);
  return runOcrCheck(source, report, (data, c) => ocrImage(data, c, { codecs, ocr: engine }));
}

const statusOf = (r: VerifyReport) => Object.fromEntries(r.checks.map((c) => [c.id, c.status]));

describe('the pixels-ocr check with tesseract', () => {
  beforeAll(async () => {
    [engine, codecs, clean] = await Promise.all([
      createNodeOcr(),
      loadCodecs(),
      exportGeneratedPackage({ slices: 6, size: SIZE, seed: 5, secretByte: 9 }),
    ]);
  }, 60_000);
  afterAll(async () => {
    await engine?.terminate();
  });

  it('a clean package from the export passes the OCR check and every other check', async () => {
    const report = await verifyWithOcr(clean);
    expect(Object.values(statusOf(report)).every((s) => s === 'pass')).toBe(true);
    expect(report.verdict).toBe('pass');
    expect(report.ocr.state).toBe('done');
    // No high-risk image; fewer than 20 others, so every slice is in the random sample.
    expect(report.ocr.entries).toHaveLength(6);
    expect(report.ocr.entries.every((e) => e.kind === 'sample' && e.state === 'read')).toBe(true);
    expect(report.checks.find((c) => c.id === 'pixels-ocr')!.counts.checked).toBe(6);
  }, 60_000);

  it('a slice with a burned-in date fails only the OCR check, naming file, box and what it looks like, never the text', async () => {
    let drawn = { x: 0, y: 0, w: 0, h: 0 };
    const altered = await alterPackage(
      clean,
      (name) => name.endsWith('.dcm'),
      async (data) => {
        drawn = await burnText(data, BURNED);
      },
    );
    const report = await verifyWithOcr(altered.zip);
    const failing = report.checks.filter((c) => c.status === 'fail');
    expect(failing.map((c) => c.id)).toEqual(['pixels-ocr']);
    const ocr = failing[0];
    expect(ocr.counts.failed).toBe(1);
    expect(ocr.findings).toHaveLength(1);
    const [finding] = ocr.findings;
    expect(finding.path).toBe(altered.path);
    expect(finding.message).toContain('text that looks like a date');
    expect(finding.message).not.toContain('1961');
    expect(finding.message).not.toContain('12/03');
    const m = /box x (\d+), y (\d+), (\d+)×(\d+) px/.exec(finding.message)!;
    const [x, y, w, h] = m.slice(1).map(Number);
    // The box covers the drawn text (padded a little, clipped to the frame).
    expect(x).toBeLessThanOrEqual(drawn.x + 2);
    expect(y).toBeLessThanOrEqual(drawn.y + 2);
    expect(x + w).toBeGreaterThanOrEqual(drawn.x + drawn.w - 2);
    expect(y + h).toBeGreaterThanOrEqual(drawn.y + drawn.h - 2);
    expect(report.verdict).toBe('fail');
  }, 60_000);

  it('a copy with four alterations at once (private name, broken checksum, removed file, burned-in text) fails exactly those four checks, each at its file', async () => {
    const altered = await alterPackageCopy([{ name: 'site-a-001.zip', data: clean }]);
    const paths = [
      altered.burnedText,
      altered.privateName,
      altered.brokenChecksum,
      altered.removed,
    ];
    expect(new Set(paths).size).toBe(4);
    const before = await verifyPackage(zipSource([new Blob([clean as BlobPart])]));
    const warnedBefore = new Set(
      before.checks.filter((c) => c.counts.warnings > 0).map((c) => c.id),
    );
    const source = zipSource(altered.volumes.map((v) => new Blob([v.data as BlobPart])));
    const checked = await verifyPackage(source);
    const read = (data: Uint8Array, c: OcrCandidate) => ocrImage(data, c, { codecs, ocr: engine });
    const report = await runOcrCheck(source, checked, read);

    const expected = {
      'checksums-match': altered.brokenChecksum,
      'no-missing-files': altered.removed,
      'private-elements-safe': altered.privateName,
      'pixels-ocr': altered.burnedText,
    };
    expect(report.verdict).toBe('fail');
    for (const check of report.checks) {
      const path = expected[check.id as keyof typeof expected];
      if (path === undefined) {
        // Every other check passes; warnings only where the clean package has them too.
        expect([check.id, check.status], check.id).toEqual([check.id, 'pass']);
        expect(check.counts.failed, check.id).toBe(0);
        expect(check.counts.warnings > 0, check.id).toBe(warnedBefore.has(check.id));
        continue;
      }
      expect(check.status, check.id).toBe('fail');
      expect(check.counts.failed, check.id).toBe(1);
      expect(
        check.findings.map((f) => [f.path, f.severity]),
        check.id,
      ).toEqual([[path, 'fail']]);
    }
    const message = (id: string) => report.checks.find((c) => c.id === id)!.findings[0].message;
    expect(message('checksums-match')).toContain('the manifest says');
    expect(message('no-missing-files')).toContain('not in the package');
    expect(message('private-elements-safe')).toContain('(0009,1010) "ACME" holding "Doe^Jane"');
    expect(message('pixels-ocr')).toContain('text that looks like a date');
    expect(message('pixels-ocr')).not.toContain('1961');
    // The name is still in the value dump, for a person to read; the removed file is not read by OCR.
    expect(report.dump.find((d) => d.value === 'Doe^Jane')).toMatchObject({ risk: 'high' });
    expect(report.ocr.entries.map((e) => e.path)).not.toContain(altered.removed);

    // Two readers at once, finishing in reverse order: the same report, byte for byte.
    let started = 0;
    const queued = report.ocr.entries.length;
    const reversed = async (data: Uint8Array, c: OcrCandidate) => {
      const wait = (queued - started++) * 40;
      const result = await read(data, c);
      await new Promise((resolve) => setTimeout(resolve, wait));
      return result;
    };
    const two = await runOcrCheck(source, checked, reversed, { concurrency: 2 });
    expect(reportJson(two)).toBe(reportJson(report));
  }, 120_000);

  it('text inside a box the redaction log lists is not a finding; in a high-risk image any other word is', async () => {
    const entries: { name: string; data: Uint8Array }[] = [];
    for await (const e of readZipEntries(new Blob([clean as BlobPart])))
      entries.push({ name: e.name, data: await e.data() });
    const slice = entries.find((e) => e.name.endsWith('.dcm'))!;
    // A plain dark page with one line of text, like a screen save (OCR reads CT anatomy as words).
    const start = (await readDicomFile(slice.data)).pixelData!.valueStart;
    slice.data.fill(0, start, start + SIZE * SIZE * 2);
    const box = await burnText(slice.data, 'HELLO WORLD');
    const highRisk: OcrCandidate = {
      path: slice.name,
      reasons: ['test'],
      state: 'not run yet',
      kind: 'high-risk',
      modality: 'CT',
    };
    const open = await ocrImage(slice.data, highRisk, { codecs, ocr: engine });
    expect(open.findings.map((f) => f.reason)).toContain(REASONS.allText);
    const redacted = await ocrImage(
      slice.data,
      { ...highRisk, redacted: [{ x: box.x - 4, y: box.y - 4, w: box.w + 8, h: box.h + 8 }] },
      { codecs, ocr: engine },
    );
    expect(redacted.findings).toEqual([]);
    expect(redacted.framesRead).toBe(1);
  }, 60_000);

  it('an image whose PixelData is too short for a legible character has nothing to read and no problem', async () => {
    const sample = readFileSync(
      new URL('../../../test-data/dicom-samples/meta_missing_tsyntax.dcm', import.meta.url),
    );
    const candidate: OcrCandidate = {
      path: 'A/tiny.dcm',
      reasons: ['test'],
      state: 'not run yet',
      kind: 'high-risk',
    };
    const result = await ocrImage(new Uint8Array(sample), candidate, { codecs, ocr: engine });
    expect(result).toEqual({ path: 'A/tiny.dcm', frames: 0, framesRead: 0, findings: [] });
  });
});

describe('the pixels-ocr check without an engine', () => {
  const queue: OcrCandidate[] = [
    { path: 'A/1.dcm', reasons: ['US'], state: 'not run yet', kind: 'high-risk' },
    { path: 'A/2.dcm', reasons: ['random sample (seed 1)'], state: 'not run yet', kind: 'sample' },
  ];
  const report = (): VerifyReport =>
    ({
      verdict: 'pass',
      checks: [
        {
          id: 'pixels-ocr',
          title: 't',
          status: 'not-run',
          counts: { checked: 0, failed: 0, warnings: 0 },
          findings: [],
          omittedFindings: 0,
        },
      ],
      files: 2,
      bytes: 2,
      dicomFiles: 2,
      dump: [],
      dumpTotal: 0,
      sample: [],
      sampleSeed: 1,
      ocr: { state: 'not run yet', entries: queue },
    }) as VerifyReport;
  const source = zipSource([]);
  const entriesSource = {
    async *entries() {
      for (const c of queue) yield { name: c.path, size: 1, read: async () => new Uint8Array([1]) };
    },
  };

  it('turned off, the check is not-run and says so (never silently skipped)', () => {
    const off = skipOcrCheck(report(), 'OCR was turned off (--no-ocr).');
    const check = off.checks[0];
    expect(check.status).toBe('not-run');
    expect(check.note).toContain('turned off');
    expect(check.note).toContain('2 images would have been read');
    expect(off.ocr.state).toBe('off');
    expect(off.verdict).toBe('pass');
  });

  it('an engine that cannot start leaves the check not-run with the reason', async () => {
    const failing = await runOcrCheck(entriesSource, report(), async () => {
      const e = new Error('x');
      e.name = 'OcrStartError';
      e.message = 'The text reader (OCR) did not start within 30 s.';
      throw e;
    });
    expect(failing.checks[0].status).toBe('not-run');
    expect(failing.checks[0].note).toContain('did not start');
    expect(source).toBeDefined();
  });

  it('findings name frames and boxes in words; an image that cannot be decoded is a warning', async () => {
    const results = new Map<string, OcrImageResult>([
      [
        'A/1.dcm',
        {
          path: 'A/1.dcm',
          frames: 3,
          framesRead: 1,
          findings: [{ x: 1, y: 2, w: 30, h: 10, frames: [1, 2, 3], reason: REASONS.allText }],
        },
      ],
      ['A/2.dcm', { path: 'A/2.dcm', frames: 0, framesRead: 0, findings: [], problem: 'p' }],
    ]);
    const result = ocrCheckResult(queue, results, 10);
    expect(result.status).toBe('fail');
    expect(result.counts).toEqual({ checked: 1, failed: 1, warnings: 1 });
    expect(result.findings[0].message).toBe(
      `every frame (3), box x 1, y 2, 30×10 px: ${lookOf(REASONS.allText)}.`,
    );
    expect(result.findings[1]).toMatchObject({ path: 'A/2.dcm', severity: 'warn' });
  });

  it('runs every queued entry once, with the given concurrency, and reports progress', async () => {
    const seen: string[] = [];
    const progress: number[] = [];
    const done = await runOcrCheck(
      entriesSource,
      report(),
      async (_d, c) => {
        seen.push(c.path);
        return { path: c.path, frames: 1, framesRead: 1, findings: [] };
      },
      { concurrency: 2, onProgress: (d) => progress.push(d) },
    );
    expect(seen.sort()).toEqual(['A/1.dcm', 'A/2.dcm']);
    expect(progress).toEqual([0, 1, 2]);
    expect(done.checks[0].status).toBe('pass');
    expect(done.ocr.entries.map((e) => e.state)).toEqual(['read', 'read']);
  });

  it('a box counts as redacted when half of it lies in logged boxes of its frame', () => {
    const box = { x: 0, y: 0, w: 10, h: 10 };
    expect(insideRedaction(box, 0, [{ x: 5, y: 0, w: 10, h: 10 }])).toBe(true);
    expect(insideRedaction(box, 0, [{ x: 6, y: 0, w: 10, h: 10 }])).toBe(false);
    expect(insideRedaction(box, 1, [{ x: 0, y: 0, w: 10, h: 10, frame: 0 }])).toBe(false);
  });

  it('reads the redaction log of the manifest in both shapes', () => {
    const map = redactionsOf([
      { path: 'a', boxes: [{ x: 1, y: 2, w: 3, h: 4, frame: 0 }, { x: 'bad' }] },
      { path: 'b', frame: 2, regions: [{ x: 1, y: 1, width: 5, height: 6 }] },
      'junk',
    ]);
    expect(map.get('a')).toEqual([{ x: 1, y: 2, w: 3, h: 4, frame: 0 }]);
    expect(map.get('b')).toEqual([{ x: 1, y: 1, w: 5, h: 6, frame: 2 }]);
  });

  it('samples 5% of the other images, at least 20, never more than there are', () => {
    expect(ocrSampleSize(2000, 0.05, 20)).toBe(100);
    expect(ocrSampleSize(100, 0.05, 20)).toBe(20);
    expect(ocrSampleSize(7, 0.05, 20)).toBe(7);
  });
});
