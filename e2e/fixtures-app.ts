// Steps several specs share: run the built-in sample through Intake and land on the Inventory; pass
// the Review gate and the Pixels gate as a person would; load a recipe; read the output folder.
import type { Page } from '@playwright/test';
import { defaultRecipe, type Recipe } from '../src/core/profile/recipe';
import { expect } from './fixtures';

export async function scanSampleData(page: Page): Promise<void> {
  await page.goto('/');
  await page.getByRole('button', { name: 'Try with sample data' }).click();
  await expect(page.getByRole('heading', { name: 'Inventory', level: 1 })).toBeVisible({
    timeout: 45_000,
  });
}

/** Opens a step from the step navigation ('Review', 'Pixels', 'Export', …). */
export async function openStep(page: Page, step: string): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Steps' })
    .getByRole('link', { name: new RegExp(`^${step}`) })
    .click();
  await expect(page.getByRole('heading', { name: step, level: 1 })).toBeVisible();
}

/**
 * Loads a recipe through the Inventory's "Load a recipe…" (the default recipe with `change`
 * applied), as an organizer's recipe arrives. Lands on the Inventory.
 */
export async function loadRecipe(page: Page, change: (recipe: Recipe) => void): Promise<void> {
  await openStep(page, 'Inventory');
  const recipe = defaultRecipe();
  change(recipe);
  await page.getByRole('button', { name: 'Load a recipe…' }).setInputFiles({
    name: 'recipe.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(recipe)),
  });
  await expect(
    page.getByRole('status').filter({ hasText: `Recipe "${recipe.name}" loaded` }),
  ).toBeVisible();
}

/** The Review counter: values that need a person, and how many of them are decided. */
async function reviewCounter(page: Page): Promise<{ reviewed: number; needed: number }> {
  const text = await page.locator('.counter strong').innerText();
  const [reviewed, needed] = text.split(' of ').map(Number);
  return { reviewed, needed };
}

/**
 * Opens the Review gate as a person would: runs the dry run, types a reviewer's name, accepts all
 * coded and numeric values with the bulk button, then accepts what is left with each element's
 * "Accept whole element" button. Ends on the Export screen with the review gate open.
 */
export async function passReviewGate(page: Page, reviewer = 'Ana Reviewer'): Promise<void> {
  await openStep(page, 'Review');
  await page.getByRole('button', { name: 'Run the dry run', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Export the list as CSV' })).toBeVisible({
    timeout: 90_000,
  });
  await expect(page.getByRole('button', { name: 'Cancel dry run' })).toHaveCount(0);

  const name = page.getByRole('textbox', { name: 'Reviewed by' });
  await name.fill(reviewer);
  await name.press('Enter');

  const bulk = page.getByRole('button', { name: /^Accept all coded and numeric values/ });
  if (await bulk.isEnabled()) {
    await bulk.click();
    await expect(bulk).toBeDisabled();
  }

  // What is left, element by element, with each element's "Accept whole element" button. The
  // list is shown in pages of 100; an element's rows follow its heading.
  const list = page.getByRole('region', { name: 'Values left in the headers' });
  for (let step = 0; step < 1_000; step++) {
    const { reviewed, needed } = await reviewCounter(page);
    if (reviewed === needed) break;
    const open = await list.evaluate((region) => {
      let element: string | undefined;
      for (const li of region.querySelectorAll('li')) {
        if (li.dataset.element !== undefined) element = li.dataset.element;
        else if (li.dataset.risk !== undefined && !li.classList.contains('decided')) return element;
      }
      return undefined;
    });
    if (open !== undefined) {
      await list
        .getByRole('button', { name: `Accept every value of ${open}`, exact: true })
        .click();
      await expect(
        list.locator(`li[data-element="${open}"] ~ li.decided[data-path="${open}"]`).first(),
      ).toBeVisible();
      continue;
    }
    const next = page.getByRole('button', { name: 'Next 100' });
    if ((await next.count()) === 0 || (await next.isDisabled())) break;
    await next.click();
  }
  const { reviewed, needed } = await reviewCounter(page);
  expect(reviewed, 'every value that needs a person is reviewed').toBe(needed);

  await openStep(page, 'Export');
  await expect(page.locator('.gate[data-gate]')).toHaveAttribute('data-gate', 'open');
}

/** The Pixels screen's gate line, as a count of images still to review (0 when open). */
async function pixelsToReview(page: Page): Promise<number> {
  const text = await page.locator('.gate').innerText();
  if (text.includes('Nothing in the pixels blocks the export')) return 0;
  const m = /(\d+) images? to review/.exec(text);
  return m ? Number(m[1]) : Number.POSITIVE_INFINITY;
}

/**
 * Opens the Pixels gate as a person would: reads every selected image (OCR in workers), then
 * opens each image waiting for a reviewer and approves it, all images of its device at once when
 * the viewer offers that. Ends with nothing in the pixels blocking the export.
 */
export async function passPixelsGate(page: Page): Promise<void> {
  await openStep(page, 'Pixels');
  await readAllImages(page);
  await approveAllImages(page);
}

/** Runs the Pixels step until every selected image is read (about 40 s on the sample with OCR). */
export async function readAllImages(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Read the images', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Cancel reading' })).toHaveCount(0, {
    timeout: 240_000,
  });
  await expect(page.locator('.gate')).not.toContainText('not read yet', { timeout: 240_000 });
}

/** Approves every image that waits for a reviewer, per device where the viewer offers it. */
export async function approveAllImages(page: Page): Promise<void> {
  const back = page.getByRole('button', { name: 'Back to all images' });
  for (let round = 0; round < 100; round++) {
    const left = await pixelsToReview(page);
    if (left === 0) break;
    // Each round starts from the grid, so a click never lands on a viewer that is moving on.
    if (await back.isVisible()) await back.click();
    await page.getByRole('radio', { name: /^To review/ }).click();
    await page
      .getByRole('button', { name: /, to review$/ })
      .first()
      .click();
    const approve = page.getByRole('button', { name: /^Approve: / });
    await expect(approve).toBeEnabled();
    const device = page.getByRole('button', { name: /^Approve all \d+ images of this device$/ });
    if (await device.isVisible()) await device.click();
    else await approve.click();
    await expect.poll(() => pixelsToReview(page), { timeout: 20_000 }).toBeLessThan(left);
  }
  await expect(page.locator('.gate')).toContainText('Nothing in the pixels blocks the export.');
  if (await back.isVisible()) await back.click();
}

/** Reads every file of an OPFS folder back (names sorted; sub-folders as `name/` with no bytes). */
export async function readOpfsFolder(page: Page, folder: string): Promise<Map<string, Buffer>> {
  const files = await page.evaluate(async (folder) => {
    const dir = await (
      await navigator.storage.getDirectory()
    ).getDirectoryHandle(folder, {
      create: true,
    });
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

/** The names in an OPFS folder, sorted (no reads, so safe while a writer renames files). */
export async function listOpfsFolder(page: Page, folder: string): Promise<string[]> {
  return page.evaluate(async (folder) => {
    const dir = await (
      await navigator.storage.getDirectory()
    ).getDirectoryHandle(folder, {
      create: true,
    });
    const names: string[] = [];
    for await (const name of dir.keys()) names.push(name);
    return names.sort();
  }, folder);
}

/** Removes every entry of an OPFS folder (to write a second export into the same picked folder). */
export async function clearOpfsFolder(page: Page, folder: string): Promise<void> {
  await page.evaluate(async (folder) => {
    const dir = await (
      await navigator.storage.getDirectory()
    ).getDirectoryHandle(folder, {
      create: true,
    });
    const names: string[] = [];
    for await (const name of dir.keys()) names.push(name);
    for (const name of names) await dir.removeEntry(name, { recursive: true });
  }, folder);
}
