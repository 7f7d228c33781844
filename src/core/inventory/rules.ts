// The selection rule language: parse text into a plain rule tree, evaluate it against element values, format it back.
//
// Grammar (keywords and, or, not, contains, matches, in, between, exists are case-insensitive):
//   rule       := or
//   or         := and ('or' and)*
//   and        := unary ('and' unary)*
//   unary      := 'not' unary | '(' rule ')' | condition
//   condition  := path ( op literal | 'contains' string | 'matches' /regex/flags
//                      | 'in' '[' literal (',' literal)* ']' | 'between' literal 'and' literal | 'exists' )
//   path       := name ('>' name)*          name := DICOM keyword | (gggg,eeee)
//   op         := '==' | '=' | '!=' | '<' | '<=' | '>' | '>='
//   literal    := "string" | 'string' | number
// A '>' followed by a name continues the path; followed by a literal it is the operator.

import { tagForKeyword } from '../dicom/dictionary';

export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=';

export type Literal =
  | { kind: 'string'; value: string }
  /** `text` keeps the number as written so formatting gives back "1.0", not "1". */
  | { kind: 'number'; value: number; text: string };

/** A parsed rule: plain data (structured-clone safe), so it can be stored or sent to a worker. */
export type Rule =
  | { kind: 'and'; rules: Rule[] }
  | { kind: 'or'; rules: Rule[] }
  | { kind: 'not'; rule: Rule }
  | { kind: 'compare'; path: string; op: CompareOp; value: Literal }
  | { kind: 'contains'; path: string; value: string }
  | { kind: 'matches'; path: string; pattern: string; flags: string }
  | { kind: 'in'; path: string; values: Literal[] }
  | { kind: 'between'; path: string; low: Literal; high: Literal }
  | { kind: 'exists'; path: string };

export interface RuleError {
  /** Names what was expected and at which column (1-based). Never quotes element values. */
  message: string;
  /** 0-based offset into the rule text. */
  position: number;
}

export type ParseResult = { ok: true; rule: Rule } | { ok: false; error: RuleError };

/** What an element holds: a string, a number, several of either (multi-valued), or undefined when absent. */
export type RuleValue = string | number | readonly (string | number)[] | undefined;

export interface ParseOptions {
  /** Decides whether a name is a known keyword; defaults to the DICOM dictionary. */
  isKnownKeyword?: (keyword: string) => boolean;
}

/** The separator between the steps of a keyword path, as formatted. */
export const PATH_SEPARATOR = ' > ';

const RESERVED = new Set(['and', 'or', 'not', 'contains', 'matches', 'in', 'between', 'exists']);
const REGEX_FLAGS = /^[imsu]*$/;

class RuleSyntaxError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
  }
}

/** Parses rule text. Errors say what was expected and at which column; the position is 0-based. */
export function parseRule(text: string, options: ParseOptions = {}): ParseResult {
  const isKnown = options.isKnownKeyword ?? ((k: string) => tagForKeyword(k) !== undefined);
  try {
    const parser = new Parser(text, isKnown);
    const rule = parser.parseOr();
    parser.skipSpace();
    if (!parser.atEnd()) parser.fail(`Expected 'and', 'or' or the end of the rule`);
    return { ok: true, rule };
  } catch (e) {
    if (e instanceof RuleSyntaxError)
      return { ok: false, error: { message: e.message, position: e.position } };
    throw e;
  }
}

/** Names what sits at an offset without echoing quoted text (it may hold a value someone typed). */
function describeAt(text: string, at: number): string {
  if (at >= text.length) return 'the end of the rule';
  const rest = text.slice(at);
  if (rest[0] === '"' || rest[0] === "'") return 'a quoted string';
  if (/^[+-]?\.?\d/.test(rest)) return 'a number';
  const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest)?.[0];
  if (word) return `'${word}'`;
  return `'${rest[0]}'`;
}

class Parser {
  pos = 0;

  constructor(
    readonly text: string,
    readonly isKnown: (keyword: string) => boolean,
  ) {}

  fail(expected: string, at = this.pos): never {
    const found = describeAt(this.text, at);
    throw new RuleSyntaxError(`${expected} at column ${at + 1}, found ${found}`, at);
  }

  skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos])) this.pos++;
  }

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  /** Reads a bare word at the cursor without consuming it. */
  peekWord(): string | undefined {
    this.skipSpace();
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.text.slice(this.pos));
    return m?.[0];
  }

  acceptWord(word: string): boolean {
    const w = this.peekWord();
    if (w !== undefined && w.toLowerCase() === word) {
      this.pos += w.length;
      return true;
    }
    return false;
  }

  acceptChar(ch: string): boolean {
    this.skipSpace();
    if (this.text.startsWith(ch, this.pos)) {
      this.pos += ch.length;
      return true;
    }
    return false;
  }

  parseOr(): Rule {
    const rules = [this.parseAnd()];
    while (this.acceptWord('or')) rules.push(this.parseAnd());
    return rules.length === 1 ? rules[0] : { kind: 'or', rules };
  }

  parseAnd(): Rule {
    const rules = [this.parseUnary()];
    while (this.acceptWord('and')) rules.push(this.parseUnary());
    return rules.length === 1 ? rules[0] : { kind: 'and', rules };
  }

  parseUnary(): Rule {
    if (this.acceptWord('not')) return { kind: 'not', rule: this.parseUnary() };
    this.skipSpace();
    if (this.text[this.pos] === '(' && !this.isTagAt(this.pos)) {
      this.pos++;
      const rule = this.parseOr();
      if (!this.acceptChar(')')) this.fail(`Expected ')' to close the '(' opened earlier`);
      return rule;
    }
    return this.parseCondition();
  }

  isTagAt(at: number): boolean {
    return /^\([0-9A-Fa-f]{4},[0-9A-Fa-f]{4}\)/.test(this.text.slice(at));
  }

  parseName(): string {
    this.skipSpace();
    const start = this.pos;
    if (this.isTagAt(start)) {
      this.pos += 11;
      return this.text.slice(start, start + 11).toUpperCase();
    }
    const word = this.peekWord();
    if (word === undefined)
      this.fail('Expected a DICOM keyword such as Modality, or a tag such as (0018,0050)');
    if (RESERVED.has(word.toLowerCase()))
      this.fail('Expected a DICOM keyword, not a word of the rule language,');
    if (!this.isKnown(word))
      this.fail('Expected a DICOM keyword spelled as in the standard (such as SliceThickness)');
    this.pos += word.length;
    return word;
  }

  parsePath(): string {
    const parts = [this.parseName()];
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] !== '>' || this.text[this.pos + 1] === '=') break;
      const save = this.pos;
      this.pos++;
      this.skipSpace();
      const next = this.text[this.pos];
      if (next !== undefined && (/[A-Za-z_]/.test(next) || this.isTagAt(this.pos))) {
        parts.push(this.parseName());
      } else {
        this.pos = save; // the '>' is the comparison operator
        break;
      }
    }
    return parts.join(PATH_SEPARATOR);
  }

  parseCondition(): Rule {
    const path = this.parsePath();
    this.skipSpace();
    const opMatch = /^(==|!=|<=|>=|<|>|=)/.exec(this.text.slice(this.pos));
    if (opMatch) {
      this.pos += opMatch[0].length;
      const op = (opMatch[0] === '=' ? '==' : opMatch[0]) as CompareOp;
      return { kind: 'compare', path, op, value: this.parseLiteral(`after '${opMatch[0]}'`) };
    }
    const word = this.peekWord()?.toLowerCase();
    switch (word) {
      case 'contains': {
        this.pos += word.length;
        const lit = this.parseLiteral(`after 'contains'`);
        return { kind: 'contains', path, value: lit.kind === 'string' ? lit.value : lit.text };
      }
      case 'matches': {
        this.pos += word.length;
        return { kind: 'matches', path, ...this.parseRegex() };
      }
      case 'in': {
        this.pos += word.length;
        if (!this.acceptChar('[')) this.fail(`Expected '[' to start the list after 'in'`);
        const values = [this.parseLiteral('in the list')];
        while (this.acceptChar(',')) values.push(this.parseLiteral(`after ','`));
        if (!this.acceptChar(']')) this.fail(`Expected ',' or ']' in the list after 'in'`);
        return { kind: 'in', path, values };
      }
      case 'between': {
        this.pos += word.length;
        const low = this.parseLiteral(`after 'between'`);
        if (!this.acceptWord('and'))
          this.fail(`Expected 'and' between the two bounds of 'between'`);
        const high = this.parseLiteral(`after 'between … and'`);
        return { kind: 'between', path, low, high };
      }
      case 'exists':
        this.pos += word.length;
        return { kind: 'exists', path };
      default:
        return this.fail(
          `Expected an operator (==, !=, <, <=, >, >=, contains, matches, in, between, exists) after ${path}`,
        );
    }
  }

  parseLiteral(where: string): Literal {
    this.skipSpace();
    const ch = this.text[this.pos];
    if (ch === '"' || ch === "'") return { kind: 'string', value: this.parseString(ch) };
    const m = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(this.text.slice(this.pos));
    if (m && !/[A-Za-z0-9_]/.test(this.text[this.pos + m[0].length] ?? '')) {
      this.pos += m[0].length;
      return { kind: 'number', value: Number(m[0]), text: m[0] };
    }
    return this.fail(`Expected a value (a quoted string or a number) ${where}`);
  }

  parseString(quote: string): string {
    const start = this.pos;
    this.pos++;
    let out = '';
    while (this.pos < this.text.length) {
      const ch = this.text[this.pos];
      if (ch === quote) {
        this.pos++;
        return out;
      }
      // Only quotes and backslash are escapes: DICOM values use '\' as a separator and stay literal.
      if (ch === '\\' && /["'\\]/.test(this.text[this.pos + 1] ?? '')) {
        out += this.text[this.pos + 1];
        this.pos += 2;
        continue;
      }
      out += ch;
      this.pos++;
    }
    return this.fail(
      `Expected a closing ${quote} for the string that starts at column ${start + 1}`,
    );
  }

  parseRegex(): { pattern: string; flags: string } {
    this.skipSpace();
    const start = this.pos;
    if (this.text[this.pos] !== '/')
      this.fail(`Expected a regular expression such as /abc/i after 'matches'`);
    this.pos++;
    let inClass = false;
    while (this.pos < this.text.length) {
      const ch = this.text[this.pos];
      if (ch === '\\') {
        this.pos += 2;
        continue;
      }
      if (ch === '[') inClass = true;
      else if (ch === ']') inClass = false;
      else if (ch === '/' && !inClass) break;
      this.pos++;
    }
    if (this.pos >= this.text.length)
      this.fail(
        `Expected a closing / for the regular expression that starts at column ${start + 1}`,
      );
    const pattern = this.text.slice(start + 1, this.pos);
    this.pos++;
    const flags = /^[A-Za-z]*/.exec(this.text.slice(this.pos))?.[0] ?? '';
    if (!REGEX_FLAGS.test(flags)) this.fail(`Expected regular expression flags among i, m, s, u`);
    this.pos += flags.length;
    try {
      new RegExp(pattern, flags);
    } catch {
      this.fail(`Expected a valid regular expression`, start);
    }
    return { pattern, flags };
  }
}

// ---------------------------------------------------------------------------------------------
// Evaluation

/**
 * Evaluates a rule for one instance. `getValue` receives a keyword path ('A > B' through sequences)
 * and returns the element's value(s). Semantics:
 * - Multi-valued elements match when any value matches (==, <, contains, matches, in, between).
 * - `!=` is the negation of `==`: true when no value equals, and true when the element is absent.
 * - Numbers compare numerically when both sides parse as numbers; otherwise == / != / in / contains
 *   compare text case-insensitively after trimming DICOM padding, and < <= > >= between compare
 *   text by code unit order (fine for DA/TM/DT values).
 * - `exists` needs a present, non-empty value. Every other operator is false on an absent element.
 */
export function evaluateRule(rule: Rule, getValue: (keywordPath: string) => RuleValue): boolean {
  switch (rule.kind) {
    case 'and':
      return rule.rules.every((r) => evaluateRule(r, getValue));
    case 'or':
      return rule.rules.some((r) => evaluateRule(r, getValue));
    case 'not':
      return !evaluateRule(rule.rule, getValue);
    case 'exists':
      return valuesOf(getValue(rule.path)).some((v) => String(v).length > 0);
    case 'compare': {
      const values = valuesOf(getValue(rule.path));
      if (rule.op === '!=') return !values.some((v) => equalsLiteral(v, rule.value));
      if (rule.op === '==') return values.some((v) => equalsLiteral(v, rule.value));
      return values.some((v) => orderHolds(compareToLiteral(v, rule.value), rule.op));
    }
    case 'contains': {
      const needle = rule.value.toLowerCase();
      return valuesOf(getValue(rule.path)).some((v) => String(v).toLowerCase().includes(needle));
    }
    case 'matches': {
      const re = new RegExp(rule.pattern, rule.flags);
      return valuesOf(getValue(rule.path)).some((v) => re.test(String(v)));
    }
    case 'in': {
      const values = valuesOf(getValue(rule.path));
      return values.some((v) => rule.values.some((lit) => equalsLiteral(v, lit)));
    }
    case 'between':
      return valuesOf(getValue(rule.path)).some((v) => {
        const low = compareToLiteral(v, rule.low);
        const high = compareToLiteral(v, rule.high);
        return low !== undefined && high !== undefined && low >= 0 && high <= 0;
      });
  }
}

function valuesOf(value: RuleValue): (string | number)[] {
  if (value === undefined) return [];
  const list = typeof value === 'string' || typeof value === 'number' ? [value] : [...value];
  return list.map((v) => (typeof v === 'string' ? trimPadding(v) : v));
}

/** DICOM pads values with spaces (text) or NUL (UI); neither is part of the value. */
function trimPadding(s: string): string {
  return s.replace(/^[\s\0]+|[\s\0]+$/g, '');
}

const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function asNumber(v: string | number): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  return NUMBER_TEXT.test(v) ? Number(v) : undefined;
}

function literalText(lit: Literal): string {
  return lit.kind === 'string' ? lit.value : lit.text;
}

function equalsLiteral(v: string | number, lit: Literal): boolean {
  const a = asNumber(v);
  const b = lit.kind === 'number' ? lit.value : asNumber(trimPadding(lit.value));
  if (a !== undefined && b !== undefined) return a === b;
  return String(v).toLowerCase() === trimPadding(literalText(lit)).toLowerCase();
}

/** Sign of (value - literal): numeric when both parse, otherwise code-unit order of the text. */
function compareToLiteral(v: string | number, lit: Literal): number | undefined {
  const a = asNumber(v);
  const b = lit.kind === 'number' ? lit.value : asNumber(trimPadding(lit.value));
  if (a !== undefined && b !== undefined) return Math.sign(a - b);
  const s = String(v);
  const t = trimPadding(literalText(lit));
  return s < t ? -1 : s > t ? 1 : 0;
}

function orderHolds(sign: number | undefined, op: CompareOp): boolean {
  if (sign === undefined) return false;
  switch (op) {
    case '<':
      return sign < 0;
    case '<=':
      return sign <= 0;
    case '>':
      return sign > 0;
    case '>=':
      return sign >= 0;
    case '==':
      return sign === 0;
    case '!=':
      return sign !== 0;
  }
}

// ---------------------------------------------------------------------------------------------
// Formatting

/** Formats a rule as text that parses back to the same rule (canonical spacing, double quotes). */
export function formatRule(rule: Rule): string {
  return formatAt(rule, 0);
}

// Precedence: or 1, and 2, not 3, conditions 4. A child with lower precedence than its slot gets parentheses.
function precedence(rule: Rule): number {
  return rule.kind === 'or' ? 1 : rule.kind === 'and' ? 2 : rule.kind === 'not' ? 3 : 4;
}

function formatAt(rule: Rule, min: number): string {
  const text = formatBare(rule);
  return precedence(rule) < min ? `(${text})` : text;
}

function formatBare(rule: Rule): string {
  switch (rule.kind) {
    case 'or':
      return rule.rules.map((r) => formatAt(r, 2)).join(' or ');
    case 'and':
      return rule.rules.map((r) => formatAt(r, 3)).join(' and ');
    case 'not':
      return `not ${formatAt(rule.rule, 3)}`;
    case 'compare':
      return `${rule.path} ${rule.op} ${formatLiteral(rule.value)}`;
    case 'contains':
      return `${rule.path} contains ${formatString(rule.value)}`;
    case 'matches':
      return `${rule.path} matches /${rule.pattern}/${rule.flags}`;
    case 'in':
      return `${rule.path} in [${rule.values.map(formatLiteral).join(', ')}]`;
    case 'between':
      return `${rule.path} between ${formatLiteral(rule.low)} and ${formatLiteral(rule.high)}`;
    case 'exists':
      return `${rule.path} exists`;
  }
}

export function formatLiteral(lit: Literal): string {
  return lit.kind === 'number' ? lit.text : formatString(lit.value);
}

function formatString(s: string): string {
  return `"${s.replace(/\\(?=["'\\]|$)/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** Every keyword path a rule reads, once each, in order of appearance (scan these into rows). */
export function rulePaths(rule: Rule): string[] {
  const out = new Set<string>();
  const walk = (r: Rule): void => {
    if (r.kind === 'and' || r.kind === 'or') r.rules.forEach(walk);
    else if (r.kind === 'not') walk(r.rule);
    else out.add(r.path);
  };
  walk(rule);
  return [...out];
}
