import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  evaluateRule,
  formatRule,
  parseRule,
  rulePaths,
  type Literal,
  type Rule,
  type RuleValue,
} from './rules';

function parse(text: string): Rule {
  const result = parseRule(text);
  if (!result.ok) throw new Error(`parse failed: ${result.error.message}`);
  return result.rule;
}

function errorOf(text: string): { message: string; position: number } {
  const result = parseRule(text);
  if (result.ok) throw new Error('expected a parse error');
  return result.error;
}

/** Evaluates rule text against a record of values. */
function holds(text: string, values: Record<string, RuleValue>): boolean {
  return evaluateRule(parse(text), (path) => values[path]);
}

const ct = {
  Modality: 'CT',
  SliceThickness: 0.625,
  ImageType: ['ORIGINAL', 'PRIMARY', 'AXIAL'],
  SeriesNumber: '3',
};

describe('operators', () => {
  it('== compares text case-insensitively, numbers numerically', () => {
    expect(holds('Modality == "CT"', ct)).toBe(true);
    expect(holds('Modality == "ct"', ct)).toBe(true);
    expect(holds('Modality == "MR"', ct)).toBe(false);
    expect(holds('SliceThickness == 0.6250', ct)).toBe(true);
    expect(holds('SeriesNumber == 3.0', ct)).toBe(true);
    expect(holds('SeriesNumber == "03"', ct)).toBe(true);
    expect(holds('Modality = "CT"', ct)).toBe(true);
  });

  it('!= is the negation of ==, and holds for an absent element', () => {
    expect(holds('Modality != "MR"', ct)).toBe(true);
    expect(holds('Modality != "CT"', ct)).toBe(false);
    expect(holds('BodyPartExamined != "CHEST"', ct)).toBe(true);
    expect(holds('ImageType != "PRIMARY"', ct)).toBe(false);
  });

  it('< <= > >= compare numbers numerically', () => {
    expect(holds('SliceThickness < 1', ct)).toBe(true);
    expect(holds('SliceThickness <= 0.625', ct)).toBe(true);
    expect(holds('SliceThickness > 0.625', ct)).toBe(false);
    expect(holds('SliceThickness >= 0.625', ct)).toBe(true);
    expect(holds('SeriesNumber > 10', ct)).toBe(false); // '3' < 10 as numbers, though "3" > "10" as text
    expect(holds('SliceThickness > -1', ct)).toBe(true);
  });

  it('< and > compare text by code unit order when a side is not a number', () => {
    expect(holds('StudyDate >= "20200101"', { StudyDate: '20210304' })).toBe(true);
    expect(holds('Modality < "MR"', ct)).toBe(true);
    expect(holds('Modality > "MR"', ct)).toBe(false);
  });

  it('contains finds a substring, case-insensitively, in any value', () => {
    expect(
      holds('SeriesDescription contains "chest"', { SeriesDescription: 'CT CHEST 0.625' }),
    ).toBe(true);
    expect(holds('ImageType contains "PRIM"', ct)).toBe(true);
    expect(holds('ImageType contains "LOCALIZER"', ct)).toBe(false);
  });

  it('matches applies a regular expression with its flags', () => {
    expect(
      holds('SeriesDescription matches /^ct\\s+chest/i', { SeriesDescription: 'CT  CHEST' }),
    ).toBe(true);
    expect(holds('SeriesDescription matches /^ct/', { SeriesDescription: 'CT' })).toBe(false);
    expect(holds('SeriesDescription matches /a\\/b/', { SeriesDescription: 'x a/b' })).toBe(true);
    expect(holds('SeriesDescription matches /[/]/', { SeriesDescription: 'a/b' })).toBe(true);
  });

  it('in matches any listed value', () => {
    expect(holds('Modality in ["CT", "MR"]', ct)).toBe(true);
    expect(holds('Modality in ["US"]', ct)).toBe(false);
    expect(holds('SeriesNumber in [1, 2, 3]', ct)).toBe(true);
  });

  it('between is inclusive at both ends', () => {
    expect(holds('SliceThickness between 0.5 and 1.0', ct)).toBe(true);
    expect(holds('SliceThickness between 0.625 and 0.625', ct)).toBe(true);
    expect(holds('SliceThickness between 1 and 5', ct)).toBe(false);
    expect(holds('StudyDate between "20200101" and "20211231"', { StudyDate: '20210304' })).toBe(
      true,
    );
  });

  it('exists needs a present, non-empty value', () => {
    expect(holds('ContrastBolusAgent exists', { ContrastBolusAgent: 'IODINE' })).toBe(true);
    expect(holds('ContrastBolusAgent exists', { ContrastBolusAgent: '  ' })).toBe(false);
    expect(holds('ContrastBolusAgent exists', {})).toBe(false);
    expect(holds('ImageType exists', { ImageType: [] })).toBe(false);
  });

  it('not negates what follows', () => {
    expect(holds('not Modality == "CT"', ct)).toBe(false);
    expect(holds('not ContrastBolusAgent exists', ct)).toBe(true);
    expect(holds('not not Modality == "CT"', ct)).toBe(true);
  });

  it('every operator but != and not is false on an absent element', () => {
    for (const text of [
      'X == 1',
      'X < 1',
      'X <= 1',
      'X > 1',
      'X >= 1',
      'X contains "a"',
      'X matches /./',
      'X in [1]',
      'X between 0 and 9',
      'X exists',
    ]) {
      const rule = parseRule(text.replace('X', 'BodyPartExamined'));
      expect(rule.ok && evaluateRule(rule.rule, () => undefined)).toBe(false);
    }
  });

  it('multi-valued elements match when any value matches', () => {
    const v = { ImagePositionPatient: [-160, -160, -50] };
    expect(holds('ImagePositionPatient < -100', v)).toBe(true);
    expect(holds('ImagePositionPatient == -50', v)).toBe(true);
    expect(holds('ImagePositionPatient > 0', v)).toBe(false);
  });

  it('DICOM padding around values is ignored', () => {
    expect(holds('Modality == "CT"', { Modality: 'CT ' })).toBe(true);
    expect(holds('SOPClassUID == "1.2"', { SOPClassUID: '1.2\0' })).toBe(true);
  });
});

describe('precedence and parentheses', () => {
  it('and binds tighter than or', () => {
    const rule = parse('Modality == "MR" or Modality == "CT" and SliceThickness > 5');
    expect(rule.kind).toBe('or');
    expect(evaluateRule(rule, (p) => ({ Modality: 'MR', SliceThickness: 1 })[p])).toBe(true);
    expect(evaluateRule(rule, (p) => ({ Modality: 'CT', SliceThickness: 1 })[p])).toBe(false);
  });

  it('parentheses group', () => {
    const rule = parse('(Modality == "MR" or Modality == "CT") and SliceThickness > 5');
    expect(rule.kind).toBe('and');
    expect(evaluateRule(rule, (p) => ({ Modality: 'MR', SliceThickness: 1 })[p])).toBe(false);
  });

  it('not binds tighter than and', () => {
    const rule = parse('not Modality == "CT" and SliceThickness < 1');
    expect(rule).toEqual({
      kind: 'and',
      rules: [
        {
          kind: 'not',
          rule: {
            kind: 'compare',
            path: 'Modality',
            op: '==',
            value: { kind: 'string', value: 'CT' },
          },
        },
        {
          kind: 'compare',
          path: 'SliceThickness',
          op: '<',
          value: { kind: 'number', value: 1, text: '1' },
        },
      ],
    });
  });

  it('between consumes its own and, then and joins the next condition', () => {
    const rule = parse('SliceThickness between 0.5 and 1.0 and Modality == "CT"');
    expect(rule.kind).toBe('and');
    expect(rule.kind === 'and' && rule.rules[0].kind).toBe('between');
    expect(holds('SliceThickness between 0.5 and 1.0 and Modality == "CT"', ct)).toBe(true);
  });

  it('the connectives are case-insensitive', () => {
    expect(holds('Modality == "CT" AND NOT SliceThickness BETWEEN 1 AND 2', ct)).toBe(true);
    expect(holds('Modality == "MR" Or Modality In ["CT"]', ct)).toBe(true);
  });
});

describe('keyword paths', () => {
  it('> followed by a keyword walks into a sequence', () => {
    const rule = parse(
      'RequestAttributesSequence > RequestedProcedureDescription contains "chest"',
    );
    expect(rulePaths(rule)).toEqual(['RequestAttributesSequence > RequestedProcedureDescription']);
  });

  it('> followed by a value is the comparison', () => {
    const rule = parse('SliceThickness > 1');
    expect(rule).toMatchObject({ kind: 'compare', path: 'SliceThickness', op: '>' });
    expect(parse('SliceThickness>1')).toEqual(rule);
    expect(parse('SliceThickness >= 1')).toMatchObject({ op: '>=' });
  });

  it('a path step may be a tag, private ones included', () => {
    const rule = parse('(0009,1010) exists and (0040,0275) > (0032,1060) contains "ct"');
    expect(rulePaths(rule)).toEqual(['(0009,1010)', '(0040,0275) > (0032,1060)']);
  });

  it('rulePaths lists each path once', () => {
    expect(
      rulePaths(parse('Modality == "CT" or (Modality == "MR" and not SliceThickness exists)')),
    ).toEqual(['Modality', 'SliceThickness']);
  });
});

describe('parse errors name what was expected and where', () => {
  it('a missing value', () => {
    const e = errorOf('Modality == ');
    expect(e.position).toBe(12);
    expect(e.message).toBe(
      "Expected a value (a quoted string or a number) after '==' at column 13, found the end of the rule",
    );
  });

  it('a bare word where a value belongs', () => {
    const e = errorOf('Modality == CT');
    expect(e.position).toBe(12);
    expect(e.message).toMatch(/Expected a value .* at column 13, found 'CT'/);
  });

  it('an unknown keyword', () => {
    const e = errorOf('SliceThicknes <= 1');
    expect(e.position).toBe(0);
    expect(e.message).toBe(
      "Expected a DICOM keyword spelled as in the standard (such as SliceThickness) at column 1, found 'SliceThicknes'",
    );
  });

  it('a missing operator', () => {
    const e = errorOf('Modality "CT"');
    expect(e.position).toBe(9);
    expect(e.message).toMatch(
      /Expected an operator .* after Modality at column 10, found a quoted string/,
    );
  });

  it('an unclosed parenthesis', () => {
    const e = errorOf('(Modality == "CT"');
    expect(e.position).toBe(17);
    expect(e.message).toMatch(/Expected '\)'/);
  });

  it('trailing text', () => {
    const e = errorOf('Modality == "CT" SliceThickness < 1');
    expect(e.position).toBe(17);
    expect(e.message).toMatch(/Expected 'and', 'or' or the end of the rule at column 18/);
  });

  it('an unclosed string', () => {
    const e = errorOf('Modality == "CT');
    expect(e.position).toBe(15);
    expect(e.message).toMatch(/closing " for the string that starts at column 13/);
  });

  it('a bad regular expression and bad flags', () => {
    expect(errorOf('Modality matches /(/').position).toBe(17);
    expect(errorOf('Modality matches /a/g').message).toMatch(/flags among i, m, s, u/);
    expect(errorOf('Modality matches "a"').message).toMatch(/regular expression such as \/abc\/i/);
  });

  it('a list without brackets or with a missing comma', () => {
    expect(errorOf('Modality in "CT"').message).toMatch(/Expected '\[' .* at column 13/);
    expect(errorOf('Modality in ["CT" "MR"]').position).toBe(18);
  });

  it('between without its and', () => {
    expect(errorOf('SliceThickness between 1 or 2').message).toMatch(
      /Expected 'and' between the two bounds/,
    );
  });

  it('a reserved word as keyword, and an empty rule', () => {
    expect(errorOf('and == 1').message).toMatch(
      /not a word of the rule language, at column 1, found 'and'/,
    );
    expect(errorOf('').message).toMatch(
      /Expected a DICOM keyword .* at column 1, found the end of the rule/,
    );
  });

  it('messages never quote the text of a string value', () => {
    expect(errorOf('PatientName "QUIXOTEHART"').message).not.toContain('QUIXOTEHART');
  });
});

describe('formatRule', () => {
  const samples = [
    'Modality == "CT" and SliceThickness <= 1.0',
    '(Modality == "MR" or Modality == "CT") and not (SliceThickness > 5 or SliceThickness exists)',
    'SeriesDescription matches /^ax\\/cor [a-z]+/i',
    'Modality in ["CT", "MR", 3]',
    'SliceThickness between 0.5 and 1.0 and BodyPartExamined contains "che\\"st"',
    'RequestAttributesSequence > RequestedProcedureDescription contains "a\\\\"',
    '(0009,1010) exists',
    'not not Modality == "CT"',
  ];
  it.each(samples)('round trips %s', (text) => {
    const rule = parse(text);
    expect(parse(formatRule(rule))).toEqual(rule);
    expect(formatRule(parse(formatRule(rule)))).toBe(formatRule(rule));
  });

  it('prints canonical text', () => {
    expect(formatRule(parse("Modality='CT'  AND (SliceThickness<=1.0)"))).toBe(
      'Modality == "CT" and SliceThickness <= 1.0',
    );
  });

  it('round trips any generated rule (property)', () => {
    const keyword = fc.constantFrom(
      'Modality',
      'SliceThickness',
      'RequestAttributesSequence > RequestedProcedureDescription',
      '(0009,1010)',
    );
    const literal: fc.Arbitrary<Literal> = fc.oneof(
      fc.string({ maxLength: 8 }).map((value) => ({ kind: 'string' as const, value })),
      fc.double({ min: -1e6, max: 1e6, noNaN: true }).map((v) => {
        const text = String(Math.round(v * 1000) / 1000);
        return { kind: 'number' as const, value: Number(text), text };
      }),
    );
    const leaf: fc.Arbitrary<Rule> = fc.oneof(
      fc.record({
        kind: fc.constant('compare' as const),
        path: keyword,
        op: fc.constantFrom('==', '!=', '<', '<=', '>', '>=' as const),
        value: literal,
      }),
      fc.record({
        kind: fc.constant('contains' as const),
        path: keyword,
        value: fc.string({ maxLength: 8 }),
      }),
      fc.record({
        kind: fc.constant('in' as const),
        path: keyword,
        values: fc.array(literal, { minLength: 1, maxLength: 3 }),
      }),
      fc.record({
        kind: fc.constant('between' as const),
        path: keyword,
        low: literal,
        high: literal,
      }),
      fc.record({ kind: fc.constant('exists' as const), path: keyword }),
    );
    const tree = fc.letrec<{ rule: Rule }>((tie) => ({
      rule: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        leaf,
        fc.record({ kind: fc.constant('not' as const), rule: tie('rule') }),
        fc.record({
          kind: fc.constantFrom('and' as const, 'or' as const),
          rules: fc.array(tie('rule'), { minLength: 2, maxLength: 3 }),
        }),
      ),
    })).rule;
    fc.assert(
      fc.property(tree, (rule) => {
        const again = parseRule(formatRule(rule));
        expect(again.ok).toBe(true);
        // Nested and-in-and flattens on the way back; formatting is the fixed point.
        if (again.ok) expect(formatRule(again.rule)).toBe(formatRule(rule));
      }),
    );
  });
});
