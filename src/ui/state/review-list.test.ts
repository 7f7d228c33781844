// Tests of the Review list rules: who needs a person, how decisions cover rows, and the overrides they become.
import { describe, expect, it } from 'vitest';
import type { DumpRow } from '../../core/review/dump';
import { defaultRecipe } from '../../core/profile/recipe';
import {
  DecisionBook,
  decisionKey,
  isPrivatePath,
  needsPerson,
  orderByElement,
  overridesOf,
  searchRows,
  withReviewOverrides,
  type ValueDecision,
} from './review-list';

function row(path: string, vr: string, value: string, risk: DumpRow['risk'] = 'low'): DumpRow {
  return {
    path,
    vr: vr as DumpRow['vr'],
    value,
    count: 1,
    risk,
    reason: 'r',
    score: 0,
    examples: [],
  };
}

function book(...list: ValueDecision[]): DecisionBook {
  return new DecisionBook(new Map(list.map((d) => [decisionKey(d.path, d.value), d])));
}

const DESC = row('SeriesDescription', 'LO', 'CHEST 5MM', 'medium');
const PRIVATE = row('(0009,1010) "ACME"', 'US', '7', 'medium');
const MODALITY = row('Modality', 'CS', 'CT');

describe('values that need a person', () => {
  it('free text VRs and private elements need a person; coded values do not', () => {
    expect(needsPerson(DESC)).toBe(true);
    expect(needsPerson(PRIVATE)).toBe(true);
    expect(needsPerson(MODALITY)).toBe(false);
    expect(isPrivatePath('RequestAttributesSequence > (0011,1001) "X"')).toBe(true);
    expect(isPrivatePath('(0008,0060)')).toBe(false);
  });

  it('counts a value reviewed by its own decision, its element, or as a typed replacement', () => {
    const rows = [DESC, PRIVATE, MODALITY, row('SeriesDescription', 'LO', 'Chest five mm')];
    expect(book().counts(rows)).toEqual({ reviewed: 0, needed: 3 });
    const replaced = book({ ...DESC, action: 'replace', replacement: 'Chest five mm' });
    expect(replaced.counts(rows)).toEqual({ reviewed: 2, needed: 3 });
    const element = book({ path: PRIVATE.path, action: 'accept' });
    expect(element.for(PRIVATE)?.value).toBeUndefined();
    expect(element.counts(rows)).toEqual({ reviewed: 1, needed: 3 });
  });

  it('bulk accept takes only coded and numeric public values without a decision', () => {
    const rows = [DESC, PRIVATE, MODALITY, row('SliceThickness', 'DS', '1')];
    expect(
      book()
        .acceptCodedAndNumeric(rows)
        .map((d) => d.path),
    ).toEqual(['Modality', 'SliceThickness']);
  });
});

describe('the list', () => {
  it('groups values by element, the element of the most dangerous value first', () => {
    const rows = [row('A', 'LO', '1', 'high'), row('B', 'LO', '2', 'medium'), row('A', 'LO', '3')];
    expect(orderByElement(rows).map((r) => r.value)).toEqual(['1', '3', '2']);
  });

  it('search matches path, value and reason, ignoring case', () => {
    expect(searchRows([DESC, MODALITY], 'chest')).toEqual([DESC]);
    expect(searchRows([DESC, MODALITY], 'modal')).toEqual([MODALITY]);
    expect(searchRows([DESC, MODALITY], ' ')).toHaveLength(2);
  });
});

describe('decisions become recipe overrides', () => {
  it('accept is no override; replace, blank and remove name the path and exact value', () => {
    expect(
      overridesOf([
        { ...DESC, action: 'accept' },
        { path: 'Modality', action: 'accept' },
        { ...DESC, value: 'X', action: 'replace', replacement: 'Y' },
        { ...DESC, value: 'Z', action: 'blank' },
        { ...PRIVATE, action: 'remove' },
      ]),
    ).toEqual([
      { path: '(0009,1010) "ACME"', value: '7', action: 'remove' },
      { path: 'SeriesDescription', value: 'X', action: 'replace', replacement: 'Y' },
      { path: 'SeriesDescription', value: 'Z', action: 'blank' },
    ]);
  });

  it("keeps the organizer's overrides after the review's, and drops the review's undone ones", () => {
    const recipe = defaultRecipe();
    recipe.deid.overrides = [
      { path: 'StationName', action: 'remove' },
      { path: 'SeriesDescription', value: 'CHEST 5MM', action: 'blank' },
    ];
    const replace: ValueDecision = { ...DESC, action: 'replace', replacement: 'Chest' };
    const once = withReviewOverrides(recipe, [], [replace]);
    expect(once.deid.overrides).toEqual([
      { path: 'SeriesDescription', value: 'CHEST 5MM', action: 'replace', replacement: 'Chest' },
      { path: 'StationName', action: 'remove' },
    ]);
    const undone = withReviewOverrides(once, [replace], []);
    expect(undone.deid.overrides).toEqual([{ path: 'StationName', action: 'remove' }]);
    expect(withReviewOverrides(defaultRecipe(), [replace], []).deid).not.toHaveProperty(
      'overrides',
    );
  });
});
