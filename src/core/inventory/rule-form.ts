// The form model of a rule for the UI: a flat list of clauses joined by one 'and' or 'or', to and from rule text.

import {
  formatRule,
  parseRule,
  type CompareOp,
  type Literal,
  type ParseOptions,
  type Rule,
} from './rules';

export type ClauseOp = CompareOp | 'contains' | 'matches' | 'in' | 'between' | 'exists';

/** One row of the rule form. Operands are kept as typed: text that reads as a number becomes a number. */
export interface RuleClause {
  /** A keyword path: 'Modality', 'RequestAttributesSequence > RequestedProcedureDescription'. */
  path: string;
  op: ClauseOp;
  /** The operand; the pattern (without slashes) for 'matches'; the low bound for 'between'; unused for 'exists' and 'in'. */
  value: string;
  /** The high bound for 'between'; the flags for 'matches'. */
  value2?: string;
  /** The list for 'in'. */
  values?: string[];
  /** Puts 'not' in front of the clause. */
  negate?: boolean;
}

export interface RuleForm {
  join: 'and' | 'or';
  clauses: RuleClause[];
}

export type FormResult = { ok: true; form: RuleForm } | { ok: false; reason: string };

const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function toLiteral(text: string): Literal {
  const t = text.trim();
  return NUMBER_TEXT.test(t)
    ? { kind: 'number', value: Number(t), text: t }
    : { kind: 'string', value: text };
}

function fromLiteral(lit: Literal): string {
  return lit.kind === 'number' ? lit.text : lit.value;
}

/** Escapes '/' that is not escaped yet, so a pattern typed in a form box fits between slashes. */
function escapeSlashes(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '\\') {
      out += pattern.slice(i, i + 2);
      i++;
    } else out += ch === '/' ? '\\/' : ch;
  }
  return out;
}

function clauseToRule(clause: RuleClause): Rule {
  const path = clause.path.trim();
  let rule: Rule;
  switch (clause.op) {
    case 'contains':
      rule = { kind: 'contains', path, value: clause.value };
      break;
    case 'matches':
      rule = {
        kind: 'matches',
        path,
        pattern: escapeSlashes(clause.value),
        flags: clause.value2 ?? '',
      };
      break;
    case 'in':
      rule = { kind: 'in', path, values: (clause.values ?? []).map(toLiteral) };
      break;
    case 'between':
      rule = {
        kind: 'between',
        path,
        low: toLiteral(clause.value),
        high: toLiteral(clause.value2 ?? ''),
      };
      break;
    case 'exists':
      rule = { kind: 'exists', path };
      break;
    default:
      rule = { kind: 'compare', path, op: clause.op, value: toLiteral(clause.value) };
  }
  return clause.negate ? { kind: 'not', rule } : rule;
}

/** Rule text for a form. Validate it with parseRule: a form can hold an empty list or a bad pattern. */
export function formToText(form: RuleForm): string {
  if (form.clauses.length === 0) return '';
  const rules = form.clauses.map(clauseToRule);
  return formatRule(rules.length === 1 ? rules[0] : { kind: form.join, rules });
}

function ruleToClause(rule: Rule): RuleClause | undefined {
  if (rule.kind === 'not') {
    const inner = ruleToClause(rule.rule);
    return inner && !inner.negate ? { ...inner, negate: true } : undefined;
  }
  switch (rule.kind) {
    case 'compare':
      return { path: rule.path, op: rule.op, value: fromLiteral(rule.value) };
    case 'contains':
      return { path: rule.path, op: 'contains', value: rule.value };
    case 'matches':
      return { path: rule.path, op: 'matches', value: rule.pattern, value2: rule.flags };
    case 'in':
      return { path: rule.path, op: 'in', value: '', values: rule.values.map(fromLiteral) };
    case 'between':
      return {
        path: rule.path,
        op: 'between',
        value: fromLiteral(rule.low),
        value2: fromLiteral(rule.high),
      };
    case 'exists':
      return { path: rule.path, op: 'exists', value: '' };
    default:
      return undefined;
  }
}

/** The form for a rule, when the rule is flat (one 'and' or one 'or' of simple clauses). */
export function ruleToForm(rule: Rule): FormResult {
  const parts = rule.kind === 'and' || rule.kind === 'or' ? rule.rules : [rule];
  const clauses = parts.map(ruleToClause);
  if (clauses.some((c) => c === undefined)) {
    return {
      ok: false,
      reason: 'The rule has nested groups that the form cannot show; edit it as text.',
    };
  }
  return {
    ok: true,
    form: { join: rule.kind === 'or' ? 'or' : 'and', clauses: clauses as RuleClause[] },
  };
}

/** The form for rule text; empty text gives an empty form. */
export function textToForm(text: string, options?: ParseOptions): FormResult {
  if (text.trim() === '') return { ok: true, form: { join: 'and', clauses: [] } };
  const parsed = parseRule(text, options);
  if (!parsed.ok) return { ok: false, reason: parsed.error.message };
  return ruleToForm(parsed.rule);
}
