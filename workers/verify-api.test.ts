// The verification worker's API with real tesseract: the OCR phase read by the worker's own thread
// and the platform's helper workers at once gives the very report one reader alone gives.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alterPackageCopy } from '../src/core/verify/altered-copy.fixture';
import { reportJson, type VerifyReport } from '../src/core/verify';
import { exportGeneratedPackage } from '../src/pipeline/generated-package.fixture';
import { loadCodecs } from '../src/platform/node/codecs';
import { createNodeOcr } from '../src/platform/node/ocr';
import { createInProcessPool } from './in-process-pool';
import {
  createVerifyWorkerApi,
  ocrWorkersOver,
  type OcrWorkers,
  type VerifyJob,
  type VerifyPlatform,
} from './verify-api';

const SIZE = 256;

/** Images in OCR at once, over every engine of the test (this thread's and the helper's). */
let inFlight = 0;
let most = 0;
const platform: VerifyPlatform = {
  loadCodecs,
  async createOcrEngine() {
    const engine = await createNodeOcr();
    return {
      async recognize(input) {
        most = Math.max(most, ++inFlight);
        try {
          return await engine.recognize(input);
        } finally {
          inFlight--;
        }
      },
      terminate: () => engine.terminate(),
    };
  },
};
/** The workers' side: one API (one engine) behind an in-process pool, as the nested workers run it. */
const helper = createVerifyWorkerApi(platform);
let job: VerifyJob;
let altered: Awaited<ReturnType<typeof alterPackageCopy>>;
let alone: VerifyReport;

describe('verify-api: OCR over the platform’s OCR workers', () => {
  beforeAll(async () => {
    altered = await alterPackageCopy([
      {
        name: 'site-a-001.zip',
        data: await exportGeneratedPackage({ slices: 5, size: SIZE, seed: 7, secretByte: 4 }),
      },
    ]);
    job = {
      volumes: altered.volumes.map((v) => new File([v.data as BlobPart], v.name)),
      loose: [],
    };
    // One reader in this thread: the platform has no OCR workers.
    alone = await createVerifyWorkerApi(platform).verify(job);
  }, 120_000);
  afterAll(async () => {
    await helper.release();
  });

  it('reads two images at once, in this thread and a helper, and gives the same report, byte for byte', async () => {
    most = 0;
    let released = 0;
    let byHelper = 0;
    const counts: number[] = [];
    const pooled = createVerifyWorkerApi({
      ...platform,
      ocrWorkers(count): OcrWorkers {
        counts.push(count);
        const workers = ocrWorkersOver(createInProcessPool(helper, count));
        return {
          size: workers.size,
          read: async (data, candidate) => {
            byHelper++;
            return workers.read(data, candidate);
          },
          release: () => {
            released++;
            workers.release();
          },
        };
      },
    });
    const phases = new Set<string>();
    const report = await pooled.verify(job, (p) => phases.add(p.phase));
    expect(counts).toEqual([1]);
    expect(byHelper).toBeGreaterThan(0);
    expect(byHelper).toBeLessThan(report.ocr.entries.length);
    expect(released).toBe(1);
    expect(most).toBe(2);
    expect([...phases]).toEqual(['checks', 'ocr']);
    expect(reportJson(report)).toBe(reportJson(alone));
    const ocr = report.checks.find((c) => c.id === 'pixels-ocr')!;
    expect(ocr.findings.map((f) => f.path)).toEqual([altered.burnedText]);
    expect(report.ocr.entries.every((e) => e.state === 'read')).toBe(true);
  }, 120_000);

  it('ocrReaders: 1 in the job reads in the worker’s own thread only, without helpers', async () => {
    const api = createVerifyWorkerApi({
      ...platform,
      ocrWorkers: () => {
        throw new Error('no OCR workers expected');
      },
    });
    const report = await api.verify({ ...job, ocrReaders: 1 });
    expect(reportJson(report)).toBe(reportJson(alone));
  }, 120_000);
});
