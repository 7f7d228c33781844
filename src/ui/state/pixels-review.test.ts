// The reviewer's box edits and the review order, as pure functions.
import { describe, expect, test } from 'vitest';
import type { FileId, PixelFindingRow } from '../../store/types';
import { boxesKeyOf } from '../../pipeline/pixel-scan';
import {
  acceptedRemainingText,
  approved,
  boxFromCorners,
  clampBox,
  clusterOf,
  deviceLabel,
  moveBox,
  needsCheck,
  needsReview,
  orderForReview,
  resizeBox,
  withBoxes,
  withPostCheck,
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

describe('the post-redaction check and its resolution', () => {
  const left = {
    x: 30,
    y: 10,
    w: 8,
    h: 10,
    source: 'ocr',
    reason: 'text still readable after redaction',
  };
  const textLeft = row({
    approvedAt: 1,
    approvedBy: 'Ada',
    postCheck: { state: 'text-left', boxes: [left], checkedAt: 1, boxesKey: boxesKeyOf([box]) },
  });

  test('text left needs a person even when the image is approved', () => {
    expect(needsReview(textLeft)).toBe(true);
    expect(needsCheck(textLeft)).toBe(false);
  });

  test('accepting the remaining text records who and when, and approves', () => {
    const accepted = acceptedRemainingText(row({ postCheck: textLeft.postCheck }), 'Grace', 9);
    expect(accepted.postCheck).toMatchObject({ acceptedBy: 'Grace', acceptedAt: 9 });
    expect(accepted).toMatchObject({ approvedBy: 'Grace', approvedAt: 9 });
    expect(needsReview(accepted)).toBe(false);
  });

  test('editing the boxes keeps text left (without an acceptance) and asks for a new check', () => {
    const accepted = acceptedRemainingText(textLeft, 'Grace', 9);
    const edited = withBoxes(accepted, [{ ...box, w: 40 }], 10);
    expect(edited.postCheck?.state).toBe('text-left');
    expect(edited.postCheck?.acceptedBy).toBeUndefined();
    expect(needsCheck(edited)).toBe(true);
    expect(needsReview(edited)).toBe(true);
  });

  test('removing every box leaves nothing to check', () => {
    const none = withBoxes(textLeft, [], 10);
    expect(none.postCheck).toMatchObject({ state: 'not-run' });
    expect(none.status).toBe('clean');
    expect(needsReview(none)).toBe(false);
  });

  test('a new clean check of the boxes as they are replaces text left; one of other boxes is dropped', () => {
    const bigger = withBoxes(textLeft, [{ ...box, w: 40 }], 10);
    const clean = { state: 'clean' as const, checkedAt: 11, boxesKey: boxesKeyOf(bigger.boxes) };
    expect(withPostCheck(bigger, clean, 11).postCheck).toEqual(clean);
    expect(withPostCheck(bigger, { ...clean, boxesKey: boxesKeyOf([box]) })).toBe(bigger);
  });

  test('a check that could not run never replaces text left', () => {
    const bigger = withBoxes(textLeft, [{ ...box, w: 40 }], 10);
    const failed = {
      state: 'not-run' as const,
      why: 'the check stopped (Error)',
      checkedAt: 11,
      boxesKey: boxesKeyOf(bigger.boxes),
    };
    expect(withPostCheck(bigger, failed)).toBe(bigger);
  });
});
