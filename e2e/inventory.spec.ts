// Inventory: the rule box selects exactly the expected series, shows parse errors, and hand choices
// override it; the tree and the virtual table, the CSV, recipe import and export, the pre-flight report.
import { readFileSync } from 'node:fs';
import { parseCsv } from '../src/core/csv/csv';
import { defaultRecipe } from '../src/core/profile/recipe';
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

test('the tree narrows the table; by image, with a column chosen by keyword, sorted', async ({
  page,
}) => {
  await scanSampleData(page);
  const ct = expected.ctThinSeries[0];
  const tree = page.getByRole('tree', { name: 'Patients, studies, series' });
  await expect(tree.getByRole('treeitem')).toHaveCount(expected.patients);
  // Open the patient and the study of the thin CT series, then choose the series.
  await page.getByRole('textbox', { name: /Selection rule/ }).fill(expected.ctThinRule);
  const chosenPatient = tree.getByRole('button', { name: /^Patient .* [1-9]\d* selected$/ });
  await expect(chosenPatient).toHaveCount(1);
  const patientItem = tree.getByRole('treeitem').filter({ hasText: /\b[1-9]\d* selected/ });
  await patientItem.getByRole('button', { name: /^Open patient/ }).click();
  await patientItem
    .getByRole('button', { name: /^Open Study/ })
    .first()
    .click();
  const seriesButtons = tree.getByRole('treeitem').getByRole('button', { name: /CHEST 0\.625MM/ });
  await seriesButtons.first().click();
  const table = page.getByRole('table', { name: 'Series' });
  await expect(table.locator('[data-series]')).toHaveCount(1);
  await expect(table.locator('[data-series]')).toHaveAttribute('data-series', ct);
  await expect(table.locator('[data-series]')).toHaveClass(/match/);

  // By image, with InstanceNumber added as a column, sorted descending.
  await page.getByRole('radio', { name: 'By image' }).check();
  await page.getByRole('textbox', { name: 'Add a column by DICOM keyword' }).fill('InstanceNumber');
  await page.getByRole('button', { name: 'Add column' }).click();
  const images = page.getByRole('table', { name: 'Images' });
  await expect(images.getByRole('columnheader', { name: 'InstanceNumber' })).toBeVisible();
  const rows = images.locator('[data-series]');
  const count = await rows.count();
  expect(count).toBeGreaterThan(1);
  await images.getByRole('button', { name: 'InstanceNumber' }).click();
  await images.getByRole('button', { name: 'InstanceNumber' }).click();
  await expect(images.getByRole('columnheader', { name: 'InstanceNumber' })).toHaveAttribute(
    'aria-sort',
    'descending',
  );
  const column = await images.getByRole('columnheader').allInnerTexts();
  const at = column.findIndex((t) => t.trim().startsWith('InstanceNumber'));
  const numbers = await rows.evaluateAll(
    (els, i) => els.map((el) => Number(el.querySelectorAll('[role="cell"]')[i].textContent)),
    at,
  );
  expect(numbers).toEqual([...numbers].sort((a, b) => b - a));

  // A misspelt keyword is refused with a plain message; the chosen columns survive a reload.
  await page.getByRole('textbox', { name: 'Add a column by DICOM keyword' }).fill('InstanceNumbr');
  await page.getByRole('button', { name: 'Add column' }).click();
  await expect(page.getByRole('alert')).toContainText('"InstanceNumbr" is not a DICOM keyword');
  await page.reload();
  await expect(page.getByRole('list', { name: 'Columns shown' })).toContainText('InstanceNumber');
  // They are kept in the project's store (IndexedDB settings), not in this browser's localStorage.
  const kept = await page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('cleanroom');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const get = db.transaction('settings').objectStore('settings').get('inventoryColumns');
    const row = await new Promise<{ value: string[] } | undefined>((resolve) => {
      get.onsuccess = () => resolve(get.result as { value: string[] } | undefined);
    });
    db.close();
    return { stored: row?.value, local: localStorage.getItem('cleanroom.inventory.columns') };
  });
  expect(kept.stored).toContain('InstanceNumber');
  expect(kept.local).toBeNull();
  await page.getByRole('radio', { name: 'By image' }).check();
  await expect(
    page
      .getByRole('table', { name: 'Images' })
      .getByRole('columnheader', { name: 'InstanceNumber' }),
  ).toBeVisible();
});

test('only visible rows of a long table are in the page', async ({ page }) => {
  await scanSampleData(page);
  await page.getByRole('radio', { name: 'By image' }).check();
  const images = page.getByRole('table', { name: 'Images' });
  await expect(images).toHaveAttribute('aria-rowcount', String(expected.instances + 1));
  // A 440 px view of 36 px rows plus a few above and below: fewer rows than the table has.
  const rendered = await images.locator('[data-series]').count();
  expect(rendered).toBeLessThan(expected.instances);
  expect(rendered).toBeGreaterThan(0);
});

test('the inventory CSV downloads with one row per image and the selection', async ({ page }) => {
  await scanSampleData(page);
  await page.getByRole('textbox', { name: /Selection rule/ }).fill(expected.ctThinRule);
  await expect(page.getByText(/^The rule matches/)).toBeVisible();
  await expect(page.getByText(/original identifiers .* for\s+your site only/)).toBeVisible();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Save the inventory as CSV' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('inventory.csv');
  const text = readFileSync((await download.path())!, 'utf8');
  const [header, ...rows] = parseCsv(text);
  expect(header.slice(0, 5)).toEqual([
    'path',
    'SeriesInstanceUID',
    'selected',
    'matches_rule',
    'qa_flags',
  ]);
  expect(rows).toHaveLength(expected.instances);
  const selectedSeries = new Set(rows.filter((r) => r[2] === 'yes').map((r) => r[1]));
  expect([...selectedSeries].sort()).toEqual([...expected.ctThinSeries].sort());
  expect(header).toContain('Modality');
});

test('a bad recipe shows what is wrong; a good one changes the selection', async ({ page }) => {
  await scanSampleData(page);
  const input = page.getByRole('button', { name: 'Load a recipe…' });
  const recipe = defaultRecipe();
  await input.setInputFiles({
    name: 'bad.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify({ ...recipe, selection: { level: 'everything' } })),
  });
  await expect(page.getByRole('alert')).toContainText('selection.level');
  await expect(page.getByRole('alert')).toContainText('nothing was changed');

  const good = {
    ...recipe,
    name: 'Thin chest CT',
    selection: { rule: expected.ctThinRule, level: 'series' },
  };
  await input.setInputFiles({
    name: 'good.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(good)),
  });
  await expect(page.getByRole('status').filter({ hasText: 'Thin chest CT' })).toBeVisible();
  await expect(page.getByRole('textbox', { name: /Selection rule/ })).toHaveValue(
    expected.ctThinRule,
  );
  await expect(page.getByRole('group', { name: 'Series' })).toContainText(
    `${expected.ctThinSeries.length} selected`,
  );

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Save this recipe' }).click(),
  ]);
  const saved = JSON.parse(readFileSync((await download.path())!, 'utf8'));
  expect(saved.name).toBe('Thin chest CT');
  expect(saved.selection.rule).toBe(expected.ctThinRule);
});

test('the pre-flight report shows the counts and downloads', async ({ page }) => {
  await scanSampleData(page);
  await page.getByRole('button', { name: 'Show the pre-flight report' }).click();
  const report = page.getByRole('region', { name: 'Pre-flight report' });
  await expect(report).toContainText(`The selection holds ${expected.instances} images`);
  await expect(report).toContainText('High-risk images');
  await expect(report).toContainText('Studies with more than one PatientID');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    report.getByRole('button', { name: 'Download the report' }).click(),
  ]);
  const text = readFileSync((await download.path())!, 'utf8');
  expect(text).toContain(`Selected: ${expected.instances} images`);
  for (const [modality, n] of Object.entries(expected.modalities))
    expect(text).toContain(`  ${modality}: ${n}`);
  expect(text).toMatch(/Estimated output size: /);
});

test('100,000 images: sorting and a rule change leave the page responsive (no task over 200 ms)', async ({
  page,
}) => {
  test.setTimeout(600_000);
  const steps: string[] = [];
  let since = Date.now();
  const step = (name: string) => {
    steps.push(`${name} ${Date.now() - since} ms`);
    since = Date.now();
  };
  await scanSampleData(page);
  step('scan');
  const TOTAL = 100_000;
  // Clone the scanned rows into 100,000 (500 images per series) straight into the store, in a few
  // big transactions (one put per row, no wait between puts).
  await page.evaluate(async (total) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('cleanroom');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const read = db.transaction('instances').objectStore('instances').getAll();
    const rows = await new Promise<Record<string, unknown>[]>((resolve) => {
      read.onsuccess = () => resolve(read.result as Record<string, unknown>[]);
    });
    const PER_TRANSACTION = 25_000;
    for (let start = rows.length; start < total; start += PER_TRANSACTION) {
      const tx = db.transaction('instances', 'readwrite', { durability: 'relaxed' });
      const store = tx.objectStore('instances');
      for (let i = start; i < Math.min(total, start + PER_TRANSACTION); i++) {
        const from = rows[i % rows.length];
        const series = `${String(from.seriesKey)}.${Math.floor(i / 500)}`;
        store.put({
          ...from,
          fileId: `${String(from.fileId)}#${i}`,
          SOPInstanceUID: `${String(from.SOPInstanceUID)}.${i}`,
          seriesKey: series,
          SeriesInstanceUID: series,
          InstanceNumber: (i * 7919) % 100_003,
        });
      }
      await new Promise<void>((resolve, reject) => {
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error);
      });
    }
    db.close();
  }, TOTAL);
  step('write');
  await page.reload();
  await expect(page.getByRole('group', { name: 'Instances' })).toContainText(`${TOTAL}`, {
    timeout: 240_000,
  });
  step('reload');
  // The page's own measures of the inventory worker's read and first query.
  steps.push(
    ...(await page.evaluate(() =>
      performance
        .getEntriesByType('measure')
        .map((m) => `(${m.name} ${Math.round(m.duration)} ms)`),
    )),
  );
  await page.evaluate(() => {
    const w = window as unknown as { __tasks: number[]; __frames: string[] };
    w.__tasks = [];
    w.__frames = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        w.__tasks.push(e.duration);
        if (e.duration > 200)
          w.__frames.push(`task ${Math.round(e.startTime)}+${Math.round(e.duration)}`);
      }
    }).observe({ type: 'longtask' });
    // Where a long frame's time went (script entry points), to tell what to fix when one appears.
    new PerformanceObserver((list) => {
      for (const e of list.getEntries() as unknown as {
        startTime: number;
        duration: number;
        blockingDuration: number;
        scripts: { invoker: string; sourceFunctionName: string; duration: number }[];
      }[]) {
        if (e.blockingDuration <= 150) continue;
        const scripts = e.scripts
          .map((s) => `${s.invoker}/${s.sourceFunctionName}:${Math.round(s.duration)}`)
          .join(' ');
        w.__frames.push(
          `frame ${Math.round(e.startTime)}+${Math.round(e.duration)} blocking ${Math.round(e.blockingDuration)} [${scripts}]`,
        );
      }
    }).observe({ type: 'long-animation-frame' });
  });

  // Marks in the page's timeline, to place a long task among the steps when one appears.
  const mark = (name: string) => page.evaluate((n) => void performance.mark(n), name);
  // By image (100,000 rows in view), sorted by InstanceNumber both ways, then a rule change.
  await mark('by image');
  await page.getByRole('radio', { name: 'By image' }).check();
  const images = page.getByRole('table', { name: 'Images' });
  await expect(images).toHaveAttribute('aria-rowcount', String(TOTAL + 1));
  await page.getByRole('textbox', { name: 'Add a column by DICOM keyword' }).fill('InstanceNumber');
  await page.getByRole('button', { name: 'Add column' }).click();
  const header = images.getByRole('button', { name: 'InstanceNumber' });
  await mark('sort');
  await header.click();
  await expect(images.getByRole('columnheader', { name: 'InstanceNumber' })).toHaveAttribute(
    'aria-sort',
    'ascending',
  );
  await expect(images).toHaveAttribute('aria-busy', 'false');
  await header.click();
  await expect(images).toHaveAttribute('aria-busy', 'false');
  const at = (await images.getByRole('columnheader').allInnerTexts()).findIndex((t) =>
    t.trim().startsWith('InstanceNumber'),
  );
  const numbers = await images
    .locator('[data-series]')
    .evaluateAll(
      (els, i) => els.map((el) => Number(el.querySelectorAll('[role="cell"]')[i].textContent)),
      at,
    );
  expect(numbers.length).toBeGreaterThan(5);
  expect(numbers).toEqual([...numbers].sort((a, b) => b - a));
  await mark('rule');
  await page.getByRole('textbox', { name: /Selection rule/ }).fill(expected.ctThinRule);
  await expect(page.getByText(/^The rule matches \d+ series\./)).toBeVisible({ timeout: 30_000 });
  await expect(images).toHaveAttribute('aria-busy', 'false');
  await page.waitForTimeout(500);
  step('sort and rule');
  test.info().annotations.push({ type: 'steps', description: steps.join('; ') });

  const { tasks, frames } = await page.evaluate(() => {
    const w = window as unknown as { __tasks: number[]; __frames: string[] };
    const marks = performance
      .getEntriesByType('mark')
      .map((m) => `mark ${m.name} at ${Math.round(m.startTime)}`);
    return { tasks: w.__tasks, frames: [...marks, ...w.__frames] };
  });
  const longest = Math.round(Math.max(0, ...tasks));
  const over200 = tasks.filter((d) => d > 200).length;
  test.info().annotations.push({
    type: 'main-thread long tasks',
    description: `${tasks.length} over 50 ms, ${over200} over 200 ms, longest ${longest} ms`,
  });
  expect(over200, `long tasks and frames:\n${frames.join('\n')}`).toBe(0);
});
