// Report: the sample is exported by the app, the package zip and a labels CSV written by the test are
// opened on the Report screen, and the element planted to leak the label is ranked first.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { readPackageForReport } from '../src/core/report/package-input';
import { zipSource } from '../src/core/verify/source';
import { test, expect, PICKED_OUTPUT } from './fixtures';
import { loadRecipe, openStep, passReviewGate, scanSampleData } from './fixtures-app';
import { readZipEntries } from '../src/core/package/read-zip';

const SHOTS = 'test-results/screens';

/** The package zip the export wrote into the picked OPFS output folder. */
async function readWrittenZip(page: Page): Promise<{ name: string; bytes: Buffer }> {
  const [name, b64] = await page.evaluate(async (folder) => {
    const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle(folder);
    for await (const [entryName, handle] of dir.entries()) {
      if (handle.kind !== 'file' || !entryName.endsWith('.zip')) continue;
      const bytes = new Uint8Array(
        await (await (handle as FileSystemFileHandle).getFile()).arrayBuffer(),
      );
      let binary = '';
      for (let i = 0; i < bytes.length; i += 0x8000)
        binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return [entryName, btoa(binary)];
    }
    throw new Error('no zip was written');
  }, PICKED_OUTPUT);
  return { name, bytes: Buffer.from(b64, 'base64') };
}

test('a received package with a labels CSV shows the planted leaky element first', async ({
  page,
}) => {
  test.setTimeout(150_000);
  const dir = mkdtempSync(join(tmpdir(), 'cleanroom-report-e2e-'));
  try {
    await page.setViewportSize({ width: 1280, height: 900 });
    await scanSampleData(page);
    // The organizer's recipe names the dataset's licence and asks for a patient-level split; the
    // Pixels step has its own tests, so it is off here.
    await loadRecipe(page, (recipe) => {
      recipe.pixels = { mode: 'off' };
      recipe.dataset = {
        licence: { id: 'CC-BY-4.0' },
        split: { train: 0.5, validation: 0.25, test: 0.25, seed: 3 },
      };
    });
    await passReviewGate(page);
    await openStep(page, 'Export');
    await page.getByRole('button', { name: 'Choose output folder and export' }).click();
    await expect(page.getByRole('heading', { name: 'Package written' })).toBeVisible({
      timeout: 90_000,
    });
    const zip = await readWrittenZip(page);
    const zipPath = join(dir, zip.name);
    writeFileSync(zipPath, zip.bytes);

    // The package carries the dataset report, the licence, the readme and the split.
    const entries = new Map<string, Uint8Array>();
    for await (const entry of readZipEntries(new Blob([new Uint8Array(zip.bytes)])))
      entries.set(entry.name, await entry.data());
    for (const name of [
      'dataset-report.json',
      'dataset-report.html',
      'LICENSE.txt',
      'README.md',
      'split.csv',
    ])
      expect([...entries.keys()], name).toContain(name);
    const text = (name: string) => new TextDecoder().decode(entries.get(name));
    expect(text('LICENSE.txt')).toContain('Creative Commons Attribution 4.0');
    const split = text('split.csv').trim().split(/\r?\n/).slice(1);
    expect(split.length).toBe(4);
    expect(new Set(split.map((l) => l.split(',')[0])).size).toBe(4);
    expect(JSON.parse(text('dataset-report.json')).composition.totals.instances).toBe(23);

    // The planted leak: an image is 'pos' exactly when its InstanceNumber is 4 or more (late in
    // its series), keyed by the package's own SOPInstanceUIDs.
    const input = await readPackageForReport(zipSource([new Blob([new Uint8Array(zip.bytes)])]), {
      pixels: false,
    });
    const lines = input.rows.map(
      (r) => `${r.instance},${Number(r.values.InstanceNumber) >= 4 ? 'pos' : 'neg'}`,
    );
    const labelsPath = join(dir, 'labels.csv');
    writeFileSync(labelsPath, `SOPInstanceUID,finding\n${[...new Set(lines)].join('\n')}\n`);

    await page.getByRole('link', { name: /^Report/ }).click();
    await expect(page.getByRole('heading', { name: 'Dataset report', level: 1 })).toBeVisible();
    await page.getByLabel('Package zip files').setInputFiles(zipPath);
    await expect(page.getByRole('heading', { name: 'What the dataset holds' })).toBeVisible({
      timeout: 30_000,
    });
    // The mistyped PatientID of the sample's third patient makes its study two (one per patient).
    await expect(
      page.getByText(/4 patients, 5 studies, 7 series, 23 images from 1 site/),
    ).toBeVisible();
    // The sample draws its CR and its MR slices from one phantom: the perceptual hash finds them
    // in two patients, with thumbnails.
    const pairs = page.getByRole('table', { name: 'Duplicate pairs' });
    await expect(pairs.locator('tbody tr').first()).toContainText('looks the same');
    await expect(pairs.locator('tbody tr').first().getByRole('img')).toHaveCount(2);
    await expect(pairs).toContainText(/_CR\/00001\.dcm/);

    await page.getByLabel('Labels CSV file').setInputFiles(labelsPath);
    const table = page.getByRole('table', { name: 'Leakage by element' });
    await expect(table).toBeVisible({ timeout: 30_000 });
    const first = table.locator('tbody tr').first();
    await expect(first.locator('td').nth(1)).toHaveText('InstanceNumber');
    await expect(first.locator('td').last()).toHaveText('leaks');
    await expect(page.getByText(/most of all\s+InstanceNumber/)).toBeVisible();
    await expect(page.getByText(/23 images matched/)).toBeVisible();
    await page.screenshot({ path: `${SHOTS}/7-report.png`, fullPage: true });

    // The printable report downloads as one self-contained page.
    const saving = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Save printable report' }).click();
    const download = await saving;
    expect(download.suggestedFilename()).toBe('dataset-report.html');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
