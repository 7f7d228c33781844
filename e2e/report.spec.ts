// Report: the sample, plus one CT slice planted again under a second patient, is exported by the
// app; the package zip and a labels CSV written by the test are opened on the Report screen, which
// builds the report in a worker: the element planted to leak the label is ranked first and the
// planted cross-patient duplicate is listed. A second test cancels a long report and builds it again.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { tagForKeyword } from '../src/core/dicom/dictionary';
import {
  bytesElement,
  datasetFromEntries,
  textElement,
  uint16Element,
} from '../src/core/dicom/element';
import { readDicomFile } from '../src/core/dicom/read';
import { PIXEL_DATA } from '../src/core/dicom/types';
import { writeDicomFile } from '../src/core/dicom/write';
import { readZipEntries } from '../src/core/package/read-zip';
import { zipStream } from '../src/core/package/zip';
import { readPackageForReport } from '../src/core/report/package-input';
import type { DatasetReport } from '../src/core/report/types';
import { generateSampleSet } from '../src/core/sample/sample-set';
import { zipSource } from '../src/core/verify/source';
import { createPrng } from '../src/core/sample/prng';
import { test, expect, PICKED_INPUT, PICKED_OUTPUT, type OpfsFiller } from './fixtures';
import { loadRecipe, openStep, passReviewGate } from './fixtures-app';

const SHOTS = 'test-results/screens';
const tag = (keyword: string): number => tagForKeyword(keyword)!;

/** The slice planted again: the sample's thin CT, slice 3 (InstanceNumber 3, so labelled 'neg'). */
const PLANTED_FROM =
  'QUIXOTEHART_ALBERTO_MRN-QX-731904/CT_2021-03-04/SE001_CHEST_0.625MM/IM0003.dcm';
const PLANTED_TO = 'LOOKALIKE_PLANTED_MRN-LP-100001/CT_2021-03-04/SE001_CHEST_0.625MM/IM0003.dcm';

/**
 * Writes the sample into the picked input folder, plus a copy of one of its CT slices rewritten
 * with the project's DICOM writer as another patient (name, ID and every UID new; pixels as they
 * were): the same image in two patients.
 */
async function writeInputWithPlantedCopy(opfs: OpfsFiller): Promise<void> {
  const sample = generateSampleSet(1);
  for (const file of sample.files) await opfs.write(PICKED_INPUT, file.path, file.bytes);
  const source = sample.files.find((f) => f.path === PLANTED_FROM)!;
  const read = await readDicomFile(source.bytes);
  const dataset = new Map(read.dataset);
  const text = (keyword: string, vr: 'PN' | 'LO' | 'UI', value: string) =>
    dataset.set(tag(keyword), textElement(tag(keyword), vr, value));
  text('PatientName', 'PN', 'LOOKALIKE^PLANTED');
  text('PatientID', 'LO', 'MRN-LP-100001');
  text('StudyInstanceUID', 'UI', '2.25.31415926535897932384626433832795028');
  text('SeriesInstanceUID', 'UI', '2.25.31415926535897932384626433832795029');
  text('SOPInstanceUID', 'UI', '2.25.31415926535897932384626433832795030');
  const copy = writeDicomFile({ dataset, transferSyntaxUID: read.syntax.transferSyntaxUID });
  await opfs.write(PICKED_INPUT, PLANTED_TO, copy);
}

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

test('a received package with a labels CSV shows the planted leaky element first and the planted duplicate', async ({
  page,
  opfs,
}) => {
  test.setTimeout(180_000);
  const dir = mkdtempSync(join(tmpdir(), 'cleanroom-report-e2e-'));
  try {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto('/');
    await writeInputWithPlantedCopy(opfs);
    await page.getByRole('button', { name: 'Choose a folder' }).click();
    await expect(page.getByRole('heading', { name: 'Inventory', level: 1 })).toBeVisible({
      timeout: 45_000,
    });
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
    const site = zip.name.replace(/\.zip$/, '').replace(/-\d{3,4}$/, '');

    // What the app wrote: the dataset report, the licence, the readme and the split.
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
    expect(text('README.md').length).toBeGreaterThan(0);
    expect(text('dataset-report.html')).toMatch(/^<!doctype html>/i);

    // The package read back: one exact duplicate across two pseudonymous patients, the planted one.
    const input = await readPackageForReport(zipSource([new Blob([new Uint8Array(zip.bytes)])]));
    const patients = new Set(input.rows.map((r) => r.patient));
    expect(patients.size).toBe(5);
    const bySha = new Map<string | undefined, typeof input.images>();
    for (const im of input.images)
      bySha.set(im.pixelSha256, [...(bySha.get(im.pixelSha256) ?? []), im]);
    const planted = [...bySha.values()].filter(
      (group) => new Set(group.map((im) => im.patient)).size > 1,
    );
    expect(planted, 'exact duplicates across patients').toHaveLength(1);
    const [a, b] = planted[0].sort((x, y) => (x.path < y.path ? -1 : 1));
    expect(a.patient).not.toBe(b.patient);
    // Both are InstanceNumber 3 of a CT series, as planted.
    const rowOf = (path: string) =>
      input.rows.find((r) => r.instance === input.images.find((im) => im.path === path)!.instance)!;
    for (const im of [a, b]) {
      expect(rowOf(im.path).values.Modality).toBe('CT');
      expect(rowOf(im.path).values.InstanceNumber).toBe('3');
    }

    // split.csv: every patient of the package once, so no patient is split.
    const split = text('split.csv').trim().split(/\r?\n/);
    expect(split[0]).toBe('PatientID,split');
    const splitPatients = split.slice(1).map((l) => l.split(',')[0]);
    expect(splitPatients.length).toBe(5);
    expect(new Set(splitPatients)).toEqual(patients);
    for (const line of split.slice(1)) expect(line).toMatch(/,(train|validation|test)$/);

    // The report in the package counts the planted image and lists the planted pair.
    const packaged = JSON.parse(text('dataset-report.json')) as DatasetReport;
    expect(packaged.composition.totals.instances).toBe(24);
    expect(packaged.duplicates.pairs[0]).toMatchObject({
      kind: 'exact',
      scope: 'patients',
      a: { patient: a.patient },
      b: { patient: b.patient },
    });

    // The planted leak: an image is 'pos' exactly when its InstanceNumber is 4 or more (late in
    // its series), keyed by the package's own SOPInstanceUIDs.
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
    // The mistyped PatientID of the sample's third patient makes its study two (one per patient);
    // the planted patient adds a study, a series and an image.
    await expect(
      page.getByText(/5 patients, 6 studies, 8 series, 24 images from 1 site/),
    ).toBeVisible();
    // The planted pair comes first (identical pixels), both files named, two different patients.
    const pairs = page.getByRole('table', { name: 'Duplicate pairs' });
    const top = pairs.locator('tbody tr').first();
    await expect(top.locator('td').first()).toHaveText('identical pixels');
    await expect(top.getByRole('img')).toHaveCount(2);
    await expect(top.locator('td').nth(1)).toContainText(`${site}: ${a.path}`);
    await expect(top.locator('td').nth(2)).toContainText(`${site}: ${b.path}`);
    await expect(top.locator('td').nth(1).locator('strong')).toHaveText(a.patient);
    await expect(top.locator('td').nth(2).locator('strong')).toHaveText(b.patient);
    // The sample draws its CR and its MR slices from one phantom: the perceptual hash finds them too.
    await expect(pairs).toContainText('looks the same');
    await expect(pairs).toContainText(/_CR\/00001\.dcm/);

    await page.getByLabel('Labels CSV file').setInputFiles(labelsPath);
    const table = page.getByRole('table', { name: 'Leakage by element' });
    await expect(table).toBeVisible({ timeout: 30_000 });
    const first = table.locator('tbody tr').first();
    await expect(first.locator('td').nth(1)).toHaveText('InstanceNumber');
    await expect(first.locator('td').last()).toHaveText('leaks');
    await expect(page.getByText(/most of all\s+InstanceNumber/)).toBeVisible();
    await expect(page.getByText(/24 images matched/)).toBeVisible();
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

/** A zip of `count` small 8-bit images of 300 patients, each with its own random pixels. */
async function longPackage(count: number): Promise<Uint8Array> {
  const prng = createPrng(5);
  const entries = Array.from({ length: count }, (_, i) => {
    const patient = `LONG-${String(i % 300).padStart(6, '0')}`;
    const pixels = Uint8Array.from({ length: 16 * 16 }, () => prng.int(256));
    const dataset = datasetFromEntries([
      textElement(tag('SOPClassUID'), 'UI', '1.2.840.10008.5.1.4.1.1.7'),
      textElement(tag('SOPInstanceUID'), 'UI', `2.25.7${i + 1}`),
      textElement(tag('Modality'), 'CS', 'OT'),
      textElement(tag('PatientID'), 'LO', patient),
      textElement(tag('StudyInstanceUID'), 'UI', `2.25.8${i % 300}`),
      textElement(tag('SeriesInstanceUID'), 'UI', `2.25.9${i % 300}`),
      textElement(tag('InstanceNumber'), 'IS', String(Math.floor(i / 300) + 1)),
      uint16Element(tag('SamplesPerPixel'), 1),
      textElement(tag('PhotometricInterpretation'), 'CS', 'MONOCHROME2'),
      uint16Element(tag('Rows'), 16),
      uint16Element(tag('Columns'), 16),
      uint16Element(tag('BitsAllocated'), 8),
      uint16Element(tag('BitsStored'), 8),
      uint16Element(tag('HighBit'), 7),
      uint16Element(tag('PixelRepresentation'), 0),
      bytesElement(PIXEL_DATA, 'OB', pixels),
    ]);
    const data = writeDicomFile({ dataset, transferSyntaxUID: '1.2.840.10008.1.2.1' });
    return { name: `${patient}/01/${String(i).padStart(5, '0')}.dcm`, data };
  });
  return new Uint8Array(await new Response(zipStream(entries)).arrayBuffer());
}

test('a long report reads in a worker with time left, the page stays responsive, cancel stops it, and it builds again', async ({
  page,
}) => {
  test.setTimeout(240_000);
  const count = 1000;
  const dir = mkdtempSync(join(tmpdir(), 'cleanroom-report-long-'));
  try {
    const zipPath = join(dir, 'long-001.zip');
    writeFileSync(zipPath, await longPackage(count));
    await page.goto('/#report');
    await expect(page.getByRole('heading', { name: 'Dataset report', level: 1 })).toBeVisible();
    await page.getByLabel('Package zip files').setInputFiles(zipPath);
    const panel = page.getByRole('region', { name: 'Building the report' });
    await expect(panel).toContainText(new RegExp(`\\d+ of ${count} files`));
    await expect(panel).toContainText(/about .* left/);
    // The page thread answers at once while the worker reads (five probes, 100 ms apart; the old
    // page-thread report stalled it for the whole leakage check).
    const answers = await page.evaluate(async () => {
      const out: number[] = [];
      for (let i = 0; i < 5; i++) {
        const t = performance.now();
        await new Promise((r) => setTimeout(r, 0));
        out.push(performance.now() - t);
        await new Promise((r) => setTimeout(r, 100));
      }
      return out;
    });
    expect(Math.max(...answers), 'ms for the page thread to answer while reading').toBeLessThan(
      300,
    );
    await expect(panel).toBeVisible();
    await page.screenshot({ path: `${SHOTS}/7-report-progress.png`, fullPage: true });
    await panel.getByRole('button', { name: 'Cancel report' }).click();
    await expect(
      page.getByRole('status').filter({ hasText: 'The report was cancelled.' }),
    ).toBeVisible();
    await expect(panel).toHaveCount(0);

    // Building again reads the zip again (the cancelled worker is gone) and finishes.
    await page.getByRole('button', { name: 'Build the report again' }).click();
    await expect(panel).toContainText(new RegExp(`\\d+ of ${count} files`));
    await expect(page.getByRole('heading', { name: 'What the dataset holds' })).toBeVisible({
      timeout: 180_000,
    });
    await expect(
      page.getByText(
        new RegExp(`300 patients, 300 studies, 300 series, ${count} images from 1 site`),
      ),
    ).toBeVisible();
    await expect(page.getByText('No image appears in two patients or two studies.')).toBeVisible();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
