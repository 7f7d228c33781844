import { describe, expect, it } from 'vitest';
import { readDicom } from '../dicom/read';
import { elementValue } from '../inventory/index';
import { generateCtSeries } from './ct-series';

describe('generateCtSeries', () => {
  it('yields readable 512×512 slices of about 0.5 MB, evenly spaced, each with its own UID and pixels', () => {
    const files = [...generateCtSeries({ slices: 3, rows: 512, columns: 512, seed: 7 })];
    expect(files).toHaveLength(3);
    const uids = new Set<unknown>();
    files.forEach((f, i) => {
      expect(f.bytes.length).toBeGreaterThan(512 * 512 * 2);
      expect(f.bytes.length).toBeLessThan(512 * 512 * 2 + 4096);
      const file = readDicom(f.bytes);
      expect(elementValue(file, 'InstanceNumber')).toBe(i + 1);
      expect(elementValue(file, 'ImagePositionPatient')).toEqual([-250, -250, i]);
      uids.add(elementValue(file, 'SOPInstanceUID'));
    });
    expect(uids.size).toBe(3);
    expect(
      Buffer.from(files[0].bytes.subarray(-1000)).equals(
        Buffer.from(files[1].bytes.subarray(-1000)),
      ),
    ).toBe(false);
  });

  it('is lazy and deterministic for a seed', () => {
    const first = generateCtSeries({ slices: 100000, rows: 64, columns: 64, seed: 3 }).next()
      .value!;
    const again = generateCtSeries({ slices: 1, rows: 64, columns: 64, seed: 3 }).next().value!;
    expect(Buffer.from(first.bytes).equals(Buffer.from(again.bytes))).toBe(true);
    expect(first.path).toBe('BENCH_CT_3/IM00001.dcm');
  });
});
