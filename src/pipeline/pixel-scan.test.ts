// The pixel scan's orchestration in Node: the generated sample set scanned for real, fake-indexeddb,
// and a stand-in pixels worker that records what it was asked (the worker's own test reads pixels).
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import Dexie from 'dexie';
import { generateSampleSet } from '../core/sample/sample-set';
import { defaultRecipe } from '../core/profile/recipe';
import { isHighRisk } from '../core/inventory/high-risk';
import { openDb, type CleanroomDb } from '../store/db';
import { addRoot } from '../store/roots';
import type { FileId, InstanceRecord, PixelFindingRow } from '../store/types';
import { createInProcessPool } from '../../workers/in-process-pool';
import { scanWorkerApi, type ScanWorkerApi } from '../../workers/scan-api';
import type { PixelScanJob, PixelScanResult, PixelsWorkerApi } from '../../workers/pixels-api';
import { startScan, type ScanSourceItem } from './scan';
import { IDENTIFIER_PATHS } from './identifiers';
import {
  applyTemplateRows,
  boxesKeyOf,
  findingRowOf,
  pixelGateOf,
  postCheckIsCurrent,
  pixelRulesOf,
  pixelTargets,
  readPixelGate,
  startPixelScan,
  WORKER_FAILED_REASON,
  type PixelScanFile,
  type PixelScanProgress,
} from './pixel-scan';

const sample = generateSampleSet(1);
let db: CleanroomDb;
let n = 0;

beforeEach(async () => {
  db = await openDb(`pixel-scan-test-${++n}-${Date.now()}`);
});

afterEach(async () => {
  db.close();
  await Dexie.delete(db.name);
});

async function* sampleSource(): AsyncGenerator<ScanSourceItem> {
  for (const file of [...sample.files].sort((a, b) => (a.path < b.path ? -1 : 1)))
    yield {
      path: file.path,
      file: new Blob([file.bytes as Uint8Array<ArrayBuffer>]),
      lastModified: 1,
    };
}

/** Scans the sample set into the store (for real) and returns its instances as pixel-scan files. */
async function scannedFiles(): Promise<PixelScanFile[]> {
  const rootId = (await addRoot(db, { name: 'Sample', kind: 'sample' })).id;
  await startScan({
    db,
    rootId,
    source: sampleSource(),
    pool: createInProcessPool<ScanWorkerApi>(scanWorkerApi),
    extraPaths: IDENTIFIER_PATHS,
  }).done;
  const bytes = new Map(sample.files.map((f) => [f.path, f.bytes]));
  const rows: InstanceRecord[] = await db.instances.toArray();
  return rows.map((row) => ({
    fileId: row.fileId,
    row,
    read: async () => new Blob([bytes.get(row.path) as Uint8Array<ArrayBuffer>]),
  }));
}

interface FakeWorker {
  api: PixelsWorkerApi;
  jobs: PixelScanJob[];
}

/** A stand-in worker: boxes on the images the sample planted text in, nothing elsewhere. */
function fakeWorker(
  answer?: (job: PixelScanJob) => PixelScanResult | Promise<PixelScanResult>,
): FakeWorker {
  const jobs: PixelScanJob[] = [];
  const planted = new Set(sample.expected.burnedInText.map((b) => b.path));
  const scanImage = async (job: PixelScanJob): Promise<PixelScanResult> => {
    jobs.push(job);
    if (answer) return answer(job);
    const path = job.fileId.slice(job.fileId.indexOf('/') + 1);
    const found = planted.has(path);
    return {
      fileId: job.fileId,
      ok: true,
      signature: `sig-${path.split('/')[1]}`,
      frames: 1,
      framesRead: found || job.highRisk ? 1 : 0,
      read: found || job.highRisk ? 'ocr' : 'cleared',
      boxes: found
        ? [
            {
              x: 10,
              y: 8,
              w: 200,
              h: 24,
              source: 'ocr',
              reason: 'matches PatientName',
              confidence: 90,
            },
          ]
        : [],
      rows: 64,
      columns: 64,
      postCheck: found ? { state: 'clean' } : { state: 'not-run', why: 'no box to black out' },
    };
  };
  const api = { scanImage } as unknown as PixelsWorkerApi;
  return { api, jobs };
}

const rules = () => pixelRulesOf(defaultRecipe());

describe('which images the pixel scan reads', () => {
  test('every image of a high-risk class is read whatever the prefilter says; the rest go through it', async () => {
    const files = await scannedFiles();
    const worker = fakeWorker();
    await startPixelScan({ db, files, pool: createInProcessPool(worker.api), rules: rules() }).done;
    const byPath = new Map(worker.jobs.map((j) => [j.fileId.slice(j.fileId.indexOf('/') + 1), j]));
    const us = [...byPath].find(([p]) => p.includes('/US_'))![1];
    const ct = [...byPath].find(([p]) => p.includes('SE001_CHEST'))![1];
    const dose = [...byPath].find(([p]) => p.includes('DOSE_REPORT'))![1];
    expect(us.highRisk).toBe(true);
    expect(dose.highRisk).toBe(true);
    expect(ct.highRisk).toBe(false);
    // Default recipe: all text in high-risk classes, the patient's identifiers elsewhere.
    expect(us.context.mode).toBe('all-text');
    expect(ct.context.mode).toBe('identifiers');
    expect(us.context.safeTokens).toContain('CM');
  });

  test('images without pixels are not read, and high-risk images come first (dose sheets first of all)', async () => {
    const files = await scannedFiles();
    const targets = pixelTargets(files);
    expect(targets.length).toBe(files.filter((f) => f.row.hasPixelData).length);
    expect(targets[0].row.SeriesDescription).toBe('Dose Report');
    const firstLow = targets.findIndex((t) => !isHighRisk(t.row));
    expect(firstLow).toBeGreaterThan(0);
    expect(targets.slice(firstLow).every((t) => !isHighRisk(t.row))).toBe(true);
    const sr = {
      ...files[0],
      row: { ...files[0].row, SOPClassUID: '1.2.840.10008.5.1.4.1.1.88.22' },
    };
    expect(pixelTargets([sr])).toEqual([]);
  });

  test('the patient identifiers of every selected file reach the worker in identifiers mode', async () => {
    const files = await scannedFiles();
    const worker = fakeWorker();
    const recipe = defaultRecipe();
    recipe.pixels = { mode: 'redact-phi-only' };
    await startPixelScan({
      db,
      files,
      pool: createInProcessPool(worker.api),
      rules: pixelRulesOf(recipe),
    }).done;
    const us = worker.jobs.find((j) => j.fileId.includes('/US_'))!;
    expect(us.context.mode).toBe('identifiers');
    expect(us.context.identifiers).toContain('MRN-ZM-208866');
    expect(us.context.identifiers).toContain('ZEPHYRINE');
    // Another patient's values never reach this image.
    expect(us.context.identifiers).not.toContain('QUIXOTEHART');
  });

  test("mode 'off' reads nothing and leaves the gate open", async () => {
    const files = await scannedFiles();
    const worker = fakeWorker();
    const summary = await startPixelScan({
      db,
      files,
      pool: createInProcessPool(worker.api),
      rules: { ...rules(), mode: 'off' },
    }).done;
    expect(worker.jobs).toEqual([]);
    expect(summary.read).toBe(0);
    expect((await readPixelGate(db, files, 'off')).open).toBe(true);
  });
});

describe('findings, resume, cancel, progress', () => {
  test('one finding row per image: found where text was planted, clean elsewhere, with why it was read', async () => {
    const files = await scannedFiles();
    const summary = await startPixelScan({
      db,
      files,
      pool: createInProcessPool(fakeWorker().api),
      rules: rules(),
    }).done;
    const rows = await db.pixelFindings.toArray();
    expect(rows.length).toBe(pixelTargets(files).length);
    expect(summary).toMatchObject({ state: 'done', read: rows.length, skipped: 0 });
    const found = rows.filter((r) => r.status === 'found');
    expect(found.length).toBe(sample.expected.burnedInText.length);
    expect(summary.found).toBe(found.length);
    const us = rows.find((r) => r.fileId.includes('/US_'))!;
    expect(us).toMatchObject({ status: 'found', why: 'high-risk', highRisk: true, modality: 'US' });
    expect(us.boxes[0]).toEqual({
      x: 10,
      y: 8,
      w: 200,
      h: 24,
      source: 'ocr',
      reason: 'matches PatientName',
      confidence: 90,
    });
    const ct = rows.find((r) => r.fileId.includes('SE001_CHEST'))!;
    expect(ct).toMatchObject({ status: 'clean', why: 'cleared', framesRead: 0 });
  });

  test('resume: a second run reads only the images the first did not finish', async () => {
    const files = await scannedFiles();
    const first = fakeWorker();
    await startPixelScan({ db, files, pool: createInProcessPool(first.api), rules: rules() }).done;
    // Forget two images, as if the tab had closed before they were written.
    const forgotten = (await db.pixelFindings.toArray()).slice(0, 2).map((r) => r.fileId);
    await db.pixelFindings.bulkDelete(forgotten);
    const second = fakeWorker();
    const summary = await startPixelScan({
      db,
      files,
      pool: createInProcessPool(second.api),
      rules: rules(),
    }).done;
    expect(second.jobs.map((j) => j.fileId).sort()).toEqual([...forgotten].sort());
    expect(summary).toMatchObject({ read: 2, skipped: pixelTargets(files).length - 2 });
  });

  test('cancel stops reading and keeps every image finished before it', async () => {
    const files = await scannedFiles();
    const controller = new AbortController();
    let answered = 0;
    const worker = fakeWorker(async (job) => {
      answered++;
      if (answered === 3) controller.abort();
      return {
        fileId: job.fileId,
        ok: true,
        signature: 's',
        frames: 1,
        framesRead: 0,
        read: 'cleared',
        boxes: [],
        rows: 1,
        columns: 1,
        postCheck: { state: 'not-run', why: 'no box to black out' },
      };
    });
    const summary = await startPixelScan({
      db,
      files,
      pool: createInProcessPool(worker.api),
      rules: rules(),
      window: 1,
      signal: controller.signal,
    }).done;
    expect(summary.state).toBe('cancelled');
    const stored = await db.pixelFindings.count();
    expect(stored).toBe(2);
    expect(stored).toBeLessThan(pixelTargets(files).length);
  });

  test('progress counts images with files per second and a time left', async () => {
    const files = await scannedFiles();
    const events: PixelScanProgress[] = [];
    const slow = fakeWorker();
    const scanImage = slow.api.scanImage;
    const api = {
      scanImage: async (job: PixelScanJob) => {
        await new Promise((resolve) => setTimeout(resolve, 40));
        return scanImage(job);
      },
    } as unknown as PixelsWorkerApi;
    await startPixelScan({
      db,
      files,
      pool: createInProcessPool(api),
      rules: rules(),
      window: 1,
      onProgress: (p) => events.push(p),
    }).done;
    const last = events.at(-1)!;
    expect(last).toMatchObject({
      phase: 'done',
      done: last.total,
      total: pixelTargets(files).length,
    });
    expect(last.filesPerSecond).toBeGreaterThan(0);
    expect(events.some((e) => e.phase === 'reading' && e.etaSeconds !== undefined)).toBe(true);
  });

  test('a worker that dies fails only the image it was reading', async () => {
    const files = await scannedFiles();
    const worker = fakeWorker(async (job) => {
      if (job.fileId.includes('/US_')) throw new Error('worker died');
      return {
        fileId: job.fileId,
        ok: true,
        signature: 's',
        frames: 1,
        framesRead: 0,
        read: 'cleared',
        boxes: [],
        rows: 1,
        columns: 1,
        postCheck: { state: 'not-run', why: 'no box to black out' },
      };
    });
    const summary = await startPixelScan({
      db,
      files,
      pool: createInProcessPool(worker.api),
      rules: rules(),
    }).done;
    expect(summary.failed).toBe(1);
    const us = (await db.pixelFindings.toArray()).find((r) => r.fileId.includes('/US_'))!;
    expect(us).toMatchObject({ status: 'failed', error: WORKER_FAILED_REASON });
  });

  test('a file that cannot be read is a failed image with the reason, and the run goes on', async () => {
    const files = await scannedFiles();
    const broken = files.map((f) =>
      f.row.Modality === 'US'
        ? { ...f, read: () => Promise.reject(new DOMException('gone', 'NotFoundError')) }
        : f,
    );
    const summary = await startPixelScan({
      db,
      files: broken,
      pool: createInProcessPool(fakeWorker().api),
      rules: rules(),
    }).done;
    expect(summary.state).toBe('done');
    const us = (await db.pixelFindings.toArray()).find((r) => r.fileId.includes('/US_'))!;
    expect(us).toMatchObject({
      status: 'failed',
      error: 'the file could not be read (NotFoundError)',
    });
  });

  test('a file too large to read whole is a failed image with its size, never read, and the run goes on', async () => {
    const files = await scannedFiles();
    let reads = 0;
    const big = files.map((f) =>
      f.row.Modality === 'US'
        ? {
            ...f,
            row: { ...f.row, fileSize: 3e9 },
            read: () => {
              reads++;
              return f.read();
            },
          }
        : f,
    );
    const summary = await startPixelScan({
      db,
      files: big,
      pool: createInProcessPool(fakeWorker().api),
      rules: rules(),
    }).done;
    expect(summary.state).toBe('done');
    expect(reads).toBe(0);
    const us = (await db.pixelFindings.toArray()).find((r) => r.fileId.includes('/US_'))!;
    expect(us.status).toBe('failed');
    expect(us.error).toMatch(/^the file is 3\.0 GB; .* up to 2 GiB/);
  });
});

describe('templates and the gate', () => {
  const row = (over: Partial<PixelFindingRow> = {}): PixelFindingRow => ({
    fileId: 'r/a.dcm' as FileId,
    seriesKey: 's',
    signature: 'SIG',
    status: 'clean',
    why: 'high-risk',
    boxes: [],
    frames: 1,
    updatedAt: 0,
    ...over,
  });

  test('a reviewer template adds its boxes to every image of its signature, once, and asks for review again', () => {
    const template = {
      id: 't1',
      signature: 'SIG',
      name: 'Sonority',
      boxes: [{ x: 0, y: 0, w: 50, h: 20 }],
    };
    const applied = applyTemplateRows(row({ approvedAt: 1, approvedBy: 'Ada' }), [template]);
    expect(applied.status).toBe('found');
    expect(applied.approvedAt).toBeUndefined();
    expect(applied.boxes).toEqual([
      {
        x: 0,
        y: 0,
        w: 50,
        h: 20,
        source: 'template',
        reason: 'device template “Sonority”',
        templateId: 't1',
      },
    ]);
    expect(applyTemplateRows(applied, [template])).toBe(applied);
    expect(applyTemplateRows(row({ signature: 'OTHER' }), [template]).boxes).toEqual([]);
  });

  test('the gate is closed while an image is unread or its found boxes wait for approval', () => {
    const targets = [{ fileId: 'r/a.dcm' }, { fileId: 'r/b.dcm' }];
    const a = row({
      status: 'found',
      boxes: [{ x: 0, y: 0, w: 1, h: 1, source: 'ocr', reason: 'r' }],
    });
    expect(pixelGateOf(targets, [a], 'redact-all-text-in-high-risk')).toMatchObject({
      open: false,
      toRead: 1,
      toReview: 1,
    });
    const b = row({ fileId: 'r/b.dcm' as FileId });
    expect(pixelGateOf(targets, [a, b], 'redact-all-text-in-high-risk')).toMatchObject({
      open: false,
      toRead: 0,
      toReview: 1,
    });
    const approved = { ...a, approvedAt: 5, approvedBy: 'Ada' };
    expect(pixelGateOf(targets, [approved, b], 'redact-all-text-in-high-risk')).toMatchObject({
      open: true,
      toReview: 0,
      approved: 1,
    });
    const failed = row({ fileId: 'r/b.dcm' as FileId, status: 'failed', error: 'x' });
    expect(pixelGateOf(targets, [approved, failed], 'redact-phi-only').open).toBe(false);
  });

  describe('the post-redaction check in the gate', () => {
    const box = { x: 0, y: 0, w: 10, h: 4, source: 'ocr', reason: 'matches PatientName' };
    const leftover = {
      x: 10,
      y: 0,
      w: 8,
      h: 4,
      source: 'ocr',
      reason: 'text still readable after redaction',
    };
    const targets = [{ fileId: 'r/a.dcm' }];
    const gate = (f: PixelFindingRow) => pixelGateOf(targets, [f], 'redact-all-text-in-high-risk');
    const textLeft = row({
      status: 'found',
      boxes: [box],
      postCheck: {
        state: 'text-left',
        boxes: [leftover],
        checkedAt: 1,
        boxesKey: boxesKeyOf([box]),
      },
    });

    test('text left after redaction keeps the gate closed even when the image is approved', () => {
      expect(gate(textLeft)).toMatchObject({ open: false, toReview: 1, textLeft: 1 });
      const approved = { ...textLeft, approvedAt: 2, approvedBy: 'Ada' };
      expect(gate(approved)).toMatchObject({ open: false, toReview: 1, textLeft: 1, approved: 1 });
    });

    test('a reviewer who accepts the remaining text (named) opens the gate for an approved image', () => {
      const accepted: PixelFindingRow = {
        ...textLeft,
        approvedAt: 3,
        approvedBy: 'Ada',
        postCheck: { ...textLeft.postCheck!, acceptedBy: 'Ada', acceptedAt: 3 },
      };
      expect(gate(accepted)).toMatchObject({ open: true, toReview: 0, textLeft: 0 });
      // Accepting is not approving: the boxes still wait for an approval.
      const { approvedAt: _a, approvedBy: _b, ...notApproved } = accepted;
      expect(gate(notApproved)).toMatchObject({ open: false, toReview: 1, textLeft: 0 });
    });

    test('a new check of changed boxes that comes back clean opens the gate for an approved image', () => {
      const bigger = { ...box, w: 20 };
      const rechecked: PixelFindingRow = {
        ...textLeft,
        boxes: [bigger],
        approvedAt: 4,
        approvedBy: 'Ada',
        postCheck: { state: 'clean', checkedAt: 4, boxesKey: boxesKeyOf([bigger]) },
      };
      expect(gate(rechecked)).toMatchObject({ open: true, textLeft: 0 });
      expect(postCheckIsCurrent(rechecked)).toBe(true);
    });

    test('changing the boxes alone does not resolve text left: the old check stands until a new one', () => {
      const moved: PixelFindingRow = { ...textLeft, boxes: [{ ...box, w: 20 }], approvedAt: 5 };
      expect(postCheckIsCurrent(moved)).toBe(false);
      expect(gate(moved)).toMatchObject({ open: false, textLeft: 1 });
    });

    test('a clean check or one that did not run never blocks an approved image', () => {
      const base = { ...row({ status: 'found', boxes: [box] }), approvedAt: 6, approvedBy: 'Ada' };
      expect(gate({ ...base, postCheck: { state: 'clean', checkedAt: 6 } }).open).toBe(true);
      expect(
        gate({ ...base, postCheck: { state: 'not-run', checkedAt: 6, why: 'no box to black out' } })
          .open,
      ).toBe(true);
    });

    test('the check of a scan is stored with the image, tied to its boxes, leftover boxes without text', () => {
      const file = {
        fileId: 'r/a.dcm' as FileId,
        row: { Modality: 'US', seriesKey: 's', patientKey: 'p' } as unknown as PixelScanFile['row'],
        read: () => Promise.resolve(new ArrayBuffer(0)),
      };
      const stored = findingRowOf(
        file,
        {
          fileId: 'r/a.dcm',
          ok: true,
          signature: 'SIG',
          frames: 1,
          framesRead: 1,
          read: 'ocr',
          boxes: [{ ...box, source: 'ocr' }],
          rows: 64,
          columns: 64,
          postCheck: {
            state: 'text-left',
            boxes: [{ ...leftover, source: 'ocr', confidence: 80 }],
          },
        },
        7,
      );
      expect(stored.postCheck).toEqual({
        state: 'text-left',
        checkedAt: 7,
        boxesKey: boxesKeyOf(stored.boxes),
        boxes: [{ ...leftover, confidence: 80 }],
      });
      expect(postCheckIsCurrent(stored)).toBe(true);
      expect(gate(stored)).toMatchObject({ open: false, textLeft: 1 });
    });

    test('the boxes key ignores order and names frames', () => {
      const a = { ...box, frame: 1 };
      expect(boxesKeyOf([a, box])).toBe(boxesKeyOf([box, a]));
      expect(boxesKeyOf([a])).not.toBe(boxesKeyOf([box]));
    });
  });
});
