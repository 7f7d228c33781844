// Verify in the built app: a package made by the export pipeline is picked as zip files, checked in
// a worker (real OCR of the images, two OCR workers), shown check by check with the sample images; a
// person's decision reaches the report; one altered copy carrying issue 8's four alterations at once
// (a name in a private element, a broken checksum, a removed file, burned-in text) fails exactly
// those four checks, each naming its file, and its JSON report is byte for byte what Node computes.
import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { readDicomFile } from '../src/core/dicom/read';
import { indexRow } from '../src/core/inventory';
import { generateCtSeries } from '../src/core/sample/ct-series';
import { defaultRecipe, recipeHash } from '../src/core/profile/recipe';
import {
  CHECK_IDS,
  replaceCheck,
  reportJson,
  verifyPackage,
  zipSource,
  type VerifyReport,
} from '../src/core/verify';
import { alterPackageCopy } from '../src/core/verify/altered-copy.fixture';
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

async function openVerify(page: Page): Promise<void> {
  await page.goto('/');
  await page.getByRole('link', { name: /^Verify/ }).click();
  await expect(page.getByRole('heading', { name: 'Verify a package', level: 1 })).toBeVisible();
}

test('a package from the export verifies clean; a failed sample image fails the saved report', async ({
  page,
}) => {
  test.setTimeout(180_000);
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

/** The four alterations, the check each must fail, and that check's words on the screen. */
const ALTERED_CHECKS = [
  ['checksums-match', 'brokenChecksum', 'No file changed after it was packed (checksums)'],
  ['no-missing-files', 'removed', 'No file on the list is missing'],
  [
    'private-elements-safe',
    'privateName',
    'No private (vendor) data is left that could identify someone',
  ],
  ['pixels-ocr', 'burnedText', 'No text is burned into the images (OCR)'],
] as const;

test('one copy with four alterations fails exactly those four checks, each naming its file, and nothing else', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const dir = mkdtempSync(join(tmpdir(), 'cleanroom-verify-e2e-'));
  try {
    const pkg = await makePackage();
    const altered = await alterPackageCopy(
      [...pkg].map(([name, data]) => ({ name, data: new Uint8Array(data) })),
    );
    const paths = altered.volumes.map((v) => {
      writeFileSync(join(dir, v.name), v.data);
      return join(dir, v.name);
    });
    await openVerify(page);
    await page.getByLabel('Package zip files').setInputFiles(paths);
    await expect(page.getByText('The package has problems')).toBeVisible({ timeout: 150_000 });

    // On the screen: four failed checks, each with exactly one finding, at the altered file.
    const checks = page.getByRole('list', { name: 'Checks' });
    await expect(checks.locator(':scope > li.fail')).toHaveCount(4);
    await expect(checks.locator(':scope > li.pass')).toHaveCount(CHECK_IDS.length - 4);
    for (const [, key, words] of ALTERED_CHECKS) {
      const check = checks.locator(':scope > li.fail', { hasText: words });
      await expect(check).toHaveCount(1);
      await expect(check.locator('.findings > li')).toHaveCount(1);
      await expect(check.locator('.findings > li.fail code')).toHaveText(altered[key]);
    }
    const ocr = checks.locator(':scope > li.fail', { hasText: 'burned into the images' });
    await expect(ocr).toContainText('text that looks like a date');
    await expect(ocr).not.toContainText('1961');
    await expect(
      checks.locator(':scope > li.fail', { hasText: 'private (vendor) data' }),
    ).toContainText('(0009,1010) "ACME" holding "Doe^Jane"');

    // The JSON report: the same four failures, nothing else failing.
    const downloading = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Save the report as JSON' }).click();
    const text = readFileSync(await (await downloading).path(), 'utf8');
    const report = JSON.parse(text) as VerifyReport;
    expect(report.verdict).toBe('fail');
    const failures = report.checks.flatMap((c) =>
      c.findings.filter((f) => f.severity === 'fail').map((f) => [c.id, f.path]),
    );
    expect(failures).toEqual(ALTERED_CHECKS.map(([id, key]) => [id, altered[key]]));
    for (const c of report.checks)
      expect([c.id, c.status]).toEqual([
        c.id,
        failures.some(([id]) => id === c.id) ? 'fail' : 'pass',
      ]);
    expect(report.ocr.state).toBe('done');
    expect(report.ocr.entries.map((e) => e.path)).not.toContain(altered.removed);

    // Byte for byte: the page's report is Node's verifyPackage of the same zips with the page's
    // OCR result put in, and it is in reportJson's canonical form.
    expect(reportJson(report)).toBe(text);
    const node = await verifyPackage(
      zipSource(altered.volumes.map((v) => new Blob([v.data as BlobPart]))),
    );
    const pageOcr = report.checks.find((c) => c.id === 'pixels-ocr')!;
    expect(reportJson({ ...replaceCheck(node, pageOcr), ocr: report.ocr })).toBe(text);
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
