// Parses one CTP script condition (the text between `{` and `}`) into a Condition tree.
import { tagForKeyword } from '../../dicom/dictionary';
import type { Condition, CtpOperator } from './types';
import { CTP_OPERATORS } from './types';

/** A condition that could not be read, with the offset (in the condition text) where reading stopped. */
export class ConditionSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = 'ConditionSyntaxError';
  }
}

type Token =
  | { type: 'test'; condition: Condition; at: number }
  | { type: 'constant'; value: boolean; at: number }
  | { type: '(' | ')' | '*' | '+' | '!' | 'end'; at: number };

const TAG_FORMS = [
  /^\[\s*([0-9a-fA-F]{1,4})\s*,\s*([0-9a-fA-F]{1,4})\s*\]$/,
  /^\[\s*([0-9a-fA-F]{4})([0-9a-fA-F]{4})\s*\]$/,
];

/** `[0008,0070]` (or `[00080070]`) → the tag; a keyword → its tag. Canonical text for tags: `[GGGG,EEEE]`. */
function resolveElement(name: string, at: number): { element: string; tag: number } {
  if (name.includes('::')) {
    throw new ConditionSyntaxError(`sequence paths (${name}) are not supported`, at);
  }
  for (const form of TAG_FORMS) {
    const m = form.exec(name);
    if (m) {
      const group = parseInt(m[1], 16);
      const element = parseInt(m[2], 16);
      const hex = (n: number) => n.toString(16).toUpperCase().padStart(4, '0');
      return { element: `[${hex(group)},${hex(element)}]`, tag: ((group << 16) | element) >>> 0 };
    }
  }
  if (/^[A-Za-z][A-Za-z0-9]*$/.test(name)) {
    const tag = tagForKeyword(name);
    if (tag !== undefined) return { element: name, tag };
  }
  throw new ConditionSyntaxError(`unknown element ${name}`, at);
}

/** Checks that a `matches` pattern compiles (Java's String.matches: the whole value must match). */
export function compilePattern(pattern: string): RegExp {
  return new RegExp(`^(?:${pattern})$`);
}

/** `true` or `false` as a whole word, not the start of an element name such as `true.equals(…)`. */
const CONSTANT = /(true|false)\b(?!\s*\.)/y;

class Tokenizer {
  pos = 0;
  constructor(private readonly text: string) {}

  private skipSpace(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t[this.pos];
      if (c === '/' && t[this.pos + 1] === '/') {
        while (this.pos < t.length && t[this.pos] !== '\n') this.pos++;
      } else if (/\s/.test(c)) this.pos++;
      else return;
    }
  }

  /** Reads up to (not including) `delim` outside double quotes, and consumes the delimiter. */
  private field(delim: string): string | undefined {
    const t = this.text;
    let inQuote = false;
    const start = this.pos;
    while (this.pos < t.length) {
      const c = t[this.pos];
      if (c === '"') inQuote = !inQuote;
      if (!inQuote && c === delim) {
        this.pos++;
        return t.slice(start, this.pos - 1);
      }
      this.pos++;
    }
    return undefined;
  }

  next(): Token {
    this.skipSpace();
    const at = this.pos;
    if (at >= this.text.length) return { type: 'end', at };
    const c = this.text[at];
    if (c === '(' || c === ')' || c === '*' || c === '+' || c === '!') {
      this.pos++;
      return { type: c, at };
    }
    if (c === '[' || /[A-Za-z]/.test(c)) return this.operand(at);
    throw new ConditionSyntaxError(`unexpected character '${c}'`, at);
  }

  private operand(at: number): Token {
    CONSTANT.lastIndex = at;
    const word = CONSTANT.exec(this.text);
    if (word) {
      this.pos = at + word[0].length;
      return { type: 'constant', value: word[1] === 'true', at };
    }
    const name = this.field('.');
    const method = name === undefined ? undefined : this.field('(');
    const argument = method === undefined ? undefined : this.field(')');
    if (name === undefined || method === undefined || argument === undefined) {
      throw new ConditionSyntaxError('expected Element.method("value")', at);
    }
    const operator = method.trim();
    if (!(CTP_OPERATORS as readonly string[]).includes(operator)) {
      throw new ConditionSyntaxError(`unknown method ${operator}`, at);
    }
    const arg = argument.trim();
    if (arg.length < 2 || arg[0] !== '"' || arg[arg.length - 1] !== '"') {
      throw new ConditionSyntaxError(`the argument of ${operator} must be a quoted string`, at);
    }
    const value = arg.slice(1, -1);
    if (operator === 'matches') {
      try {
        compilePattern(value);
      } catch {
        throw new ConditionSyntaxError(
          'the pattern of matches is not a valid regular expression',
          at,
        );
      }
    }
    const { element, tag } = resolveElement(name.trim(), at);
    return {
      type: 'test',
      condition: { kind: 'test', element, tag, operator: operator as CtpOperator, value },
      at,
    };
  }
}

/** Builds a flat n-ary node: `a * (b * c)` and `(a * b) * c` are both and[a, b, c]. */
function joined(kind: 'and' | 'or', items: Condition[]): Condition {
  if (items.length === 1) return items[0];
  const flat: Condition[] = [];
  for (const item of items) {
    if (item.kind === kind) flat.push(...item.items);
    else flat.push(item);
  }
  return { kind, items: flat };
}

/**
 * Parses a condition with CTP's precedence (`!` binds tighter than `*` (and), which binds tighter
 * than `+` (or)), parentheses, `true`/`false` and `//` comments. Throws ConditionSyntaxError.
 */
export function parseCondition(text: string): Condition {
  const tokenizer = new Tokenizer(text);
  let token = tokenizer.next();
  const advance = () => {
    token = tokenizer.next();
  };
  // Read through a call so that TypeScript does not keep a narrowing across advance().
  const current = (): Token => token;

  const or = (): Condition => {
    const items = [and()];
    while (token.type === '+') {
      advance();
      items.push(and());
    }
    return joined('or', items);
  };
  const and = (): Condition => {
    const items = [unary()];
    while (token.type === '*') {
      advance();
      items.push(unary());
    }
    return joined('and', items);
  };
  const unary = (): Condition => {
    if (token.type === '!') {
      advance();
      return { kind: 'not', item: unary() };
    }
    if (token.type === '(') {
      advance();
      const inner = or();
      if (current().type !== ')') throw new ConditionSyntaxError("expected ')'", current().at);
      advance();
      return inner;
    }
    if (token.type === 'test') {
      const c = token.condition;
      advance();
      return c;
    }
    if (token.type === 'constant') {
      const value = token.value;
      advance();
      return { kind: 'constant', value };
    }
    throw new ConditionSyntaxError(
      token.type === 'end' ? 'the condition ends too early' : `unexpected '${token.type}'`,
      token.at,
    );
  };

  const condition = or();
  if (token.type !== 'end') throw new ConditionSyntaxError(`unexpected '${token.type}'`, token.at);
  return condition;
}
