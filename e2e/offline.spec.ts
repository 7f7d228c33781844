// Offline: once the service worker holds the app, it loads and scans the sample with no network at all.
import { generateSampleSet } from '../src/core/sample/sample-set';
import { test, expect } from './fixtures';

const expected = generateSampleSet(1).expected;

test('after one visit the app works offline, Try with sample data included', async ({
  page,
  context,
}) => {
  test.setTimeout(120_000);
  await page.goto('/');
  await expect(page.getByRole('navigation', { name: 'Steps' })).toBeVisible();
  // Precaching the OCR assets (~15 MB) takes a moment; the worker then claims the page.
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, {
    timeout: 60_000,
  });

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole('navigation', { name: 'Steps' })).toBeVisible();
  expect(await page.evaluate(() => navigator.onLine)).toBe(false);

  await page.getByRole('button', { name: 'Try with sample data' }).click();
  await expect(page.getByRole('heading', { name: 'Inventory', level: 1 })).toBeVisible({
    timeout: 45_000,
  });
  await expect(page.getByRole('group', { name: 'Instances' })).toContainText(
    new RegExp(`^Instances\\s*${expected.instances}\\s*found`),
  );
});
