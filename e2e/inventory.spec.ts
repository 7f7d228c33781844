// Inventory: the rule box selects exactly the expected series, shows parse errors, and hand choices override it.
import { CT_THIN_RULE, generateSampleSet } from '../src/core/sample/sample-set';
import { test, expect } from './fixtures';
import { scanSampleData } from './fixtures-app';

const expected = generateSampleSet(1).expected;

test('the rule box selects exactly the expected thin CT series', async ({ page }) => {
  await scanSampleData(page);
  const ruleBox = page.getByRole('textbox', { name: /Selection rule/ });
  await ruleBox.fill(expected.ctThinRule);
  expect(expected.ctThinRule).toBe(CT_THIN_RULE);
  await expect(
    page.getByText(new RegExp(`^The rule matches ${expected.ctThinSeries.length} series\\.`)),
  ).toBeVisible();
  await expect(page.getByRole('group', { name: 'Series' })).toContainText(
    `${expected.ctThinSeries.length} selected`,
  );

  const selectedRows = page
    .getByRole('row')
    .filter({ has: page.getByRole('checkbox', { checked: true }) });
  await expect(selectedRows).toHaveCount(expected.ctThinSeries.length);
  const keys = await selectedRows.evaluateAll((rows) =>
    rows.map((r) => r.getAttribute('data-series')),
  );
  expect(keys.sort()).toEqual([...expected.ctThinSeries].sort());

  // The rule is kept in the recipe: a reload shows it and the same selection.
  await expect(page.getByText('Saved in the recipe.')).toBeVisible();
  await page.reload();
  await expect(ruleBox).toHaveValue(expected.ctThinRule);
  await expect(selectedRows).toHaveCount(expected.ctThinSeries.length);
});

test('a rule that does not parse shows where, and selects nothing', async ({ page }) => {
  await scanSampleData(page);
  const ruleBox = page.getByRole('textbox', { name: /Selection rule/ });
  await ruleBox.fill('Modality == "CT" and SliceThickness <=');
  await expect(ruleBox).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByRole('alert')).toContainText('column 39');
  await expect(page.getByRole('group', { name: 'Series' })).toContainText('0 selected');
  await ruleBox.fill('');
  await expect(page.getByText('No rule: every series is selected.')).toBeVisible();
  await expect(page.getByRole('group', { name: 'Series' })).toContainText(
    `${expected.series} selected`,
  );
});

test('a series can be excluded and included by hand, and the choice undone', async ({ page }) => {
  await scanSampleData(page);
  await page.getByRole('textbox', { name: /Selection rule/ }).fill(expected.ctThinRule);
  const series = page.getByRole('group', { name: 'Series' });
  const n = expected.ctThinSeries.length;
  await expect(series).toContainText(`${n} selected`);

  const firstChecked = page.getByRole('checkbox', { name: /^Include /, checked: true }).first();
  const name = (await firstChecked.getAttribute('aria-label'))!;
  await page.getByRole('checkbox', { name }).uncheck();
  await expect(series).toContainText(`${n - 1} selected`);
  const firstUnchecked = page.getByRole('checkbox', { name: /^Include /, checked: false }).first();
  await firstUnchecked.check();
  await expect(series).toContainText(`${n} selected`);

  await page.getByRole('button', { name: /Undo 2 choices made by hand/ }).click();
  await expect(series).toContainText(`${n} selected`);
  await expect(page.getByRole('checkbox', { name })).toBeChecked();
  await expect(page.getByRole('button', { name: /choices? made by hand/ })).toHaveCount(0);
});
