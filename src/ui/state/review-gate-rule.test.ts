// The export gate's rule: closed without a dry run, after the selection or settings changed, while
// a free-text or private value has no decision, or without a reviewer's name; decisions alone
// never make the list old.
import { describe, expect, it } from 'vitest';
import { defaultRecipe, type Recipe } from '../../core/profile/recipe';
import type { DumpRow } from '../../core/review/dump';
import { evaluateReviewGate, reviewBasisKey } from './review-gate-rule';
import { withReviewOverrides, type ValueDecision } from './review-list';

function row(path: string, vr: string, value: string): DumpRow {
  return {
    path,
    vr: vr as DumpRow['vr'],
    value,
    count: 1,
    risk: 'low',
    reason: 'r',
    score: 0,
    examples: [],
  };
}

const rows = [
  row('StudyDescription', 'LO', 'CT for ***'),
  row('(0009,1011) "ACME"', 'DS', '1.5'),
  row('Modality', 'CS', 'CT'),
];
const recipe = defaultRecipe();
const dump = { rows, files: 3, basisKey: reviewBasisKey(recipe, []) };
const by = (d: Omit<ValueDecision, 'reviewer'>): ValueDecision => ({ ...d, reviewer: 'Ana' });
const replace = by({
  path: 'StudyDescription',
  value: 'CT for ***',
  action: 'replace',
  replacement: 'CT',
});
const acceptPrivate = by({ path: '(0009,1011) "ACME"', action: 'accept' });
const base = { dump, decisions: [], recipe, selected: 3, reviewer: 'Ana' };

describe('review gate', () => {
  it('gate: closed until a dry run was made', () => {
    expect(evaluateReviewGate({ ...base, dump: undefined })).toMatchObject({
      open: false,
      state: 'no-dry-run',
    });
  });

  it('gate: closed while a free-text or private value has no decision; coded values need none', () => {
    const gate = evaluateReviewGate(base);
    expect(gate).toMatchObject({ open: false, state: 'values-open', reviewed: 0, needed: 2 });
    expect(gate.message).toContain('2 values of 2');
    expect(evaluateReviewGate({ ...base, decisions: [replace] })).toMatchObject({
      open: false,
      reviewed: 1,
    });
  });

  it('gate: opens when every such value is decided or its element accepted, with the review’s overrides in the recipe', () => {
    const decisions = [replace, acceptPrivate];
    const withOverrides: Recipe = withReviewOverrides(recipe, [], decisions);
    expect(evaluateReviewGate({ ...base, decisions, recipe: withOverrides })).toMatchObject({
      open: true,
      state: 'open',
      reviewed: 2,
      needed: 2,
    });
  });

  it('gate: closed when the selection or the settings changed since the dry run', () => {
    const decisions = [replace, acceptPrivate];
    const changed = {
      ...recipe,
      deid: { ...recipe.deid, options: { ...recipe.deid.options, cleanDescriptors: false } },
    };
    expect(evaluateReviewGate({ ...base, decisions, recipe: changed }).state).toBe('changed');
    expect(evaluateReviewGate({ ...base, decisions, selected: 4 }).state).toBe('changed');
    const organizer = {
      ...recipe,
      deid: { ...recipe.deid, overrides: [{ path: 'ProtocolName', action: 'remove' as const }] },
    };
    expect(evaluateReviewGate({ ...base, decisions, recipe: organizer }).state).toBe('changed');
  });

  it('gate: closed without the reviewer’s name when a value needed a person', () => {
    const decisions = [replace, acceptPrivate];
    expect(evaluateReviewGate({ ...base, decisions, reviewer: '  ' }).state).toBe('no-reviewer');
    const coded = { ...dump, rows: [rows[2]] };
    expect(evaluateReviewGate({ ...base, dump: coded, reviewer: undefined }).open).toBe(true);
  });
});
