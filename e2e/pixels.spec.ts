// Pixels: on the sample data the pixel step reads the ultrasound (real workers, real OCR), boxes
// its planted name, a reviewer approves it, and the decision survives a reload.
import type { Page } from '@playwright/test';
import { generateSampleSet } from '../src/core/sample/sample-set';
import { test, expect } from './fixtures';
import { scanSampleData } from './fixtures-app';

const { expected } = generateSampleSet(1);
const usText = expected.burnedInText.find((b) => b.path.includes('/US_'))!;
/** The first line planted on the ultrasound: the patient's name. */
const nameLine = usText.boxes[0];

interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Boxes of the open image, read from their accessible names ("Box 1: …, W by H pixels at X, Y"). */
async function viewerBoxes(page: Page): Promise<Rect[]> {
  const labels = await page
    .getByRole('group', { name: /Image with boxes/ })
    .getByRole('button', { name: /^Box \d+:/ })
    .evaluateAll((nodes) => nodes.map((n) => n.getAttribute('aria-label') ?? ''));
  return labels.map((label) => {
    const m = /(\d+) by (\d+) pixels at (\d+), (\d+)$/.exec(label)!;
    return { w: Number(m[1]), h: Number(m[2]), x: Number(m[3]), y: Number(m[4]) };
  });
}

const covers = (outer: Rect, inner: Rect): boolean =>
  outer.x <= inner.x &&
  outer.y <= inner.y &&
  outer.x + outer.w >= inner.x + inner.w &&
  outer.y + outer.h >= inner.y + inner.h;

test('the ultrasound name is boxed, the reviewer approves it, and the decision survives a reload', async ({
  page,
}) => {
  test.setTimeout(300_000);
  await scanSampleData(page);
  await page
    .getByRole('navigation', { name: 'Steps' })
    .getByRole('link', { name: /^Pixels/ })
    .click();
  const started = Date.now();
  await page.getByRole('button', { name: 'Read the images', exact: true }).click();
  await expect(page.getByRole('progressbar', { name: 'Pixel scan progress' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Cancel reading' })).toHaveCount(0, {
    timeout: 240_000,
  });
  test.info().annotations.push({
    type: 'pixel scan seconds',
    description: ((Date.now() - started) / 1000).toFixed(1),
  });

  // The export is blocked while images with boxes wait for a reviewer.
  const gate = page.locator('.gate');
  await expect(gate).toContainText(/\d+ images? to review/);
  await expect(gate).toContainText('The export is blocked');

  const us = page.getByRole('button', { name: /, US: \d+ box(es)?, to review$/ });
  await page.screenshot({ path: test.info().outputPath('pixels-grid.png'), fullPage: true });
  await us.click();
  const boxes = await viewerBoxes(page);
  expect(boxes.length).toBeGreaterThan(0);
  await page.screenshot({ path: test.info().outputPath('pixels-viewer.png'), fullPage: true });
  expect(
    boxes.some((b) => covers(b, nameLine)),
    `a box covers the planted name at ${JSON.stringify(nameLine)}`,
  ).toBe(true);

  await page.getByRole('button', { name: 'Approve: black out these boxes' }).click();
  await expect(page.getByText('Approved.', { exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Back to all images' }).click();

  await page.reload();
  await page.getByRole('radio', { name: /^Approved/ }).click();
  await expect(page.getByRole('button', { name: /, US: \d+ box(es)?, approved$/ })).toBeVisible();
  // The other images with boxes still wait for a person: the export stays blocked.
  await expect(page.locator('.gate')).toContainText('The export is blocked');
});
