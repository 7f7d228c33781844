// The command line's pixel step with its check after redaction: the generated sample set on disk,
// scanned and read for real (OCR, codecs, redaction) in this thread, the package written in memory.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Dexie from 'dexie';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSampleSet } from '../core/sample/sample-set';
import { defaultRecipe, recipeHash } from '../core/profile/recipe';
import { readZipEntries } from '../core/package/read-zip';
import { openDb } from '../store/db';
import { addRoot } from '../store/roots';
import type { FileId, PixelPostCheck } from '../store/types';
import { startScan } from '../pipeline/scan';
import { IDENTIFIER_PATHS } from '../pipeline/identifiers';
import { expectationsOf } from '../pipeline/selection';
import { runExport } from '../pipeline/export';
import { scanSource } from '../platform/node/scan-source';
import { loadCodecs } from '../platform/node/codecs';
import { createNodeOcr } from '../platform/node/ocr';
import { createInProcessPool } from '../../workers/in-process-pool';
import { scanWorkerApi, type ScanWorkerApi } from '../../workers/scan-api';
import { createPixelsWorkerApi, type PixelsWorkerApi } from '../../workers/pixels-api';
import { deidWorkerApi, useCodecs, type DeidJobResult } from '../../workers/deid-api';
import type { DeidCall } from '../pipeline/deid-run';
import { createProgress } from './progress';
import { planRun } from './plan-run';
import type { ScannedFolder } from './session';
import {
  CHECK_FAILED_CODE,
  leftOutBy,
  runPixelStep,
  TEXT_LEFT_CODE,
  TEXT_LEFT_REASON,
  UNREADABLE_CODE,
  type PixelStep,
} from './pixel-step';

const sample = generateSampleSet(1);
const secret = new Uint8Array(32).fill(0x5e);
const recipe = defaultRecipe();
let dir: string;
let scanned: ScannedFolder;
const pixelsApi = createPixelsWorkerApi({ loadCodecs, createOcrEngine: () => createNodeOcr() });
const pixels = createInProcessPool<PixelsWorkerApi>(pixelsApi, 1);
useCodecs(loadCodecs);
const deidPool = createInProcessPool(deidWorkerApi, 1);
const quiet = createProgress(process.stderr, true);

/** The ultrasound image: name, ID and date burned in at the top left. */
const usPath = sample.expected.burnedInText.find((b) => b.path.includes('/US'))!.path;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cleanroom-pixel-step-'));
  for (const f of sample.files) {
    mkdirSync(join(dir, f.path, '..'), { recursive: true });
    writeFileSync(join(dir, f.path), f.bytes);
  }
  // What session.scanFolder does, with the scan workers in this thread.
  const db = await openDb(`pixel-step-test-${Date.now()}`);
  const rootId = (await addRoot(db, { name: 'input', kind: 'files' })).id;
  await startScan({
    db,
    rootId,
    source: scanSource(dir),
    pool: createInProcessPool<ScanWorkerApi>(scanWorkerApi),
    expectations: expectationsOf(recipe),
    extraPaths: IDENTIFIER_PATHS,
  }).done;
  const instances = await db.instances.where('rootId').equals(rootId).toArray();
  const prefix = `${rootId}/`;
  scanned = {
    db,
    rootId,
    instances: instances.sort((a, b) => (a.path < b.path ? -1 : 1)),
    rejected: await db.files.where({ rootId, state: 'rejected' }).toArray(),
    absolutePath: (fileId) =>
      join(dir, fileId.startsWith(prefix) ? fileId.slice(prefix.length) : fileId),
  };
}, 60_000);

afterAll(async () => {
  await pixelsApi.release();
  scanned?.db.close();
  if (scanned) await Dexie.delete(scanned.db.name);
  rmSync(dir, { recursive: true, force: true });
});

describe('leftOutBy (the rule of the check after redaction on the command line)', () => {
  const check = (c: Partial<PixelPostCheck>): PixelPostCheck => ({
    state: 'clean',
    checkedAt: 1,
    ...c,
  });
  it('text still readable that nobody accepted leaves the image out; accepted text does not', () => {
    expect(leftOutBy(check({ state: 'text-left', boxes: [] }))?.code).toBe(TEXT_LEFT_CODE);
    expect(
      leftOutBy(check({ state: 'text-left', boxes: [], acceptedBy: 'A', acceptedAt: 2 })),
    ).toBeUndefined();
  });
  it('a check that could not run leaves the image out; a clean check or no box to fill does not', () => {
    expect(
      leftOutBy(check({ state: 'not-run', why: 'the check could not run: JPEG: bad marker' }))
        ?.code,
    ).toBe(CHECK_FAILED_CODE);
    expect(leftOutBy(check({ state: 'not-run', why: 'no box to black out' }))).toBeUndefined();
    expect(leftOutBy(check({ state: 'clean' }))).toBeUndefined();
  });
});

describe('runPixelStep: the check after redaction', () => {
  let step: PixelStep;
  let usId: string;
  let unreadableId: string;

  beforeAll(async () => {
    const us = scanned.instances.find((r) => r.path === usPath)!;
    usId = us.fileId;
    // Boxes that miss the text: a 3×3 corner, as a template for another device would give. The
    // scan leaves a finished finding alone, so this is what the export would fill.
    await scanned.db.pixelFindings.put({
      fileId: us.fileId as FileId,
      seriesKey: us.seriesKey,
      signature: '',
      status: 'found',
      why: 'high-risk',
      boxes: [
        { x: us.Columns! - 3, y: us.Rows! - 3, w: 3, h: 3, source: 'template', reason: 'test' },
      ],
      frames: 1,
      updatedAt: 1,
    });
    // An image the scan could not read (as a file in an unsupported syntax would be).
    const ct = scanned.instances.find((r) => r.Modality === 'CT')!;
    unreadableId = ct.fileId;
    await scanned.db.pixelFindings.put({
      fileId: ct.fileId as FileId,
      seriesKey: ct.seriesKey,
      signature: '',
      status: 'failed',
      why: 'prefilter',
      boxes: [],
      frames: 1,
      error: 'Transfer syntax 1.2.3.4 cannot be decoded.',
      updatedAt: 1,
    });
    const { planned } = await planRun(scanned, recipe, secret);
    step = await runPixelStep(scanned, planned, recipe, 1, quiet, { pool: pixels });
  }, 240_000);

  it('an image the scan could not read is left out, since no person can look at it here, and the reason says why it could not be read', () => {
    const out = step.leftOut.find((l) => l.fileId === unreadableId);
    expect(out?.code).toBe(UNREADABLE_CODE);
    expect(out?.reason).toMatch(/could not be read .* left out of the package/);
    expect(out?.reason).toContain('(Transfer syntax 1.2.3.4 cannot be decoded)');
    expect(step.redactions.has(unreadableId)).toBe(false);
  });

  it('an image whose boxes leave its text readable is left out with a plain reason; the images whose boxes cover their text are not', () => {
    expect(step.leftOut.filter((l) => l.fileId !== unreadableId)).toEqual([
      { fileId: usId, code: TEXT_LEFT_CODE, reason: TEXT_LEFT_REASON },
    ]);
    expect(TEXT_LEFT_REASON).not.toMatch(/[0-9]{4}/);
    expect(step.redactions.has(usId)).toBe(false);
    // The other images with planted text were found, boxed and pass their check.
    const others = sample.expected.burnedInText.filter((b) => b.path !== usPath);
    expect(others.length).toBeGreaterThan(0);
    for (const b of others) {
      const row = scanned.instances.find((r) => r.path === b.path)!;
      expect(step.redactions.has(row.fileId), b.path).toBe(true);
    }
  });

  it('the check is stored on the finding, as the app stores it', async () => {
    const row = await scanned.db.pixelFindings.get(usId as FileId);
    expect(row?.postCheck?.state).toBe('text-left');
    expect(row?.postCheck?.boxes?.length).toBeGreaterThan(0);
  });

  it('a left-out image is never written: the export lists it with the failed files, with its reason', async () => {
    const { planned, setup } = await planRun(scanned, recipe, secret);
    const sent: string[] = [];
    const deid: DeidCall = (job) => {
      sent.push(job.fileId);
      return deidPool.call('deidentifyFile', [job], []) as Promise<DeidJobResult>;
    };
    const volumes = new Map<string, Uint8Array[]>();
    const result = await runExport({
      planned,
      setup,
      deid: step.withholdLeftOut(deid),
      window: 2,
      recipe,
      recipeSha256: await recipeHash(recipe),
      appVersion: 'test',
      redactionFor: (p) => step.redactions.get(p.file.fileId),
      async writeVolume(name, chunks) {
        const parts: Uint8Array[] = [];
        for await (const c of chunks) parts.push(c);
        volumes.set(name, parts);
      },
    });
    expect(sent).not.toContain(usId);
    expect(result.failures).toContainEqual({
      fileId: usId,
      code: TEXT_LEFT_CODE,
      reason: TEXT_LEFT_REASON,
    });
    // The CLI's exit code: 1 when any file failed (commands/export.ts).
    expect(result.failures.length).toBeGreaterThan(0);
    const entries: string[] = [];
    for (const parts of volumes.values())
      for await (const e of readZipEntries(new Blob(parts as Uint8Array<ArrayBuffer>[])))
        entries.push(e.name);
    const usPlanned = planned.find((p) => p.file.fileId === usId)!;
    expect(entries).not.toContain(usPlanned.entryPath);
    expect(result.manifest.files.map((f) => f.Modality)).not.toContain('US');
    // Every other planned file that de-identifies is in the package.
    expect(result.manifest.files.length).toBe(planned.length - result.failures.length);
  }, 240_000);
});
