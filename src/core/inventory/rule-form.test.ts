import { describe, expect, it } from 'vitest';
import { formToText, textToForm, type RuleForm } from './rule-form';
import { parseRule } from './rules';

describe('rule form', () => {
  it('turns a form into rule text, numbers as numbers and text quoted', () => {
    const form: RuleForm = {
      join: 'and',
      clauses: [
        { path: 'Modality', op: '==', value: 'CT' },
        { path: 'SliceThickness', op: '<=', value: '1.0' },
      ],
    };
    expect(formToText(form)).toBe('Modality == "CT" and SliceThickness <= 1.0');
  });

  it('writes every clause kind, negation included, as text that parses', () => {
    const form: RuleForm = {
      join: 'or',
      clauses: [
        { path: 'SeriesDescription', op: 'contains', value: 'dose' },
        { path: 'SeriesDescription', op: 'matches', value: 'a/b', value2: 'i' },
        { path: 'Modality', op: 'in', value: '', values: ['CT', 'MR'] },
        { path: 'SliceThickness', op: 'between', value: '0.5', value2: '1' },
        { path: 'ContrastBolusAgent', op: 'exists', value: '', negate: true },
        { path: 'RequestAttributesSequence > RequestedProcedureDescription', op: '!=', value: 'x' },
      ],
    };
    const text = formToText(form);
    expect(text).toBe(
      'SeriesDescription contains "dose" or SeriesDescription matches /a\\/b/i or Modality in ["CT", "MR"] or SliceThickness between 0.5 and 1 or not ContrastBolusAgent exists or RequestAttributesSequence > RequestedProcedureDescription != "x"',
    );
    expect(parseRule(text).ok).toBe(true);
    const back = textToForm(text);
    expect(back.ok && formToText(back.form)).toBe(text);
  });

  it('reads flat rule text back into the same form', () => {
    const result = textToForm('Modality == "CT" and not SliceThickness > 5');
    expect(result).toEqual({
      ok: true,
      form: {
        join: 'and',
        clauses: [
          { path: 'Modality', op: '==', value: 'CT' },
          { path: 'SliceThickness', op: '>', value: '5', negate: true },
        ],
      },
    });
  });

  it('refuses nested groups, with a reason to edit as text', () => {
    const result = textToForm('(Modality == "CT" or Modality == "MR") and SliceThickness < 1');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(/edit it as text/);
  });

  it('passes parse errors through, and empty text is an empty form', () => {
    const bad = textToForm('Modality ==');
    expect(!bad.ok && bad.reason).toMatch(/column 12/);
    expect(textToForm('  ')).toEqual({ ok: true, form: { join: 'and', clauses: [] } });
    expect(formToText({ join: 'and', clauses: [] })).toBe('');
  });
});
