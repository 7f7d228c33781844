// Verify in the built app: a package made by the export pipeline is picked as zip files, checked in
// a worker (real OCR of the images included), shown check by check with the sample images; a
// person's decision reaches the report; a copy with a file removed fails exactly the missing-file
// check; a copy whose one slice gets a burned-in date (checksums updated) fails exactly the OCR check.
import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { readDicomFile } from '../src/core/dicom/read';
import { indexRow } from '../src/core/inventory';
import { generateCtSeries } from '../src/core/sample/ct-series';
import { defaultRecipe, recipeHash } from '../src/core/profile/recipe';
import { readZipEntries } from '../src/core/package/read-zip';
import { zipEntries } from '../src/core/package/zip';
import { sha256Hex } from '../src/core/package/sha256';
import { createRaster, drawText } from '../src/core/sample/pixels';
import { planExport } from '../src/pipeline/export-plan';
import { runExport } from '../src/pipeline/export';
import { deidWorkerApi } from '../workers/deid-api';
import { test, expect } from './fixtures';

/** Slices large enough to carry a readable line of burned-in text. */
const SIZE = 256;

/** A clean two-volume package of a small generated CT series, made by the export pipeline. */
async function makePackage(): Promise<Map<string, Buffer>> {
  const rows = [];
  const bytes = new Map<string, Uint8Array>();
  for (const f of generateCtSeries({ slices: 8, rows: SIZE, columns: SIZE, seed: 3 })) {
    rows.push({ ...indexRow(await readDicomFile(f.bytes), f.path), fileId: f.path });
    bytes.set(f.path, f.bytes);
  }
  const recipe = defaultRecipe();
  recipe.package = { ...recipe.package, name: 'site-a', volumeSize: '1MiB', dicomdir: true };
  const plan = await planExport(
    rows,
    recipe,
    new Uint8Array(32).fill(9),
    async (r) => bytes.get(r.fileId)!.slice().buffer,
    'e2e',
  );
  const out = new Map<string, Buffer>();
  await runExport({
    planned: plan.planned,
    setup: plan.setup,
    deid: (job) => deidWorkerApi.deidentifyFile(job),
    window: 2,
    recipe,
    recipeSha256: await recipeHash(recipe),
    appVersion: 'e2e',
    writeVolume: async (name, chunks) => {
      const parts: Uint8Array[] = [];
      for await (const c of chunks) parts.push(c.slice());
      out.set(name, Buffer.concat(parts));
    },
  });
  return out;
}

/** Burns a date into one DICOM entry's native pixels (top left, in the air) and fixes its checksum. */
async function burnDate(pkg: Map<string, Buffer>): Promise<string> {
  const [volumeName, volume] = [...pkg][0];
  const entries: { name: string; data: Uint8Array }[] = [];
  for await (const e of readZipEntries(new Blob([new Uint8Array(volume)])))
    entries.push({ name: e.name, data: await e.data() });
  const target = entries.find((e) => e.name.startsWith('DICOM/') && e.name !== 'DICOMDIR')!;
  const start = (await readDicomFile(target.data)).pixelData!.valueStart;
  const raster = createRaster(SIZE, SIZE, 1);
  drawText(raster, 12, 12, '12/03/1961', 3, [255]);
  const view = new DataView(target.data.buffer, target.data.byteOffset + start, SIZE * SIZE * 2);
  for (let i = 0; i < raster.data.length; i++) if (raster.data[i]) view.setInt16(i * 2, 4000, true);
  // The manifest is in the last volume: only the OCR check can see the change.
  const [lastName, last] = [...pkg].at(-1)!;
  const lastEntries: { name: string; data: Uint8Array }[] = lastName === volumeName ? entries : [];
  if (lastName !== volumeName)
    for await (const e of readZipEntries(new Blob([new Uint8Array(last)])))
      lastEntries.push({ name: e.name, data: await e.data() });
  const manifest = lastEntries.find((e) => e.name === 'manifest.json')!;
  const json = JSON.parse(new TextDecoder().decode(manifest.data));
  json.files.find((f: { path: string }) => f.path === target.name).sha256 = await sha256Hex(
    target.data,
  );
  manifest.data = new TextEncoder().encode(`${JSON.stringify(json, null, 2)}\n`);
  for (const [name, list] of [
    [volumeName, entries],
    [lastName, lastEntries],
  ] as const) {
    const parts: Uint8Array[] = [];
    for await (const c of zipEntries(list)) parts.push(c);
    pkg.set(name, Buffer.concat(parts));
  }
  return target.name;
}

async function openVerify(page: Page): Promise<void> {
  await page.goto('/');
  await page.getByRole('link', { name: /^Verify/ }).click();
  await expect(page.getByRole('heading', { name: 'Verify a package', level: 1 })).toBeVisible();
}

test('a package from the export verifies clean; a failed sample image fails the saved report', async ({
  page,
}) => {
  const dir = mkdtempSync(join(tmpdir(), 'cleanroom-verify-e2e-'));
  try {
    const pkg = await makePackage();
    const paths = [...pkg].map(([name, data]) => {
      writeFileSync(join(dir, name), data);
      return join(dir, name);
    });
    await openVerify(page);
    await page.getByLabel('Package zip files').setInputFiles(paths);
    await expect(page.getByText('The package passed')).toBeVisible({ timeout: 120_000 });
    const ocrCheck = page
      .getByRole('list', { name: 'Checks' })
      .locator(':scope > li', { hasText: 'No text is burned into the images (OCR)' });
    await expect(ocrCheck).toHaveClass(/pass/);
    await expect(ocrCheck).toContainText('Passed');
    await expect(page.getByLabel('Sample image 1', { exact: true })).toBeVisible({
      timeout: 30_000,
    });
    await page.screenshot({ path: 'test-results/screens/6-verify.png', fullPage: true });

    await page
      .getByRole('group', { name: 'Decision on sample image 1', exact: true })
      .getByRole('button', { name: 'Shows identifying text' })
      .click();
    await page.getByLabel('Note').first().fill('a name at the top left');
    await expect(page.getByText('The package has problems')).toBeVisible();
    const downloading = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Save the report as JSON' }).click();
    const download = await downloading;
    const report = JSON.parse(readFileSync(await download.path(), 'utf8'));
    expect(report.verdict).toBe('fail');
    expect(report.sampleReview).toEqual([
      { path: report.sample[0], decision: 'fail', note: 'a name at the top left' },
    ]);
    expect(report.checks.filter((c: { status: string }) => c.status === 'fail')).toEqual([]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a copy with one file removed fails only the missing-file check, naming the file', async ({
  page,
}) => {
  const dir = mkdtempSync(join(tmpdir(), 'cleanroom-verify-e2e-'));
  try {
    const pkg = await makePackage();
    const [firstName, first] = [...pkg][0];
    const kept: { name: string; data: Uint8Array }[] = [];
    let removed = '';
    for await (const e of readZipEntries(new Blob([new Uint8Array(first)]))) {
      if (!removed && e.name.startsWith('DICOM/')) removed = e.name;
      else kept.push({ name: e.name, data: await e.data() });
    }
    const parts: Uint8Array[] = [];
    for await (const c of zipEntries(kept)) parts.push(c);
    pkg.set(firstName, Buffer.concat(parts));
    const paths = [...pkg].map(([name, data]) => {
      writeFileSync(join(dir, name), data);
      return join(dir, name);
    });
    await openVerify(page);
    await page.getByLabel('Package zip files').setInputFiles(paths);
    await expect(page.getByText('The package has problems')).toBeVisible({ timeout: 120_000 });
    const checks = page.getByRole('list', { name: 'Checks' });
    await expect(checks.locator(':scope > li.fail')).toHaveCount(1);
    await expect(checks.locator(':scope > li.fail')).toContainText(
      'No file on the list is missing',
    );
    await expect(checks.locator(':scope > li.fail')).toContainText(removed);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a copy with a date burned into one slice fails only the OCR check, naming the file and box', async ({
  page,
}) => {
  const dir = mkdtempSync(join(tmpdir(), 'cleanroom-verify-e2e-'));
  try {
    const pkg = await makePackage();
    const burned = await burnDate(pkg);
    const paths = [...pkg].map(([name, data]) => {
      writeFileSync(join(dir, name), data);
      return join(dir, name);
    });
    await openVerify(page);
    await page.getByLabel('Package zip files').setInputFiles(paths);
    await expect(page.getByText('The package has problems')).toBeVisible({ timeout: 120_000 });
    const failed = page.getByRole('list', { name: 'Checks' }).locator(':scope > li.fail');
    await expect(failed).toHaveCount(1);
    await expect(failed).toContainText('No text is burned into the images (OCR)');
    await expect(failed).toContainText(burned);
    await expect(failed).toContainText('text that looks like a date');
    await expect(failed).not.toContainText('1961');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('with OCR turned off the OCR check says it was not run', async ({ page }) => {
  const dir = mkdtempSync(join(tmpdir(), 'cleanroom-verify-e2e-'));
  try {
    const pkg = await makePackage();
    const paths = [...pkg].map(([name, data]) => {
      writeFileSync(join(dir, name), data);
      return join(dir, name);
    });
    await openVerify(page);
    await page.getByLabel('Read the images for burned-in text (OCR)').uncheck();
    await page.getByLabel('Package zip files').setInputFiles(paths);
    await expect(page.getByText('The package passed')).toBeVisible({ timeout: 60_000 });
    const ocrCheck = page
      .getByRole('list', { name: 'Checks' })
      .locator(':scope > li', { hasText: 'No text is burned into the images (OCR)' });
    await expect(ocrCheck).toHaveClass(/not-run/);
    await expect(ocrCheck).toContainText('Not run');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
