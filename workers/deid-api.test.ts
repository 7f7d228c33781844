// Tests of the de-identification worker's output: the header is written in front of the original
// pixel bytes in the buffer that was read (no copy of the image), the file equals a whole write,
// the checksums are those of the written bytes, and a redacted image is written whole.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readDicomFile } from '../src/core/dicom/read';
import { PIXEL_DATA } from '../src/core/dicom/types';
import { writeDicomFile } from '../src/core/dicom/write';
import { deidentify } from '../src/core/deid/apply';
import { importSecret } from '../src/core/deid/keyed-hash';
import { crc32 } from '../src/core/package/crc32';
import { compileProfile } from '../src/core/profile/compile-profile';
import { defaultRecipe } from '../src/core/profile/recipe';
import { generateCtSeries } from '../src/core/sample/ct-series';
import { deidWorkerApi, type DeidJob, type DeidSetup } from './deid-api';

const SECRET = new Uint8Array(32).fill(7);
const setup: DeidSetup = {
  id: 'deid-api-test',
  options: defaultRecipe().deid.options,
  secret: SECRET.slice().buffer,
};
/** A scanner's CT slice: its header has more to remove than the marks of de-identification add. */
const ctSmall = {
  bytes: new Uint8Array(
    readFileSync(new URL('../test-data/dicom-samples/CT_small.dcm', import.meta.url)),
  ),
};
/** A generated slice with a bare header: the new one is longer (new UIDs, the method codes). */
const [bare] = generateCtSeries({ slices: 1, rows: 64, columns: 64, seed: 11 });
const slices = [ctSmall, bare];

function job(bytes: Uint8Array, extra: Partial<DeidJob> = {}): DeidJob {
  return {
    setup,
    fileId: 'f',
    source: bytes.slice().buffer,
    pseudonym: 'SITE-000001',
    dateShiftDays: -30,
    identifiers: [],
    output: true,
    ...extra,
  };
}

const md5 = (b: Uint8Array) => createHash('md5').update(b).digest('hex');
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

async function pixelBytes(bytes: Uint8Array): Promise<Uint8Array> {
  return (await readDicomFile(bytes)).dataset.get(PIXEL_DATA)?.bytes as Uint8Array;
}

describe('deidWorkerApi.deidentifyFile output', () => {
  it('writes the header in front of the original pixel bytes, in the buffer it read', async () => {
    const j = job(slices[0].bytes);
    const r = await deidWorkerApi.deidentifyFile(j);
    expect(r.ok).toBe(true);
    if (!r.ok || !r.output) throw new Error('no output');
    expect(r.output.bytes.buffer).toBe(j.source);
    expect(md5(await pixelBytes(r.output.bytes))).toBe(md5(await pixelBytes(slices[0].bytes)));
  });

  it('is byte for byte the file a whole write of the same result gives', async () => {
    const r = await deidWorkerApi.deidentifyFile(job(slices[0].bytes));
    if (!r.ok || !r.output) throw new Error('no output');
    const whole = await deidentify(await readDicomFile(slices[0].bytes.slice()), {
      profile: compileProfile(setup.options),
      secret: await importSecret(SECRET),
      pseudonym: 'SITE-000001',
      dateShiftDays: -30,
      identifiers: new Set(),
      uidCache: new Map(),
    });
    expect(r.output.bytes).toEqual(
      writeDicomFile({
        meta: whole.meta,
        dataset: whole.dataset,
        transferSyntaxUID: whole.transferSyntaxUID,
      }),
    );
  });

  it('writes the file whole when the new header is longer than the original one', async () => {
    const j = job(bare.bytes);
    const r = await deidWorkerApi.deidentifyFile(j);
    if (!r.ok || !r.output) throw new Error('no output');
    expect(r.output.bytes.buffer).not.toBe(j.source);
    expect(md5(await pixelBytes(r.output.bytes))).toBe(md5(await pixelBytes(bare.bytes)));
  });

  it('writes a longer header into the room a view of its buffer leaves, still without copying the image', async () => {
    const buffer = new ArrayBuffer(4096 + bare.bytes.length);
    const source = new Uint8Array(buffer, 4096);
    source.set(bare.bytes);
    const r = await deidWorkerApi.deidentifyFile(job(bare.bytes, { source }));
    if (!r.ok || !r.output) throw new Error('no output');
    expect(r.output.bytes.buffer).toBe(buffer);
    expect(r.output.bytes.byteOffset).toBeLessThan(4096);
    const whole = await deidWorkerApi.deidentifyFile(job(bare.bytes));
    if (!whole.ok || !whole.output) throw new Error('no output');
    expect(r.output.bytes).toEqual(whole.output.bytes);
    expect(r.output.sha256).toBe(sha256(r.output.bytes));
    expect(r.output.crc32).toBe(crc32(r.output.bytes));
  });

  it('gives the SHA-256 and CRC-32 of the written bytes', async () => {
    const r = await deidWorkerApi.deidentifyFile(job(slices[0].bytes));
    if (!r.ok || !r.output) throw new Error('no output');
    expect(r.output.sha256).toBe(sha256(r.output.bytes));
    expect(r.output.crc32).toBe(crc32(r.output.bytes));
  });

  it('leaves the checksums out only when the job asks for none', async () => {
    const r = await deidWorkerApi.deidentifyFile(job(slices[0].bytes, { checksums: false }));
    if (!r.ok || !r.output) throw new Error('no output');
    expect(r.output.sha256).toBeUndefined();
    expect(r.output.crc32).toBeUndefined();
  });

  it('writes a redacted image whole, outside the buffer it read', async () => {
    const j = job(slices[0].bytes, {
      redaction: { boxes: [{ frame: 0, x: 0, y: 0, w: 8, h: 8 }] },
    });
    const r = await deidWorkerApi.deidentifyFile(j);
    if (!r.ok || !r.output) throw new Error(r.ok ? 'no output' : r.reason);
    expect(r.output.bytes.buffer).not.toBe(j.source);
    const pixels = await pixelBytes(r.output.bytes);
    expect(md5(pixels)).not.toBe(md5(await pixelBytes(slices[0].bytes)));
    expect(r.output.sha256).toBe(sha256(r.output.bytes));
  });
});
