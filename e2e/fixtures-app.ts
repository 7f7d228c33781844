// Steps several specs share: run the built-in sample through Intake and land on the Inventory.
import type { Page } from '@playwright/test';
import { expect } from './fixtures';

export async function scanSampleData(page: Page): Promise<void> {
  await page.goto('/');
  await page.getByRole('button', { name: 'Try with sample data' }).click();
  await expect(page.getByRole('heading', { name: 'Inventory', level: 1 })).toBeVisible({
    timeout: 45_000,
  });
}
