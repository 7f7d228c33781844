// Tests of sumSeries: one series summed from its rows and the selection's per-row flags.
import { describe, expect, it } from 'vitest';
import type { DecidableRow } from './decide';
import { sumSeries } from './series-sums';

function row(
  over: Partial<DecidableRow & { flags: string[] }> = {},
): DecidableRow & { flags: string[] } {
  return {
    path: 'p',
    fileSize: 10,
    TransferSyntaxUID: '1.2.840.10008.1.2.1',
    hasPixelData: true,
    privateCreators: [],
    StudyInstanceUID: '1',
    SeriesInstanceUID: '1.1',
    SOPInstanceUID: '1.1.1',
    SOPClassUID: '1.2.840.10008.5.1.4.1.1.2',
    flags: [],
    ...over,
  };
}

describe('sumSeries', () => {
  it('sums only the rows at the indices: bytes, sorted flag union, SliceThickness range', () => {
    const rows = [
      row({ fileSize: 5, SliceThickness: 2, flags: ['b'] }),
      row({ fileSize: 99 }),
      row({ fileSize: 7, SliceThickness: 0.5, flags: ['a', 'b'] }),
      row({ fileSize: 1 }),
    ];
    const sums = sumSeries(rows, [0, 2, 3], {
      matches: Uint8Array.of(0, 1, 1, 0),
      selected: Uint8Array.of(1, 1, 0, 1),
    });
    expect(sums).toEqual({
      instanceCount: 3,
      bytes: 13,
      flags: ['a', 'b'],
      sliceThickness: [0.5, 2],
      matches: true,
      selectedCount: 2,
      decision: undefined,
    });
  });

  it('a decision shared by every row is the series decision; differing ones are mixed', () => {
    const none = { matches: Uint8Array.of(0, 0), selected: Uint8Array.of(0, 0) };
    const both = [row({ decision: 'exclude' }), row({ decision: 'exclude' })];
    expect(sumSeries(both, [0, 1], none).decision).toBe('exclude');
    const one = [row({ decision: 'include' }), row()];
    expect(sumSeries(one, [0, 1], none).decision).toBe('mixed');
    expect(sumSeries(one, [0, 1], none).sliceThickness).toBeUndefined();
  });
});
