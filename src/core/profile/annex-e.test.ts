// The generated Table E.1-1 matches its source JSON: every row, the cleaned quirks, the private rule apart.
import { describe, expect, it } from 'vitest';
import { formatTag } from '../dicom/types';
import { ANNEX_E_PRIVATE_RULE, ANNEX_E_ROWS } from './annex-e.generated';
import { curatedKeywords } from './attribute-types';
import sourceRows from './data/confidentiality_profile_attributes.json';

const source = sourceRows as unknown as Record<string, string>[];
const OPTION_KEYS: Record<string, string> = {
  rtnSafePrivOpt: 'retainSafePrivate',
  rtnUIDsOpt: 'retainUIDs',
  rtnDevIdOpt: 'retainDeviceIdentity',
  rtnInstIdOpt: 'retainInstitutionIdentity',
  rtnPatCharsOpt: 'retainPatientCharacteristics',
  rtnLongFullDatesOpt: 'retainLongitudinalFull',
  rtnLongModifDatesOpt: 'retainLongitudinalModified',
  cleanDescOpt: 'cleanDescriptors',
  cleanStructContOpt: 'cleanStructuredContent',
  cleanGraphOpt: 'cleanGraphics',
};

describe('annex-e.generated.ts', () => {
  it('matches the JSON in data/ row by row: tag, basic action, option actions (rerun scripts/gen-annex-e.mjs if not)', () => {
    const byTag = new Map(
      ANNEX_E_ROWS.filter((r) => r.tag !== undefined).map((r) => [formatTag(r.tag!), r]),
    );
    for (const row of source) {
      if (!/^\([0-9A-F]{4},[0-9A-F]{4}\)$/.test(row.tag)) continue;
      const generated = byTag.get(row.tag);
      const options: Record<string, string> = {};
      for (const [k, name] of Object.entries(OPTION_KEYS)) if (row[k]) options[name] = row[k];
      expect({ tag: row.tag, basic: generated?.basic, options: generated?.options }).toEqual({
        tag: row.tag,
        basic: row.basicProfile,
        options,
      });
    }
  });

  it('holds every row of the table: 620 tag rows plus the private-attribute rule', () => {
    expect(source.length).toBe(621);
    expect(ANNEX_E_ROWS.length).toBe(620);
    expect(ANNEX_E_PRIVATE_RULE).toEqual({
      name: 'Private Attributes',
      basic: 'X',
      options: { retainSafePrivate: 'C' },
    });
  });

  it('keeps the basic action counts of the 2024b table', () => {
    const counts: Record<string, number> = {};
    for (const r of ANNEX_E_ROWS) counts[r.basic] = (counts[r.basic] ?? 0) + 1;
    expect(counts).toEqual({
      X: 383,
      D: 92,
      U: 54,
      Z: 42,
      'X/D': 22,
      'X/Z': 11,
      'X/Z/D': 8,
      'Z/D': 6,
      'X/Z/U*': 2,
    });
  });

  it('cleans the footnote quirk: "Icon Image Sequence" without "(see Note 11)"', () => {
    const icon = ANNEX_E_ROWS.find((r) => r.tag === 0x00880200);
    expect(icon?.name).toBe('Icon Image Sequence');
    expect(ANNEX_E_ROWS.every((r) => !r.name.includes('\n'))).toBe(true);
  });

  it('turns the wildcard tags into group/element masks', () => {
    const patterns = ANNEX_E_ROWS.filter((r) => r.pattern);
    expect(patterns.map((r) => [r.keyword, r.pattern])).toEqual([
      ['CurveData', { group: 0x5000, groupMask: 0xff00, element: 0, elementMask: 0 }],
      ['OverlayData', { group: 0x6000, groupMask: 0xff00, element: 0x3000, elementMask: 0xffff }],
      [
        'OverlayComments',
        { group: 0x6000, groupMask: 0xff00, element: 0x4000, elementMask: 0xffff },
      ],
    ]);
  });

  it('every compound-action attribute the Type table curates is a compound row of Table E.1-1', () => {
    const compound = new Set(
      ANNEX_E_ROWS.filter((r) => r.basic.includes('/')).map((r) => r.keyword),
    );
    expect(curatedKeywords().filter((k) => !compound.has(k))).toEqual([]);
  });
});
