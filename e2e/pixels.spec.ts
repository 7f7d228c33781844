// Pixels: on the sample data the pixel step reads the ultrasound (real workers, real OCR), boxes
// its planted name, a reviewer approves it, and the decision survives a reload. Then (issue 6) the
// export redacts it: in the written file every pixel inside a box holds the fill value, every pixel
// outside is unchanged, BurnedInAnnotation is NO, and the CT slices' PixelData is bit-identical.
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { generateSampleSet } from '../src/core/sample/sample-set';
import { parseCsv } from '../src/core/csv/csv';
import { readDicomFile } from '../src/core/dicom/read';
import { decodeAscii } from '../src/core/dicom/text';
import { PIXEL_DATA, type DicomFile } from '../src/core/dicom/types';
import { readKeyFile } from '../src/core/package/keyfile';
import { readZipEntries } from '../src/core/package/read-zip';
import { decodeFrame, describePixels } from '../src/core/pixels/decode';
import type { Frame } from '../src/core/pixels/types';
import { loadCodecs } from '../src/platform/node/codecs';
import { test, expect, PICKED_OUTPUT } from './fixtures';
import { approveAllImages, passReviewGate, readOpfsFolder, scanSampleData } from './fixtures-app';

const { expected, files: inputFiles } = generateSampleSet(1);
const usText = expected.burnedInText.find((b) => b.path.includes('/US_'))!;
/** The first line planted on the ultrasound: the patient's name. */
const nameLine = usText.boxes[0];

interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Boxes of the open image, read from their accessible names ("Box 1: …, W by H pixels at X, Y"). */
async function viewerBoxes(page: Page): Promise<Rect[]> {
  const labels = await page
    .getByRole('group', { name: /Image with boxes/ })
    .getByRole('button', { name: /^Box \d+:/ })
    .evaluateAll((nodes) => nodes.map((n) => n.getAttribute('aria-label') ?? ''));
  return labels.map((label) => {
    const m = /(\d+) by (\d+) pixels at (\d+), (\d+)$/.exec(label)!;
    return { w: Number(m[1]), h: Number(m[2]), x: Number(m[3]), y: Number(m[4]) };
  });
}

const covers = (outer: Rect, inner: Rect): boolean =>
  outer.x <= inner.x &&
  outer.y <= inner.y &&
  outer.x + outer.w >= inner.x + inner.w &&
  outer.y + outer.h >= inner.y + inner.h;

const SOP_CLASS_UID = 0x00080016;
const SOP_INSTANCE_UID = 0x00080018;
const BURNED_IN_ANNOTATION = 0x00280301;
const CT_IMAGE_STORAGE = '1.2.840.10008.5.1.4.1.1.2';

/** A text element's value, without its padding. */
function textOf(file: DicomFile, tag: number): string | undefined {
  const bytes = file.dataset.get(tag)?.bytes;
  return bytes ? decodeAscii(bytes).replace(/[\s\0]+$/, '') : undefined;
}

/** Every frame of a file, decoded to stored values (the Node codecs, as the CLI loads them). */
async function decodeFrames(file: DicomFile): Promise<Frame[]> {
  const syntax = textOf({ ...file, dataset: file.meta }, 0x00020010)!;
  const desc = describePixels(file.dataset, syntax);
  const codecs = await loadCodecs();
  const frames: Frame[] = [];
  for (let i = 0; i < desc.numberOfFrames; i++)
    frames.push(await decodeFrame(file.dataset, desc, i, codecs));
  return frames;
}

test('the ultrasound name is boxed, approved (kept across a reload) and redacted in the written file; CT pixels stay bit-identical', async ({
  page,
}) => {
  test.setTimeout(420_000);
  await scanSampleData(page);
  await page
    .getByRole('navigation', { name: 'Steps' })
    .getByRole('link', { name: /^Pixels/ })
    .click();
  const started = Date.now();
  await page.getByRole('button', { name: 'Read the images', exact: true }).click();
  await expect(page.getByRole('progressbar', { name: 'Pixel scan progress' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Cancel reading' })).toHaveCount(0, {
    timeout: 240_000,
  });
  test.info().annotations.push({
    type: 'pixel scan seconds',
    description: ((Date.now() - started) / 1000).toFixed(1),
  });

  // The export is blocked while images with boxes wait for a reviewer.
  const gate = page.locator('.gate');
  await expect(gate).toContainText(/\d+ images? to review/);
  await expect(gate).toContainText('The export is blocked');

  const us = page.getByRole('button', { name: /, US: \d+ box(es)?, to review$/ });
  await page.screenshot({ path: test.info().outputPath('pixels-grid.png'), fullPage: true });
  await us.click();
  const boxes = await viewerBoxes(page);
  expect(boxes.length).toBeGreaterThan(0);
  await page.screenshot({ path: test.info().outputPath('pixels-viewer.png'), fullPage: true });
  expect(
    boxes.some((b) => covers(b, nameLine)),
    `a box covers the planted name at ${JSON.stringify(nameLine)}`,
  ).toBe(true);

  await page.getByRole('button', { name: 'Approve: black out these boxes' }).click();
  await expect(page.getByText('Approved.', { exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Back to all images' }).click();

  await page.reload();
  await page.getByRole('radio', { name: /^Approved/ }).click();
  await expect(page.getByRole('button', { name: /, US: \d+ box(es)?, approved$/ })).toBeVisible();
  // The other images with boxes still wait for a person: the export stays blocked.
  await expect(page.locator('.gate')).toContainText('The export is blocked');

  // The rest approved, per device; the review done; the export writes the package.
  await approveAllImages(page);
  await passReviewGate(page);
  await expect(page.locator('[data-gate="pixels-closed"]')).toHaveCount(0);
  await page.getByRole('button', { name: 'Choose output folder and export' }).click();
  await expect(page.getByRole('heading', { name: 'Package written' })).toBeVisible({
    timeout: 90_000,
  });
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Save key file' }).click();
  const keyPath = await (await downloading).path();
  const key = await readKeyFile(new Uint8Array(readFileSync(keyPath)));
  const newUid = new Map(key.uids.map((u) => [u.id_old, u.id_new]));

  const output = await readOpfsFolder(page, PICKED_OUTPUT);
  const zipName = [...output.keys()].find((n) => n.endsWith('.zip'))!;
  const entries = new Map<string, Uint8Array>();
  for await (const entry of readZipEntries(new Blob([new Uint8Array(output.get(zipName)!)])))
    entries.set(entry.name, await entry.data());
  for (const name of ['dataset-report.json', 'README.md', 'redaction-log.csv', 'manifest.json'])
    expect(entries.has(name), `${name} is in the package`).toBe(true);
  const manifest = JSON.parse(new TextDecoder().decode(entries.get('manifest.json')!)) as {
    files: { path: string; Modality?: string; SOPClassUID?: string }[];
  };

  // The ultrasound, found through the manifest; its input matched through the key file's UIDs.
  const inputs = await Promise.all(
    inputFiles
      .filter((f) => f.path.endsWith('.dcm'))
      .map(async (f) => ({
        path: f.path,
        dicom: await readDicomFile(f.bytes).catch(() => undefined),
      })),
  );
  const inputByNewUid = new Map(
    inputs
      .filter((i) => i.dicom !== undefined)
      .map((i) => [newUid.get(textOf(i.dicom!, SOP_INSTANCE_UID)!), i] as const),
  );
  const usEntries = manifest.files.filter((f) => f.Modality === 'US');
  expect(usEntries).toHaveLength(1);
  const usOut = await readDicomFile(entries.get(usEntries[0].path)!);
  const usIn = inputByNewUid.get(textOf(usOut, SOP_INSTANCE_UID));
  expect(usIn?.path, 'the ultrasound is matched to its input').toBe(usText.path);
  expect(textOf(usOut, BURNED_IN_ANNOTATION)).toBe('NO');

  // Its boxes, from the package's redaction log; one covers the planted name.
  const [header, ...logRows] = parseCsv(
    new TextDecoder().decode(entries.get('redaction-log.csv')!),
  );
  const col = (name: string) => header.indexOf(name);
  const usBoxes = logRows
    .filter((r) => r[col('path')] === usEntries[0].path)
    .map((r) => ({
      x: Number(r[col('x')]),
      y: Number(r[col('y')]),
      w: Number(r[col('w')]),
      h: Number(r[col('h')]),
      frame: r[col('frame')],
    }));
  expect(usBoxes.length).toBeGreaterThan(0);
  expect(
    usBoxes.some((b) => covers(b, nameLine)),
    'a redaction box covers the planted name',
  ).toBe(true);

  // Pixel by pixel: black (the fill of RGB) inside every box, the input's value everywhere else.
  const [before] = await decodeFrames(usIn!.dicom!);
  const [after] = await decodeFrames(usOut);
  expect(after.photometric).toBe('RGB');
  expect([after.width, after.height]).toEqual([before.width, before.height]);
  const spp = after.samplesPerPixel;
  const inside = (x: number, y: number) =>
    usBoxes.some((b) => x >= b.x && x < b.x + b.w && y >= b.y && y < b.y + b.h);
  let filled = 0;
  const wrong: string[] = [];
  for (let y = 0; y < after.height; y++)
    for (let x = 0; x < after.width; x++) {
      const at = (y * after.width + x) * spp;
      const box = inside(x, y);
      if (box) filled++;
      for (let s = 0; s < spp; s++) {
        const want = box ? 0 : before.data[at + s];
        if (after.data[at + s] !== want && wrong.length < 5)
          wrong.push(`${box ? 'inside' : 'outside'} at ${x},${y} sample ${s}`);
      }
    }
  expect(wrong, 'pixels that are not what they should be').toEqual([]);
  expect(filled).toBeGreaterThan(0);

  // Every CT slice: PixelData's value bytes exactly those of its input.
  const ctEntries = manifest.files.filter((f) => f.SOPClassUID === CT_IMAGE_STORAGE);
  expect(ctEntries).toHaveLength(
    inputs.filter((i) => i.dicom && textOf(i.dicom, SOP_CLASS_UID) === CT_IMAGE_STORAGE).length,
  );
  for (const entry of ctEntries) {
    const out = await readDicomFile(entries.get(entry.path)!);
    const input = inputByNewUid.get(textOf(out, SOP_INSTANCE_UID));
    expect(input, `${entry.path} is matched to its input`).toBeDefined();
    const a = out.dataset.get(PIXEL_DATA)!.bytes!;
    const b = input!.dicom!.dataset.get(PIXEL_DATA)!.bytes!;
    expect(Buffer.compare(Buffer.from(a), Buffer.from(b)), `${entry.path} PixelData`).toBe(0);
  }
});
