// Export: the sample is written as a real package into the picked output folder; every file in it
// parses and matches the manifest, no planted value is in any byte, the key file comes as a
// download and never lands beside the package, and the zip is byte-identical to the CLI's.
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { generateSampleSet } from '../src/core/sample/sample-set';
import { readZipEntries } from '../src/core/package/read-zip';
import { readKeyFile } from '../src/core/package/keyfile';
import { readDicomFile } from '../src/core/dicom/read';
import { test, expect, PICKED_OUTPUT, SAMPLES_DIR } from './fixtures';
import { scanSampleData } from './fixtures-app';

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

/** Reads every file of an OPFS folder back as base64 (names sorted). */
async function readOpfsFolder(page: Page, folder: string): Promise<Map<string, Buffer>> {
  const files = await page.evaluate(async (folder) => {
    const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle(folder);
    const out: [string, string][] = [];
    for await (const [name, handle] of dir.entries()) {
      if (handle.kind !== 'file') {
        out.push([`${name}/`, '']);
        continue;
      }
      const bytes = new Uint8Array(
        await (await (handle as FileSystemFileHandle).getFile()).arrayBuffer(),
      );
      let binary = '';
      for (let i = 0; i < bytes.length; i += 0x8000)
        binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      out.push([name, btoa(binary)]);
    }
    return out.sort(([a], [b]) => (a < b ? -1 : 1));
  }, folder);
  return new Map(files.map(([name, b64]) => [name, Buffer.from(b64, 'base64')]));
}

/** Sample → Inventory (no rule) → Export with the given secret file → package, report, key file. */
async function exportInBrowser(
  page: Page,
  secretPath: string,
  dir: string,
): Promise<BrowserExport> {
  await page.setViewportSize({ width: 1280, height: 900 });
  await scanSampleData(page);
  await expect(page.getByText('No rule: every series is selected.')).toBeVisible();
  await page.getByRole('link', { name: /^Export/ }).click();
  await expect(page.getByRole('heading', { name: 'Export', level: 1 })).toBeVisible();

  await page.getByLabel('Project secret file').setInputFiles(secretPath);
  await expect(page.getByText('The project secret now comes from that file.')).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/5-export-before.png`, fullPage: true });

  await page.getByRole('button', { name: 'Choose output folder and export' }).click();
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

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'cleanroom-export-e2e-'));
}

/** A known project secret, as the CLI's --secret-file reads it (hex text). */
function writeSecret(dir: string): string {
  const path = join(dir, 'secret.hex');
  writeFileSync(path, `${randomBytes(32).toString('hex')}\n`);
  return path;
}

test('the export writes a package whose every file parses, matches the manifest and holds no planted value', async ({
  page,
}) => {
  test.setTimeout(150_000);
  const dir = tempDir();
  try {
    const secretPath = writeSecret(dir);
    const result = await exportInBrowser(page, secretPath, dir);
    // Only the package and its report: no half-written volume, no key file beside the package.
    expect(result.outputNames).toEqual([result.zipName, 'report.json'].sort());
    expect(result.keyFileName).toBe('cleanroom-dataset-key.zip');
    expect(result.outputNames.some((n) => n.includes('key'))).toBe(false);

    const entries = new Map<string, Uint8Array>();
    for await (const entry of readZipEntries(new Blob([new Uint8Array(result.zip)]))) {
      entries.set(entry.name, await entry.data());
    }
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
    for (const name of ['manifest.csv', 'recipe.json', 'values.csv'])
      expect(entries.has(name)).toBe(true);

    // Entries are stored, not compressed: a byte search of the zip covers names, manifest and files.
    expect(entries.size).toBe(manifest.files.length + 4);
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
    expect(result.report.review).toMatchObject({ reviewedByPerson: false });

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

test('the browser writes the same package, byte for byte, as the CLI for the same files, recipe and secret', async ({
  page,
}) => {
  test.setTimeout(150_000);
  const dir = tempDir();
  try {
    const secretPath = writeSecret(dir);
    const browser = await exportInBrowser(page, secretPath, dir);

    const input = join(dir, 'input');
    for (const file of generateSampleSet(1).files) {
      const path = join(input, ...file.path.split('/'));
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, file.bytes);
    }
    const out = join(dir, 'out');
    const keyOut = join(dir, 'key');
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
        '--quiet',
      ],
      { encoding: 'utf8', timeout: 120_000 },
    );
    expect([0, 1], cli.stderr).toContain(cli.status);
    expect(readdirSync(out).sort()).toEqual([browser.zipName, 'report.json'].sort());
    const cliZip = readFileSync(join(out, browser.zipName));
    expect(cliZip.byteLength).toBe(browser.zip.byteLength);
    expect(sha256(browser.zip)).toBe(sha256(cliZip));
    // The crosswalk agrees too: the same key file, byte for byte.
    expect(sha256(browser.keyFile)).toBe(sha256(readFileSync(join(keyOut, browser.keyFileName))));
    const cliReport = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(browser.report.files).toEqual(cliReport.files);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/**
 * Replaces the output picker with the OPFS folder 'picked-output' behind a wrapper whose writes
 * fail with QuotaExceededError after `failAfter` bytes (a full disk), or wait `delayMs` each.
 */
async function installSlowOrFullOutput(
  page: Page,
  options: { failAfter?: number; delayMs?: number },
): Promise<void> {
  await page.evaluate(({ failAfter, delayMs }) => {
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
            if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
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
  }, options);
}

async function goToExport(page: Page): Promise<void> {
  await page.getByRole('link', { name: /^Export/ }).click();
  await expect(page.getByRole('heading', { name: 'Export', level: 1 })).toBeVisible();
}

test('a full disk stops the export with a plain message and leaves no half-written volume', async ({
  page,
}) => {
  await scanSampleData(page);
  await goToExport(page);
  await installSlowOrFullOutput(page, { failAfter: 200_000 });
  await page.getByRole('button', { name: 'Choose output folder and export' }).click();
  await expect(page.getByRole('alert')).toContainText('The disk (or the browser storage) is full', {
    timeout: 60_000,
  });
  await expect(page.getByRole('alert')).toContainText('Nothing half-written was left behind');
  expect([...(await readOpfsFolder(page, PICKED_OUTPUT)).keys()]).toEqual([]);
});

test('Cancel stops the export and removes the unfinished volume', async ({ page }) => {
  await scanSampleData(page);
  await goToExport(page);
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
  await goToExport(page);
  await page.getByRole('button', { name: 'Choose output folder and export' }).click();
  await expect(page.getByRole('heading', { name: 'Package written' })).toBeVisible({
    timeout: 90_000,
  });
  await expect(page.getByRole('status').first()).toContainText(/\d+ of \d+ files written/);

  await page.reload();
  await expect(page.getByRole('heading', { name: 'Export', level: 1 })).toBeVisible();
  await page.getByRole('button', { name: 'Choose output folder and export' }).click();
  await expect(page.getByRole('alert')).toContainText(
    'Choose that folder again on the Intake screen',
  );
});
