// Screenshots of every screen for a person to look at (test-results/screens/); asserts only that each renders.
import { test, expect } from './fixtures';
import { scanSampleData } from './fixtures-app';

const SHOTS = 'test-results/screens';

test('every screen renders (screenshots for review)', async ({ page }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto('/');
  await page.screenshot({ path: `${SHOTS}/1-intake-empty.png`, fullPage: true });
  await page.getByRole('button', { name: 'Privacy' }).click();
  await page.screenshot({ path: `${SHOTS}/0-privacy.png` });
  await page.keyboard.press('Escape');
  await page.getByRole('link', { name: /^Inventory/ }).click();
  await page.screenshot({ path: `${SHOTS}/2-inventory-empty.png`, fullPage: true });

  await scanSampleData(page);
  await page
    .getByRole('textbox', { name: /Selection rule/ })
    .fill('Modality == "CT" and SliceThickness <= 1.0');
  await page.screenshot({ path: `${SHOTS}/2-inventory.png`, fullPage: true });
  await page
    .getByRole('textbox', { name: /Selection rule/ })
    .fill('Modality == "CT" and SliceThickness <');
  await page.getByRole('alert').waitFor();
  await page.screenshot({ path: `${SHOTS}/2-inventory-rule-error.png` });
  await page.getByRole('link', { name: /^Intake/ }).click();
  await page.screenshot({ path: `${SHOTS}/1-intake-after-scan.png`, fullPage: true });
  for (const [i, name] of ['Review', 'Pixels', 'Export', 'Verify'].entries()) {
    await page.getByRole('link', { name: new RegExp(`^${name}`) }).click();
    await expect(page.getByRole('main', { name })).toBeVisible();
    await page.screenshot({ path: `${SHOTS}/${i + 3}-${name.toLowerCase()}.png` });
  }
});
