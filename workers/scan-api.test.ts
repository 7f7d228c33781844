// The scan worker API called directly in Node: rows for DICOM heads, named rejections for the rest.
import { describe, expect, test } from 'vitest';
import { readFile } from 'node:fs/promises';
import {
  DICOMDIR_REASON,
  EMPTY_FILE_REASON,
  NOT_DICOM_REASON,
  scanWorkerApi,
  type ScanFileInput,
} from './scan-api';

const sample = (name: string) => new URL(`../test-data/dicom-samples/${name}`, import.meta.url);

async function input(name: string, headLength?: number): Promise<ScanFileInput> {
  const bytes = await readFile(sample(name));
  const end = headLength === undefined ? bytes.byteLength : Math.min(headLength, bytes.byteLength);
  return {
    fileId: `root/${name}`,
    path: name,
    bytes: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + end),
    size: bytes.byteLength,
  };
}

describe('scan worker API', () => {
  test('a DICOM head gives its inventory row with the whole file size', async () => {
    const file = await input('CT_small.dcm', 64 * 1024);
    const [result] = await scanWorkerApi.indexFiles([file]);
    expect(result).toMatchObject({ fileId: 'root/CT_small.dcm', ok: true });
    if (!result.ok) throw new Error('expected a row');
    expect(result.row).toMatchObject({
      path: 'CT_small.dcm',
      Modality: 'CT',
      fileSize: 39206,
      hasPixelData: true,
    });
    expect(result.row.SOPInstanceUID).toMatch(/^[0-9.]+$/);
  });

  test('a file that is not DICOM is rejected with the plain reason, not thrown', async () => {
    const [result] = await scanWorkerApi.indexFiles([await input('README.txt')]);
    expect(result).toEqual({
      fileId: 'root/README.txt',
      ok: false,
      code: 'not-dicom',
      reason: NOT_DICOM_REASON,
    });
  });

  test('an empty file says it is empty; a file that ends right after its DICM marker is truncated', async () => {
    const empty = { fileId: 'root/empty', path: 'empty', bytes: new ArrayBuffer(0), size: 0 };
    const [e] = await scanWorkerApi.indexFiles([empty]);
    expect(e).toEqual({
      fileId: 'root/empty',
      ok: false,
      code: 'not-dicom',
      reason: EMPTY_FILE_REASON,
    });
    const head = await input('CT_small.dcm', 132);
    const [marker] = await scanWorkerApi.indexFiles([{ ...head, size: 132 }]);
    expect(marker).toMatchObject({ ok: false, code: 'truncated' });
    expect(marker.ok ? '' : marker.reason).toMatch(/ends 0 bytes after its DICM marker/);
  });

  test('a DICOMDIR is recognised as a directory, not an image', async () => {
    const [result] = await scanWorkerApi.indexFiles([await input('dicomdirtests/DICOMDIR')]);
    expect(result).toEqual({
      fileId: 'root/dicomdirtests/DICOMDIR',
      ok: false,
      code: 'dicomdir',
      reason: DICOMDIR_REASON,
    });
  });

  test('a head shorter than the header asks for more bytes; the same bytes as a whole file are truncated', async () => {
    const short = await input('CT_small.dcm', 600);
    const [result] = await scanWorkerApi.indexFiles([short]);
    expect(result).toMatchObject({ ok: false, code: 'need-more-bytes' });
    const whole = { ...(await input('CT_small.dcm', 600)), size: 600 };
    const [truncated] = await scanWorkerApi.indexFiles([whole]);
    expect(truncated).toMatchObject({ ok: false, code: 'truncated' });
  });

  test('a batch gives one result per file, in input order, each naming its file', async () => {
    const names = ['MR_small.dcm', 'README.txt', 'CT_small.dcm'];
    const results = await scanWorkerApi.indexFiles(await Promise.all(names.map((n) => input(n))));
    expect(results.map((r) => [r.fileId, r.ok])).toEqual([
      ['root/MR_small.dcm', true],
      ['root/README.txt', false],
      ['root/CT_small.dcm', true],
    ]);
  });

  test('progress is reported with files and bytes done, the last report being the whole batch', async () => {
    const files = await Promise.all(['MR_small.dcm', 'CT_small.dcm'].map((n) => input(n)));
    const total = files.reduce((sum, f) => sum + (f.bytes?.byteLength ?? 0), 0);
    const seen: Array<[number, number]> = [];
    await scanWorkerApi.indexFiles(files, {}, (done, bytes) => void seen.push([done, bytes]));
    expect(seen.at(-1)).toEqual([2, total]);
  });

  test('extra keyword paths are indexed into row.extra', async () => {
    const [result] = await scanWorkerApi.indexFiles([await input('CT_small.dcm')], {
      extraPaths: ['KVP'],
    });
    expect(result.ok && result.row.extra && 'KVP' in result.row.extra).toBe(true);
  });

  test('a Blob is read here up to headLength: the same row as from the bytes, with bytesRead counted', async () => {
    const bytes = await readFile(sample('CT_small.dcm'));
    const fromBytes = await input('CT_small.dcm', 64 * 1024);
    const fromBlob: ScanFileInput = {
      fileId: 'root/CT_small.dcm',
      path: 'CT_small.dcm',
      blob: new Blob([bytes]),
      headLength: 64 * 1024,
      size: bytes.byteLength,
    };
    const [a] = await scanWorkerApi.indexFiles([fromBytes]);
    const [b] = await scanWorkerApi.indexFiles([fromBlob]);
    expect(a.bytesRead).toBeUndefined();
    expect(b.bytesRead).toBe(bytes.byteLength);
    expect(b.ok && a.ok && b.row).toEqual(a.ok && a.row);

    const short = await scanWorkerApi.indexFiles([{ ...fromBlob, headLength: 256 }]);
    expect(short[0]).toMatchObject({ ok: false, code: 'need-more-bytes', bytesRead: 256 });
  });
});
