// The run of planned files through the de-identification worker API (called in-process): outcomes
// in plan order whatever finishes first, a read that fails or a file too large to hold whole is
// left out with a plain reason and the run goes on.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultRecipe } from '../core/profile/recipe';
import type { InstanceRow } from '../core/inventory';
import { deidWorkerApi, type DeidJob, type DeidSetup } from '../../workers/deid-api';
import { deidentifyInOrder, MAX_WHOLE_FILE_BYTES, type DeidOutcome } from './deid-run';
import type { PlannedFile } from './plan';

const ct = readFileSync(new URL('../../test-data/dicom-samples/CT_small.dcm', import.meta.url));
const setup: DeidSetup = {
  id: 'deid-run-test',
  options: defaultRecipe().deid.options,
  secret: new Uint8Array(32).fill(3).buffer,
};

function planned(
  fileId: string,
  read: () => Promise<ArrayBuffer>,
  fileSize = ct.length,
): PlannedFile {
  return {
    file: { fileId, row: { fileSize } as InstanceRow, read },
    patient: { key: 'p', pseudonym: 'SITE-000001', n: 1, dateShiftDays: -10, tokens: [] },
    entryPath: `${fileId}.dcm`,
    studyIndex: 1,
  };
}
const readCt = async () => new Uint8Array(ct).buffer;

async function runAll(
  files: PlannedFile[],
  deid = deidWorkerApi.deidentifyFile,
): Promise<DeidOutcome[]> {
  const out: DeidOutcome[] = [];
  for await (const o of deidentifyInOrder(files, { setup, deid, window: 3, output: true }))
    out.push(o);
  return out;
}

describe('deidentifyInOrder', () => {
  it('hands outcomes back in plan order, even when a later file finishes first', async () => {
    const slowFirst = async (job: DeidJob) => {
      if (job.fileId === 'a') await new Promise((r) => setTimeout(r, 50));
      return deidWorkerApi.deidentifyFile(job);
    };
    const out = await runAll(
      ['a', 'b', 'c'].map((id) => planned(id, readCt)),
      slowFirst,
    );
    expect(out.map((o) => o.result.fileId)).toEqual(['a', 'b', 'c']);
    expect(out.every((o) => o.result.ok)).toBe(true);
  });

  it('a file that vanished since the scan is left out with a plain reason, and the run goes on', async () => {
    const gone = async (): Promise<ArrayBuffer> => {
      throw new DOMException('gone', 'NotFoundError');
    };
    const out = await runAll([planned('a', gone), planned('b', readCt)]);
    expect(out[0].result).toEqual({
      fileId: 'a',
      ok: false,
      code: 'read-failed',
      reason: 'the file is gone or was moved since the scan',
    });
    expect(out[1].result.ok).toBe(true);
  });

  it('a file too large to hold whole is left out unread, with its size in the reason', async () => {
    let reads = 0;
    const counted = async () => {
      reads++;
      return readCt();
    };
    const out = await runAll([
      planned('big', counted, MAX_WHOLE_FILE_BYTES + 1),
      planned('b', readCt),
    ]);
    expect(reads).toBe(0);
    expect(out[0].result).toMatchObject({ fileId: 'big', ok: false, code: 'too-large' });
    expect(out[0].result.ok ? '' : out[0].result.reason).toMatch(
      /the file is 2\.1 GB; .* up to 2 GiB/,
    );
    expect(out[1].result.ok).toBe(true);
  });
});
