// Intake: the sample set and a folder picked through the seam are scanned into the Inventory.
import { generateSampleSet } from '../src/core/sample/sample-set';
import { test, expect, PICKED_INPUT, SAMPLES_DIR } from './fixtures';

const expected = generateSampleSet(1).expected;

test('Try with sample data reaches the Inventory with the expected counts', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Try with sample data' }).click();
  await expect(page.getByRole('heading', { name: 'Inventory', level: 1 })).toBeVisible({
    timeout: 45_000,
  });
  await expect(page).toHaveURL(/#inventory$/);
  const counts = {
    Patients: expected.patients,
    Studies: expected.studies,
    Series: expected.series,
    Instances: expected.instances,
  };
  for (const [name, count] of Object.entries(counts)) {
    await expect(page.getByRole('group', { name })).toContainText(
      new RegExp(`^${name}\\s*${count}\\s*found`),
    );
  }
  const modalities = Object.entries(expected.modalities)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([modality, count]) => `${modality} ${count}`);
  await expect(
    page.getByRole('list', { name: 'Instances by modality:' }).getByRole('listitem'),
  ).toHaveText(modalities);
  const nav = page.getByRole('navigation', { name: 'Steps' });
  await expect(nav.getByRole('link', { name: 'Intake (done)' })).toBeVisible();

  // The files intake had to refuse are listed with their reasons.
  const rejected = page.getByRole('list', { name: /Files that were not used/ });
  for (const file of expected.rejected) {
    await expect(rejected.getByRole('listitem').filter({ hasText: file.path })).toHaveCount(1);
  }
});

test('choosing a folder through the seam scans it and lists the rejected files', async ({
  page,
  opfs,
}) => {
  await page.goto('/');
  const written = await opfs.fillFrom(PICKED_INPUT, SAMPLES_DIR);
  expect(written.length).toBeGreaterThan(100);
  await page.getByRole('button', { name: 'Choose a folder' }).click();
  await expect(page.getByRole('heading', { name: 'Inventory', level: 1 })).toBeVisible({
    timeout: 45_000,
  });
  await expect(page.getByRole('group', { name: 'Instances' })).toContainText(
    /Instances\s*\d{2,}\s*found/,
  );

  await page
    .getByRole('navigation', { name: 'Steps' })
    .getByRole('link', { name: /^Intake/ })
    .click();
  const rejected = page.getByRole('list', { name: /Files that were not used/ });
  await expect(rejected.getByRole('listitem').filter({ hasText: /^README\.txt/ })).toContainText(
    /not a DICOM file/,
  );
  await expect(
    rejected
      .getByRole('listitem')
      .filter({ hasText: /^dicomdirtests\/DICOMDIR\b/ })
      .first(),
  ).toContainText(/DICOMDIR/);
});

test('the fallback folder input (other browsers) scans the chosen files', async ({ page }) => {
  await page.goto('/');
  await page.getByLabel('Or select a folder (other browsers)').setInputFiles(SAMPLES_DIR);
  await expect(page.getByRole('heading', { name: 'Inventory', level: 1 })).toBeVisible({
    timeout: 45_000,
  });
  await expect(page.getByRole('group', { name: 'Instances' })).toContainText(
    /Instances\s*\d{2,}\s*found/,
  );
});

test('a scanned folder can be scanned again (resumes) and forgotten', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Try with sample data' }).click();
  await expect(page.getByRole('heading', { name: 'Inventory', level: 1 })).toBeVisible({
    timeout: 45_000,
  });
  await page
    .getByRole('navigation', { name: 'Steps' })
    .getByRole('link', { name: /^Intake/ })
    .click();
  const roots = page.getByRole('list', { name: 'Scanned so far' });
  await expect(roots.getByRole('listitem')).toHaveCount(1);
  await expect(roots.getByRole('listitem')).toContainText(
    `${expected.instances} of ${expected.instances + expected.rejected.length + expected.directories.length} files indexed`,
  );
  await page.getByRole('button', { name: 'Scan Sample data again' }).click();
  await expect(page.getByRole('heading', { name: 'Inventory', level: 1 })).toBeVisible({
    timeout: 45_000,
  });
  await expect(page.getByRole('group', { name: 'Instances' })).toContainText(
    new RegExp(`^Instances\\s*${expected.instances}\\s*found`),
  );
  await page
    .getByRole('navigation', { name: 'Steps' })
    .getByRole('link', { name: /^Intake/ })
    .click();
  await page.getByRole('button', { name: 'Forget Sample data' }).click();
  await expect(page.getByRole('list', { name: 'Scanned so far' })).toHaveCount(0);
  await expect(
    page.getByRole('navigation', { name: 'Steps' }).getByRole('link', { name: 'Intake' }),
  ).toBeVisible();
});
