// Review: the dry run lists every value left, ranked; no planted name survives; a decision
// persists across a reload and, after a second dry run, the replacement shows instead of the value.
import { readFileSync } from 'node:fs';
import { generateSampleSet } from '../src/core/sample/sample-set';
import { parseCsv } from '../src/core/csv/csv';
import { test, expect } from './fixtures';
import { scanSampleData } from './fixtures-app';
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

  const list = page.getByRole('region', { name: 'Values left in the headers' });
  const rows = list.locator('li[data-risk]');

  // Every value left, from the CSV: no planted name or identifier, the most dangerous first.
  // (With the default recipe the sample leaves nothing high: names in descriptions are cleaned.)
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
