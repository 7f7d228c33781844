// The reviewer's box edits and the review order, as pure functions.
import { describe, expect, test } from 'vitest';
import type { FileId, PixelFindingRow } from '../../store/types';
import {
  approved,
  boxFromCorners,
  clampBox,
  clusterOf,
  deviceLabel,
  moveBox,
  needsReview,
  orderForReview,
  resizeBox,
  withBoxes,
} from './pixels-review';

const box = { x: 10, y: 10, w: 20, h: 10, source: 'ocr', reason: 'matches PatientName' };
const row = (over: Partial<PixelFindingRow> = {}): PixelFindingRow => ({
  fileId: 'r/a' as FileId,
  seriesKey: 's',
  signature:
    'Manufacturer="Acme" ManufacturerModelName="Sonority 9" Modality="US" Rows="360" Columns="480"',
  status: 'found',
  why: 'high-risk',
  boxes: [box],
  frames: 1,
  updatedAt: 0,
  ...over,
});

describe('box edits', () => {
  test('a box never leaves the frame and keeps at least one pixel', () => {
    expect(clampBox({ ...box, x: -5, y: 95, w: 0, h: 40 }, 100, 100)).toMatchObject({
      x: 0,
      y: 60,
      w: 1,
      h: 40,
    });
    expect(moveBox(box, 200, -50, 100, 100)).toMatchObject({ x: 80, y: 0, w: 20, h: 10 });
    expect(resizeBox(box, 500, -50, 100, 100)).toMatchObject({ x: 10, y: 10, w: 90, h: 1 });
  });

  test('a drawn box is the rectangle between the two corners, in any drag direction', () => {
    expect(boxFromCorners({ x: 50, y: 40 }, { x: 10, y: 5 }, 100, 100)).toEqual({
      x: 10,
      y: 5,
      w: 40,
      h: 35,
      source: 'reviewer',
      reason: 'drawn by the reviewer',
    });
  });

  test('any box change withdraws the approval; status follows the boxes', () => {
    const done = approved(row(), 'Ada', 5);
    expect(needsReview(done)).toBe(false);
    const edited = withBoxes(done, [], 6);
    expect(edited).toMatchObject({ status: 'clean', edited: true, updatedAt: 6 });
    expect(edited.approvedAt).toBeUndefined();
    expect(withBoxes(row({ status: 'clean', boxes: [] }), [box]).status).toBe('found');
    expect(withBoxes(row({ status: 'failed' }), []).status).toBe('failed');
  });
});

describe('review order and device clusters', () => {
  test('images that need a person come first, high-risk before the rest', () => {
    const a = row({ fileId: 'r/a' as FileId, approvedAt: 1 });
    const b = row({ fileId: 'r/b' as FileId, highRisk: false });
    const c = row({ fileId: 'r/c' as FileId, highRisk: true });
    const d = row({ fileId: 'r/d' as FileId, status: 'clean', boxes: [] });
    expect(orderForReview([a, b, c, d]).map((r) => r.fileId)).toEqual(['r/c', 'r/b', 'r/a', 'r/d']);
  });

  test('a device cluster is every readable image with the same signature', () => {
    const a = row({ fileId: 'r/a' as FileId });
    const b = row({ fileId: 'r/b' as FileId, status: 'clean' });
    const c = row({ fileId: 'r/c' as FileId, status: 'failed' });
    const d = row({ fileId: 'r/d' as FileId, signature: 'other' });
    expect(clusterOf([a, b, c, d], a).map((r) => r.fileId)).toEqual(['r/a', 'r/b']);
    expect(deviceLabel(a.signature)).toBe('Acme Sonority 9 · US 480×360');
  });
});
