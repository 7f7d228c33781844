// Review: the dry run lists every value left, ranked; no planted name survives; a decision
// persists across a reload and, after a second dry run, the replacement shows instead of the value.
// The gate: the name planted in a description comes first, marked as the patient's name; the
// reviewer replaces it; export stays locked until everything is reviewed; the package carries it.
import { readFileSync } from 'node:fs';
import { generateSampleSet } from '../src/core/sample/sample-set';
import { parseCsv } from '../src/core/csv/csv';
import { readZipEntries } from '../src/core/package/read-zip';
import { test, expect, PICKED_OUTPUT } from './fixtures';
import { loadRecipe, scanSampleData } from './fixtures-app';
import type { Page } from '@playwright/test';

const { answers } = generateSampleSet(1);

/** Planted header values that identify someone (dates are shifted, and could meet another by chance). */
const planted = [
  ...new Set(
    answers
      .filter((a) => a.where.startsWith('header') || a.where.startsWith('private'))
      .filter((a) => a.kind !== 'date' && a.kind !== 'description')
      .flatMap((a) => (a.kind === 'name' ? a.value.split('^') : [a.value]))
      .filter((v) => v.length >= 3),
  ),
];

async function runDryRun(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name, exact: true }).click();
  await expect(page.getByRole('button', { name: 'Export the list as CSV' })).toBeVisible({
    timeout: 60_000,
  });
  await expect(page.getByRole('button', { name: 'Cancel dry run' })).toHaveCount(0);
}

async function downloadCsv(page: Page): Promise<string[][]> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export the list as CSV' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('values-left.csv');
  return parseCsv(readFileSync(await download.path(), 'utf8'));
}

test('the dry run ranks what is left, and a replace decision persists and takes effect', async ({
  page,
}) => {
  test.setTimeout(150_000);
  await scanSampleData(page);
  await page.getByRole('button', { name: 'Continue to Review' }).click();
  await runDryRun(page, 'Run the dry run');
  await page.getByRole('textbox', { name: 'Reviewed by' }).fill('Ana Reviewer');
  await page.getByRole('textbox', { name: 'Reviewed by' }).press('Enter');

  const list = page.getByRole('region', { name: 'Values left in the headers' });
  const rows = list.locator('li[data-risk]');

  // Every value left, from the CSV: no planted name or identifier, the most dangerous first.
  // (Names in descriptions are masked by cleaning; the masked values rank first, see the gate test.)
  const [header, ...values] = await downloadCsv(page);
  expect(header).toEqual(['path', 'vr', 'value', 'count', 'risk', 'reason']);
  expect(values.length).toBeGreaterThan(50);
  const order: Record<string, number> = { high: 0, medium: 1, low: 2 };
  for (let i = 1; i < values.length; i++)
    expect(order[values[i - 1][4]]).toBeLessThanOrEqual(order[values[i][4]]);
  await expect(rows.first()).toHaveAttribute('data-risk', values[0][4]);
  await expect(rows.first().locator('.reason')).not.toBeEmpty();
  const text = values.map((v) => v[2].toLowerCase());
  for (const value of planted)
    expect(
      text.filter((t) => t.includes(value.toLowerCase())),
      value,
    ).toEqual([]);

  // Keys: the list takes focus, j moves, a accepts.
  await list.focus();
  await page.keyboard.press('j');
  await page.keyboard.press('a');
  await expect(rows.nth(1).getByText('Accepted', { exact: true })).toBeVisible();

  // A replace decision on a free-text value, typed inline.
  await page.getByRole('searchbox', { name: 'Search values' }).fill('CHEST 5MM');
  await page.getByRole('button', { name: 'Replace “CHEST 5MM” in SeriesDescription' }).click();
  await page.getByRole('textbox', { name: /Replace “CHEST 5MM” with/ }).fill('Chest five mm');
  await page.keyboard.press('Enter');
  await expect(list.getByText('Will be replaced with “Chest five mm”')).toBeVisible();
  await expect(page.getByText('Your decisions or the recipe changed')).toBeVisible();

  // Kept across a reload.
  await page.reload();
  await page.getByRole('searchbox', { name: 'Search values' }).fill('CHEST 5MM');
  await expect(list.getByText('Will be replaced with “Chest five mm”')).toBeVisible();
  await expect(rows.first().getByText('Accepted', { exact: true })).toHaveCount(0);

  // A second dry run: the old value is gone, the replacement is there, marked as typed by the reviewer.
  await runDryRun(page, 'Run the dry run again');
  await expect(page.getByText('Your decisions or the recipe changed')).toHaveCount(0);
  await page.getByRole('searchbox', { name: 'Search values' }).fill('CHEST 5MM');
  await expect(list.getByText('No value matches.')).toBeVisible();
  await page.getByRole('searchbox', { name: 'Search values' }).fill('Chest five mm');
  const replaced = list.locator('li[data-value="Chest five mm"]');
  await expect(replaced).toHaveAttribute('data-path', 'SeriesDescription');
  await expect(replaced.getByText('Your replacement')).toBeVisible();
  await page.screenshot({ path: 'test-results/review.png', fullPage: true });
});

/** The review gate's state as the Export screen shows it (the Pixels gate has its own line). */
/**
 * Opens Export and expects the review gate to reach `state`. The gate is a live query of the
 * store: right after the last decision it may still show the state before it for a moment.
 */
async function expectGateOnExport(page: Page, state: string): Promise<void> {
  await page.getByRole('link', { name: /^Export/ }).click();
  await expect(page.locator('.gate[data-gate]')).toHaveAttribute('data-gate', state);
}

/** Accepts every element on every page (value decisions already made stay as they are). */
async function acceptEveryElement(page: Page): Promise<void> {
  for (;;) {
    const buttons = page.getByRole('button', { name: /^Accept every value of / });
    const n = await buttons.count();
    for (let i = 0; i < n; i++) await buttons.nth(i).click();
    const next = page.getByRole('button', { name: 'Next 100' });
    if ((await next.count()) === 0 || (await next.isDisabled())) return;
    await next.click();
  }
}

test('the planted name comes first as the patient’s name, the gate opens only when all is reviewed, the package carries the replacement', async ({
  page,
}) => {
  test.setTimeout(300_000);
  await scanSampleData(page);
  // This test is about the review: the recipe turns the Pixels step off (pixels.spec covers it).
  await loadRecipe(page, (recipe) => {
    recipe.pixels = { mode: 'off' };
  });
  await page.getByRole('button', { name: 'Continue to Review' }).click();
  await runDryRun(page, 'Run the dry run');
  await expectGateOnExport(page, 'values-open');
  await expect(page.getByText('Export is locked until the review is done.')).toBeVisible();
  await page.getByRole('link', { name: 'Go to Review' }).click();

  // First: a description whose original held the patient's name, masked by cleaning.
  const list = page.getByRole('region', { name: 'Values left in the headers' });
  const first = list.locator('li[data-risk]').first();
  await expect(first).toHaveAttribute('data-risk', 'high');
  await expect(first).toHaveAttribute('data-path', /Description/);
  await expect(first.locator('.reason')).toHaveText(/^matches the patient's name/);
  const path = (await first.getAttribute('data-path'))!;
  expect(await first.getAttribute('data-value')).toContain('***');

  // Before and after for a file it is in: the original (on this screen only) beside the output.
  await first
    .getByRole('button', { name: /^Before and after: / })
    .first()
    .click();
  const panel = page.getByRole('region', { name: /^Before and after: / });
  const focused = panel.locator('tr.focus');
  await expect(focused.locator('td.before')).toContainText(/quixotehart/i);
  await expect(focused.locator('td.after')).toContainText('***');
  await expect(focused).toContainText('Cleaned');
  await page.keyboard.press('Escape');
  await expect(panel).toHaveCount(0);

  // A decision needs the reviewer's name; then the reviewer replaces the value.
  await list.focus();
  await page.keyboard.press('a');
  await expect(page.getByText('Type your name in “Reviewed by” first')).toBeVisible();
  await page.getByRole('textbox', { name: 'Reviewed by' }).fill('Ana Reviewer');
  await page.getByRole('textbox', { name: 'Reviewed by' }).press('Enter');
  await list.focus();
  await page.keyboard.press('r');
  await page.keyboard.type('Chest CT reviewed');
  await page.keyboard.press('Enter');
  await expect(first.getByText('Will be replaced with “Chest CT reviewed”')).toBeVisible();
  await expectGateOnExport(page, 'values-open');

  // Everything else, element by element: the gate opens.
  await page.getByRole('link', { name: /^Review/ }).click();
  await acceptEveryElement(page);
  // The counter is a live query too: wait until it has counted the last decision.
  await expect(page.locator('.counter strong')).toHaveText(/^(\d+) of \1$/);
  await expectGateOnExport(page, 'open');

  // Decisions survive a reload.
  await page.reload();
  await expect(page.locator('.gate[data-gate]')).toHaveAttribute('data-gate', 'open');
  await expect(page.locator('[data-gate="pixels-closed"]')).toHaveCount(0);
  await page.getByRole('link', { name: /^Review/ }).click();
  await expect(page.locator(`li[data-path="${path}"]`).first()).toContainText(
    'Will be replaced with “Chest CT reviewed”',
  );

  // The written files carry the replacement, at that element.
  await page.getByRole('link', { name: /^Export/ }).click();
  await page.getByRole('button', { name: 'Choose output folder and export' }).click();
  await expect(page.getByRole('heading', { name: 'Package written' })).toBeVisible({
    timeout: 90_000,
  });
  const zips = await page.evaluate(async (folder) => {
    const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle(folder);
    const out: number[][] = [];
    for await (const [name, handle] of dir.entries())
      if (name.endsWith('.zip'))
        out.push([
          ...new Uint8Array(await (await (handle as FileSystemFileHandle).getFile()).arrayBuffer()),
        ]);
    return out;
  }, PICKED_OUTPUT);
  expect(zips).toHaveLength(1);
  let replaced = 0;
  for await (const entry of readZipEntries(new Blob([new Uint8Array(zips[0])]))) {
    if (!entry.name.endsWith('.dcm')) continue;
    const text = Buffer.from(await entry.data()).toString('latin1');
    if (text.includes('Chest CT reviewed')) replaced++;
  }
  expect(replaced).toBeGreaterThan(0);
  await page.screenshot({ path: 'test-results/review-gate.png' });
});
