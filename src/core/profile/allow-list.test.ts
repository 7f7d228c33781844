// The built-in allow-list names real attributes, stays apart from Table E.1-1, and holds no duplicates.
import { describe, expect, it } from 'vitest';
import { tagForKeyword } from '../dicom/dictionary';
import { ALLOW_LIST, REQUIRED_BY_IOD_KEPT, allowListKeywords } from './allow-list';
import { ANNEX_E_ROWS } from './annex-e.generated';

const all = ALLOW_LIST.flatMap((g) => g.keywords);

describe('allow-list data', () => {
  it('every keyword is in the PS3.6 dictionary', () => {
    expect(all.filter((k) => tagForKeyword(k) === undefined)).toEqual([]);
  });

  it('no keyword is also a Table E.1-1 row (the table decides those)', () => {
    const table = new Set(ANNEX_E_ROWS.map((r) => r.keyword));
    expect(all.filter((k) => table.has(k))).toEqual([]);
  });

  it('no keyword is listed twice', () => {
    expect(all.length).toBe(allowListKeywords().size);
  });

  it('is generous: several hundred attributes across modalities', () => {
    expect(all.length).toBeGreaterThan(500);
  });

  it('keeps every attribute documented as required by IOD (the engine keeps, never creates)', () => {
    const kept = allowListKeywords();
    expect(REQUIRED_BY_IOD_KEPT.filter((k) => !kept.has(k))).toEqual([]);
  });
});
