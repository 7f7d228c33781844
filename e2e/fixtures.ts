// The e2e fixture every spec uses: it fails a test on any request to another origin, on any console
// error or page error, and it installs the picker seam (directory pickers answer with OPFS folders).
import { test as base, expect, type Page } from '@playwright/test';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export { expect };

/** The folder of sample DICOM files in the repository. */
export const SAMPLES_DIR = fileURLToPath(new URL('../test-data/dicom-samples/', import.meta.url));

/** OPFS folders the seam hands out: the input picker and the output picker. */
export const PICKED_INPUT = 'picked-input';
export const PICKED_OUTPUT = 'picked-output';

/**
 * Runs in the page before any app script: showDirectoryPicker / showSaveFilePicker answer with
 * sub-folders of the origin private file system instead of opening a native dialog.
 */
function installPickerSeam(names: { input: string; output: string }): void {
  const w = window as unknown as Record<string, unknown>;
  const folder = async (name: string) =>
    (await navigator.storage.getDirectory()).getDirectoryHandle(name, { create: true });
  w.showDirectoryPicker = async (options?: { mode?: string }) =>
    folder(options?.mode === 'readwrite' ? names.output : names.input);
  w.showSaveFilePicker = async (options?: { suggestedName?: string }) =>
    (await folder(names.output)).getFileHandle(options?.suggestedName ?? 'download', {
      create: true,
    });
}

/** Writes files into an OPFS folder of the page's origin. */
export class OpfsFiller {
  constructor(private readonly page: Page) {}

  /** Writes one file (path relative to `folder`, `/`-separated), in base64 chunks of 1 MiB. */
  async write(folder: string, path: string, bytes: Uint8Array): Promise<void> {
    const chunk = 1 << 20;
    const parts: string[] = [];
    for (let i = 0; i < bytes.length || i === 0; i += chunk) {
      parts.push(Buffer.from(bytes.subarray(i, i + chunk)).toString('base64'));
      if (bytes.length === 0) break;
    }
    await this.page.evaluate(
      async ({ folder, path, parts }) => {
        let dir = await (
          await navigator.storage.getDirectory()
        ).getDirectoryHandle(folder, {
          create: true,
        });
        const names = path.split('/');
        const fileName = names.pop()!;
        for (const name of names) dir = await dir.getDirectoryHandle(name, { create: true });
        const writable = await (
          await dir.getFileHandle(fileName, { create: true })
        ).createWritable();
        for (const part of parts) {
          await writable.write(Uint8Array.from(atob(part), (c) => c.charCodeAt(0)));
        }
        await writable.close();
      },
      { folder, path, parts },
    );
  }

  /** Copies every file under `sourceDir` (recursively) into the OPFS folder, keeping relative paths. */
  async fillFrom(
    folder: string,
    sourceDir: string,
    accept: (relativePath: string) => boolean = () => true,
  ): Promise<string[]> {
    const written: string[] = [];
    for (const file of listFiles(sourceDir)) {
      const rel = relative(sourceDir, file).split(sep).join('/');
      if (!accept(rel)) continue;
      await this.write(folder, rel, readFileSync(file));
      written.push(rel);
    }
    return written;
  }
}

function listFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? listFiles(path) : [path];
    });
}

/**
 * Prepares a page as the fixture's own: installs the picker seam and collects console errors and
 * page errors into the array returned (a test that opens a second page checks it is empty).
 */
export async function guardPage(page: Page): Promise<string[]> {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  await page.addInitScript(installPickerSeam, { input: PICKED_INPUT, output: PICKED_OUTPUT });
  return errors;
}

export const test = base.extend<{ opfs: OpfsFiller; outsideRequests: string[] }>({
  outsideRequests: [
    async ({ context, baseURL }, use) => {
      const origin = new URL(baseURL!).origin;
      const outside: string[] = [];
      context.on('request', (request) => {
        const url = new URL(request.url());
        if (url.protocol === 'data:' || url.protocol === 'blob:') return;
        if (url.origin !== origin) outside.push(`${request.method()} ${url.origin}`);
      });
      await use(outside);
      expect(outside, 'requests to an origin other than the app').toEqual([]);
    },
    { auto: true },
  ],

  page: async ({ page }, use) => {
    const errors = await guardPage(page);
    await use(page);
    expect(errors, 'console errors and page errors').toEqual([]);
  },

  opfs: async ({ page }, use) => {
    await use(new OpfsFiller(page));
  },
});
