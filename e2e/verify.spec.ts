// Verify in the built app: a package made by the export pipeline is picked as zip files, checked in
// a worker, shown check by check with the sample images; a person's decision reaches the report;
// a copy with a file removed fails exactly the missing-file check.
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
import { planExport } from '../src/pipeline/export-plan';
import { runExport } from '../src/pipeline/export';
import { deidWorkerApi } from '../workers/deid-api';
import { test, expect } from './fixtures';

/** A clean two-volume package of a small generated CT series, made by the export pipeline. */
async function makePackage(): Promise<Map<string, Buffer>> {
  const rows = [];
  const bytes = new Map<string, Uint8Array>();
  for (const f of generateCtSeries({ slices: 12, rows: 64, columns: 64, seed: 3 })) {
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
    await expect(page.getByText('The package passed')).toBeVisible({ timeout: 60_000 });
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
    await expect(page.getByText('The package has problems')).toBeVisible({ timeout: 60_000 });
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
