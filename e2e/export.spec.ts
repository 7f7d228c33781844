// Export: the sample is written as a real package into the picked output folder once the Review and
// Pixels gates are open; every file in it parses and matches the manifest, no planted value is in
// any byte, the key file comes as a download and never lands beside the package, the DICOM files
// are byte-identical to the CLI's, and an export closed after its first volume resumes to the same
// bytes as an uninterrupted one.
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { generateSampleSet } from '../src/core/sample/sample-set';
import { defaultRecipe, type Recipe } from '../src/core/profile/recipe';
import { readZipEntries } from '../src/core/package/read-zip';
import { readKeyFile } from '../src/core/package/keyfile';
import { readDicomFile } from '../src/core/dicom/read';
import { test, expect, guardPage, PICKED_INPUT, PICKED_OUTPUT, SAMPLES_DIR } from './fixtures';
import {
  clearOpfsFolder,
  listOpfsFolder,
  loadRecipe,
  openStep,
  passPixelsGate,
  passReviewGate,
  readOpfsFolder,
  scanSampleData,
} from './fixtures-app';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(REPO, 'dist-cli', 'cleanroom.mjs');
const SHOTS = 'test-results/screens';

interface BrowserExport {
  zipName: string;
  zip: Buffer;
  outputNames: string[];
  report: { volumes: { name: string }[]; files: Record<string, number>; review: object };
  keyFileName: string;
  keyFile: Buffer;
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** A recipe that turns the Pixels step off (for tests of export mechanics and of the CLI twin). */
const PIXELS_OFF = (recipe: Recipe): void => {
  recipe.pixels = { mode: 'off' };
};

/**
 * Sample → Inventory (no rule) → the project secret → Review gate → Pixels gate (unless the
 * recipe turns it off) → Export → package, report, key file.
 */
async function exportInBrowser(
  page: Page,
  secretPath: string,
  dir: string,
  pixels: 'read' | 'off',
): Promise<BrowserExport> {
  await page.setViewportSize({ width: 1280, height: 900 });
  await scanSampleData(page);
  await expect(page.getByText('No rule: every series is selected.')).toBeVisible();
  if (pixels === 'off') await loadRecipe(page, PIXELS_OFF);
  await openStep(page, 'Export');
  await page.getByLabel('Project secret file').setInputFiles(secretPath);
  await expect(page.getByText('The project secret now comes from that file.')).toBeVisible();
  const exportButton = page.getByRole('button', { name: 'Choose output folder and export' });
  await expect(exportButton).toBeDisabled();

  await passReviewGate(page);
  if (pixels === 'read') {
    await expect(exportButton).toBeDisabled();
    await expect(page.locator('[data-gate="pixels-closed"]')).toBeVisible();
    await passPixelsGate(page);
    await openStep(page, 'Export');
  }
  await expect(page.locator('[data-gate="pixels-closed"]')).toHaveCount(0);
  await page.screenshot({ path: `${SHOTS}/5-export-before.png`, fullPage: true });

  await exportButton.click();
  await expect(page.getByRole('heading', { name: 'Package written' })).toBeVisible({
    timeout: 90_000,
  });
  await page.screenshot({ path: `${SHOTS}/5-export-after.png`, fullPage: true });

  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Save key file' }).click();
  const download = await downloading;
  const keyFileName = download.suggestedFilename();
  const keyPath = join(dir, keyFileName);
  await download.saveAs(keyPath);

  const output = await readOpfsFolder(page, PICKED_OUTPUT);
  const report = JSON.parse(output.get('report.json')!.toString('utf8'));
  expect(report.volumes).toHaveLength(1);
  const zipName = report.volumes[0].name as string;
  return {
    zipName,
    zip: output.get(zipName)!,
    outputNames: [...output.keys()],
    report,
    keyFileName,
    keyFile: readFileSync(keyPath),
  };
}

/** The entries of a zip, by name. */
async function zipEntries(zip: Uint8Array): Promise<Map<string, Uint8Array>> {
  const entries = new Map<string, Uint8Array>();
  for await (const entry of readZipEntries(new Blob([new Uint8Array(zip)])))
    entries.set(entry.name, await entry.data());
  return entries;
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'cleanroom-export-e2e-'));
}

/** A known project secret, as the CLI's --secret-file reads it (hex text). */
function writeSecret(dir: string): string {
  const path = join(dir, 'secret.hex');
  writeFileSync(path, `${randomBytes(32).toString('hex')}\n`);
  return path;
}

test('with both gates open, the export writes a package whose every file parses, matches the manifest and holds no planted value', async ({
  page,
}) => {
  // The whole flow: scan, review, the Pixels step with OCR (about 40 s), export.
  test.setTimeout(300_000);
  const dir = tempDir();
  try {
    const secretPath = writeSecret(dir);
    const result = await exportInBrowser(page, secretPath, dir, 'read');
    // Only the package and its report: no half-written volume, no key file beside the package.
    expect(result.outputNames).toEqual([result.zipName, 'report.json'].sort());
    expect(result.keyFileName).toBe('cleanroom-dataset-key.zip');
    expect(result.outputNames.some((n) => n.includes('key'))).toBe(false);

    const entries = await zipEntries(result.zip);
    const manifest = JSON.parse(new TextDecoder().decode(entries.get('manifest.json')!));
    const sample = generateSampleSet(1);
    expect(manifest.files.length).toBe(result.report.files.written);
    expect(manifest.files.length).toBeGreaterThan(0);
    for (const file of manifest.files as { path: string; sha256: string; size: number }[]) {
      const bytes = entries.get(file.path);
      expect(bytes, `${file.path} is in the zip`).toBeDefined();
      expect(bytes!.byteLength).toBe(file.size);
      expect(sha256(bytes!), `${file.path} matches its SHA-256`).toBe(file.sha256);
      await expect(readDicomFile(bytes!)).resolves.toBeDefined();
    }
    // Every other entry is a document the manifest lists with its checksum, or one of the four
    // entries written with the manifest.
    const documents = (manifest.documents ?? []) as {
      path: string;
      sha256: string;
      size: number;
    }[];
    for (const doc of documents) {
      const bytes = entries.get(doc.path);
      expect(bytes, `${doc.path} is in the zip`).toBeDefined();
      expect(sha256(bytes!), `${doc.path} matches its SHA-256`).toBe(doc.sha256);
    }
    const listed = new Set([
      ...manifest.files.map((f: { path: string }) => f.path),
      ...documents.map((d) => d.path),
      'manifest.json',
      'manifest.csv',
      // The recipe (its SHA-256 is in the manifest) and the values left, written with the manifest.
      'recipe.json',
      'values.csv',
    ]);
    expect([...entries.keys()].filter((name) => !listed.has(name))).toEqual([]);
    for (const name of [
      'manifest.csv',
      'recipe.json',
      'values.csv',
      'review.json',
      'review-decisions.csv',
      'redaction-log.csv',
    ])
      expect(entries.has(name), name).toBe(true);

    // Entries are stored, not compressed: a byte search of the zip covers names, manifest and files.
    const planted = sample.answers.filter((a) => a.kind !== 'pixels');
    expect(planted.length).toBeGreaterThan(10);
    const found = planted.filter((a) => result.zip.includes(Buffer.from(a.value, 'utf8')));
    expect(
      found.map((a) => `${a.kind} at ${a.where}`),
      'planted values in the package',
    ).toEqual([]);

    // The key file is a real key file with a row per patient.
    const key = await readKeyFile(new Uint8Array(result.keyFile));
    expect(key.patients.length).toBe(
      new Set(manifest.files.map((f: { patient: string }) => f.patient)).size,
    );
    // The gate made a person review: the report says so, and who.
    expect(result.report.review).toMatchObject({
      reviewedByPerson: true,
      reviewers: ['Ana Reviewer'],
    });

    // "Save the secret" gives the secret back in the CLI's --secret-file format.
    const saving = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Save the secret' }).click();
    const secretDownload = await saving;
    expect(secretDownload.suggestedFilename()).toBe('cleanroom-secret.hex');
    expect(readFileSync((await secretDownload.path())!, 'utf8')).toBe(
      readFileSync(secretPath, 'utf8'),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** The record of the person's review: written by the app, handed to the CLI with --review-record. */
const REVIEW_RECORD = ['review-decisions.csv', 'review.json'];

test('the browser and the CLI write byte-identical packages for the same files, recipe, secret and review record', async ({
  page,
}) => {
  test.setTimeout(150_000);
  const dir = tempDir();
  try {
    const secretPath = writeSecret(dir);
    const browser = await exportInBrowser(page, secretPath, dir, 'off');

    const input = join(dir, 'input');
    for (const file of generateSampleSet(1).files) {
      const path = join(input, ...file.path.split('/'));
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, file.bytes);
    }
    const recipe = defaultRecipe();
    PIXELS_OFF(recipe);
    const recipePath = join(dir, 'recipe.json');
    writeFileSync(recipePath, JSON.stringify(recipe));
    const out = join(dir, 'out');
    const keyOut = join(dir, 'key');
    // The review happened in the app; the CLI gets its record as the app's package holds it.
    const reviewDir = join(dir, 'review');
    mkdirSync(reviewDir, { recursive: true });
    const browserEntries = await zipEntries(browser.zip);
    for (const name of REVIEW_RECORD)
      writeFileSync(join(reviewDir, name), browserEntries.get(name)!);
    const cli = spawnSync(
      process.execPath,
      [
        CLI,
        'export',
        input,
        '--out',
        out,
        '--key-out',
        keyOut,
        '--secret-file',
        secretPath,
        '--recipe',
        recipePath,
        '--review-record',
        reviewDir,
        '--quiet',
      ],
      { encoding: 'utf8', timeout: 120_000 },
    );
    expect([0, 1], cli.stderr).toContain(cli.status);
    expect(readdirSync(out).sort()).toEqual([browser.zipName, 'report.json'].sort());
    const cliZip = readFileSync(join(out, browser.zipName));

    // Every entry the same, byte for byte, and so the whole zip.
    const ours = browserEntries;
    const theirs = await zipEntries(cliZip);
    expect([...theirs.keys()].sort()).toEqual([...ours.keys()].sort());
    const differ = [...theirs.keys()].filter(
      (name) => sha256(theirs.get(name)!) !== sha256(ours.get(name)!),
    );
    expect(differ).toEqual([]);
    expect(sha256(cliZip)).toBe(sha256(browser.zip));

    // The crosswalk agrees too: the same key file, byte for byte.
    expect(sha256(browser.keyFile)).toBe(sha256(readFileSync(join(keyOut, browser.keyFileName))));
    const cliReport = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(browser.report.files).toEqual(cliReport.files);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A slow disk takes time per byte, not per write (the writer gathers small chunks into big writes). */
const SLOW_UNIT = 64 * 1024;

/**
 * Replaces the output picker with the OPFS folder 'picked-output' behind a wrapper whose writes
 * fail with QuotaExceededError after `failAfter` bytes (a full disk), or wait `delayMs` for every
 * 64 KiB begun (a slow disk).
 */
async function installSlowOrFullOutput(
  page: Page,
  options: { failAfter?: number; delayMs?: number },
): Promise<void> {
  await page.evaluate(
    ({ failAfter, delayMs, slowUnit }) => {
      let written = 0;
      const wrapFile = (file: FileSystemFileHandle) => ({
        kind: 'file',
        name: file.name,
        getFile: () => file.getFile(),
        move: (name: string) => (file as unknown as { move(n: string): Promise<void> }).move(name),
        createWritable: async () => {
          const writable = await file.createWritable();
          return {
            write: async (chunk: Uint8Array) => {
              written += chunk.byteLength;
              if (failAfter !== undefined && written > failAfter)
                throw new DOMException('the disk is full', 'QuotaExceededError');
              if (delayMs)
                await new Promise((r) =>
                  setTimeout(r, delayMs * Math.max(1, Math.ceil(chunk.byteLength / slowUnit))),
                );
              return writable.write(chunk as Uint8Array<ArrayBuffer>);
            },
            close: () => writable.close(),
            abort: () => writable.abort(),
          };
        },
      });
      (window as unknown as Record<string, unknown>).showDirectoryPicker = async () => {
        const real = await (
          await navigator.storage.getDirectory()
        ).getDirectoryHandle('picked-output', { create: true });
        return {
          kind: 'directory',
          name: real.name,
          getFileHandle: async (name: string, o?: FileSystemGetFileOptions) =>
            wrapFile(await real.getFileHandle(name, o)),
          removeEntry: (name: string) => real.removeEntry(name),
          keys: () => real.keys(),
          entries: () => real.entries(),
          isSameEntry: (other: FileSystemHandle) => real.isSameEntry(other),
          resolve: (other: FileSystemHandle) => real.resolve(other),
        };
      };
    },
    { ...options, slowUnit: SLOW_UNIT },
  );
}

/** The sample scanned, with the Pixels step off (export mechanics only) and the review done. */
async function sampleReadyToExport(page: Page, change?: (recipe: Recipe) => void): Promise<void> {
  await scanSampleData(page);
  await loadRecipe(page, (recipe) => {
    PIXELS_OFF(recipe);
    change?.(recipe);
  });
  await passReviewGate(page);
}

test('a full disk stops the export with a plain message and leaves no half-written volume', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await sampleReadyToExport(page);
  await installSlowOrFullOutput(page, { failAfter: 200_000 });
  await page.getByRole('button', { name: 'Choose output folder and export' }).click();
  await expect(page.getByRole('alert')).toContainText('The disk (or the browser storage) is full', {
    timeout: 60_000,
  });
  await expect(page.getByRole('alert')).toContainText('Nothing half-written was left behind');
  expect([...(await readOpfsFolder(page, PICKED_OUTPUT)).keys()]).toEqual([]);
});

test('Cancel stops the export and removes the unfinished volume', async ({ page }) => {
  test.setTimeout(120_000);
  await sampleReadyToExport(page);
  await installSlowOrFullOutput(page, { delayMs: 150 });
  await page.getByRole('button', { name: 'Choose output folder and export' }).click();
  await expect(page.getByText(/Writing\s+cleanroom-dataset-001\.zip/)).toBeVisible({
    timeout: 30_000,
  });
  await page.screenshot({ path: `${SHOTS}/5-export-progress.png`, fullPage: true });
  await page.getByRole('button', { name: 'Cancel export' }).click();
  await expect(page.getByText('The export was cancelled.')).toBeVisible({ timeout: 30_000 });
  expect([...(await readOpfsFolder(page, PICKED_OUTPUT)).keys()]).toEqual([]);
});

test('files chosen with the fallback folder input export in this visit, and after a reload must be chosen again', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await page.goto('/');
  await page.getByLabel('Or select a folder (other browsers)').setInputFiles(SAMPLES_DIR);
  await expect(page.getByRole('heading', { name: 'Inventory', level: 1 })).toBeVisible({
    timeout: 45_000,
  });
  await loadRecipe(page, PIXELS_OFF);
  await passReviewGate(page);
  await page.getByRole('button', { name: 'Choose output folder and export' }).click();
  await expect(page.getByRole('heading', { name: 'Package written' })).toBeVisible({
    timeout: 90_000,
  });
  await expect(
    page.getByRole('status').filter({ hasText: /\d+ of \d+ files written/ }),
  ).toBeVisible();

  await page.reload();
  await expect(page.getByRole('heading', { name: 'Export', level: 1 })).toBeVisible();
  await page.getByRole('button', { name: 'Choose output folder and export' }).click();
  await expect(page.getByRole('alert')).toContainText(
    'Choose that folder again on the Intake screen',
  );
});

/**
 * Slows every write of the page's file streams by `delayMs` for every 64 KiB begun (real handles
 * stay real, so the export keeps the output folder's handle for Resume, and the input folders can
 * be compared with it).
 */
async function slowDownWrites(page: Page, delayMs: number): Promise<void> {
  await page.evaluate(
    ({ delayMs, slowUnit }) => {
      const proto = FileSystemFileHandle.prototype;
      const open = proto.createWritable;
      proto.createWritable = async function (this: FileSystemFileHandle, ...args) {
        const writable = await open.apply(this, args);
        const write = writable.write.bind(writable);
        writable.write = async (chunk) => {
          const size = ArrayBuffer.isView(chunk) ? chunk.byteLength : 0;
          const units = Math.max(1, Math.ceil(size / slowUnit));
          await new Promise((r) => setTimeout(r, delayMs * units));
          return write(chunk);
        };
        return writable;
      };
    },
    { delayMs, slowUnit: SLOW_UNIT },
  );
}

/** The finished volumes in the picked output folder, name → bytes. */
async function volumes(page: Page): Promise<Map<string, Buffer>> {
  const output = await readOpfsFolder(page, PICKED_OUTPUT);
  return new Map([...output].filter(([name]) => name.endsWith('.zip')));
}

/** The entries of two zips whose bytes differ (or that only one has), for a failure message. */
async function differingEntries(a: Uint8Array, b: Uint8Array): Promise<string[]> {
  const [x, y] = [await zipEntries(a), await zipEntries(b)];
  return [...new Set([...x.keys(), ...y.keys()])].filter(
    (n) => !x.has(n) || !y.has(n) || sha256(x.get(n)!) !== sha256(y.get(n)!),
  );
}

test('an export closed after its first volume resumes in a new page to the same volumes, byte for byte', async ({
  page,
  context,
  opfs,
}) => {
  test.setTimeout(240_000);
  // Three copies of the sample (other UIDs per seed), about 3 MB: several volumes of 1 MiB (the
  // smallest a recipe allows).
  await page.goto('/');
  for (const seed of [1, 2, 3])
    for (const file of generateSampleSet(seed).files)
      await opfs.write(PICKED_INPUT, `copy-${seed}/${file.path}`, file.bytes);
  await page.getByRole('button', { name: 'Choose a folder' }).click();
  await expect(page.getByRole('heading', { name: 'Inventory', level: 1 })).toBeVisible({
    timeout: 45_000,
  });
  await loadRecipe(page, (recipe) => {
    PIXELS_OFF(recipe);
    recipe.package.volumeSize = '1MiB';
  });
  await passReviewGate(page);
  const exportButton = page.getByRole('button', { name: 'Choose output folder and export' });

  // The uninterrupted export, for reference; then the folder is emptied for the second one.
  await exportButton.click();
  await expect(page.getByRole('heading', { name: 'Package written' })).toBeVisible({
    timeout: 90_000,
  });
  const whole = await volumes(page);
  expect(whole.size, 'several volumes').toBeGreaterThanOrEqual(3);
  const names = [...whole.keys()].sort();
  await clearOpfsFolder(page, PICKED_OUTPUT);

  // The same export, slowed down, and the page closed once the first volume is finished (the
  // second one is being written, so the checkpoint of the first is saved).
  await slowDownWrites(page, 150);
  await exportButton.click();
  await expect
    .poll(() => listOpfsFolder(page, PICKED_OUTPUT), {
      timeout: 60_000,
      intervals: [100],
    })
    .toContain(`${names[1]}.partial`);
  const atClose = await listOpfsFolder(page, PICKED_OUTPUT);
  await page.close();
  expect(atClose).toContain(names[0]);
  expect(atClose).not.toContain(names[names.length - 1]);
  expect(atClose).not.toContain('report.json');

  // A new page: the Export screen offers to resume, and Resume writes only the rest.
  const second = await context.newPage();
  const errors = await guardPage(second);
  await second.goto('/');
  await openStep(second, 'Export');
  const offer = second.getByRole('region', { name: 'An export stopped before it finished' });
  await expect(offer).toContainText(/has\s+[1-9]\d*\s+volumes?\s+written/);
  await offer.getByRole('button', { name: 'Resume export' }).click();
  await expect(second.getByRole('heading', { name: 'Package written' })).toBeVisible({
    timeout: 90_000,
  });
  const resumed = await volumes(second);
  expect([...resumed.keys()].sort()).toEqual(names);
  for (const name of names) {
    const same = sha256(resumed.get(name)!) === sha256(whole.get(name)!);
    const differ = same ? [] : await differingEntries(resumed.get(name)!, whole.get(name)!);
    expect(differ, `${name}: entries that differ from the uninterrupted export`).toEqual([]);
    expect(sha256(resumed.get(name)!), name).toBe(sha256(whole.get(name)!));
  }
  expect([...(await readOpfsFolder(second, PICKED_OUTPUT)).keys()].sort()).toEqual(
    [...names, 'report.json'].sort(),
  );
  expect(errors, 'console errors and page errors').toEqual([]);
});
