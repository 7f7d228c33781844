// The shell: the app loads, shows the six steps, remembers the step across a reload, and explains privacy.
import { test, expect } from './fixtures';

const STEP_NAMES = ['Intake', 'Inventory', 'Review', 'Pixels', 'Export', 'Verify'];

test('app loads and shows the steps', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByText('Cleanroom', { exact: true })).toBeVisible();
  const nav = page.getByRole('navigation', { name: 'Steps' });
  for (const name of STEP_NAMES) {
    await expect(nav.getByRole('link', { name: new RegExp(`^${name}`) })).toBeVisible();
  }
  await expect(nav.getByRole('link', { name: /^Intake/ })).toHaveAttribute('aria-current', 'step');
  await expect(page.getByRole('button', { name: 'Choose a folder' })).toBeVisible();
});

test('the current step survives a reload', async ({ page }) => {
  await page.goto('/');
  const nav = page.getByRole('navigation', { name: 'Steps' });
  await nav.getByRole('link', { name: /^Review/ }).click();
  await expect(
    page.getByRole('heading', { name: 'Review what stays in the headers' }),
  ).toBeVisible();
  await page.reload();
  await expect(nav.getByRole('link', { name: /^Review/ })).toHaveAttribute('aria-current', 'step');
  await expect(
    page.getByRole('heading', { name: 'Review what stays in the headers' }),
  ).toBeVisible();
});

test('every step has an empty state that says what it will do', async ({ page }) => {
  await page.goto('/');
  const nav = page.getByRole('navigation', { name: 'Steps' });
  for (const name of ['Review', 'Pixels', 'Export', 'Verify']) {
    await nav.getByRole('link', { name: new RegExp(`^${name}`) }).click();
    await expect(page.getByRole('main')).toContainText(/this\s+step\s+(will|then)/i);
    // One clear next action: a single main button (quiet ones offer an alternative way to it).
    await expect(page.getByRole('main').locator('button:not(.quiet)')).toHaveCount(1);
  }
});

test('the steps can be reached with the keyboard', async ({ page }) => {
  await page.goto('/');
  const inventory = page.getByRole('navigation', { name: 'Steps' }).getByRole('link', {
    name: /^Inventory/,
  });
  await inventory.focus();
  await page.keyboard.press('Enter');
  await expect(inventory).toHaveAttribute('aria-current', 'step');
});

test('Privacy panel says what happens to the data', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Privacy' }).click();
  const panel = page.getByRole('dialog', { name: 'What happens to your data' });
  await expect(panel).toBeVisible();
  for (const words of [
    /read on this computer/i,
    /processed in this browser/i,
    /nothing is uploaded/i,
    /folder you choose/i,
    /key file stays with you/i,
    /Content-Security-Policy/,
  ]) {
    await expect(panel).toContainText(words);
  }
  await page.keyboard.press('Escape');
  await expect(panel).toBeHidden();
  await page.getByRole('button', { name: 'Privacy' }).click();
  await panel.getByRole('button', { name: 'Close' }).click();
  await expect(panel).toBeHidden();
});
