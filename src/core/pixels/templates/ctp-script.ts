// Reads and writes CTP's DicomPixelAnonymizer.script: `{ condition }` signatures, each followed by `(x,y,w,h)` regions.
import type { Box } from '../types';
import { ConditionSyntaxError, parseCondition } from './parse-condition';
import type { Condition, ScriptProblem, Template } from './types';

export interface ParsedScript {
  templates: Template[];
  problems: ScriptProblem[];
}

/** CTP's own region syntax: four comma-separated fields inside parentheses. */
const PAREN_GROUP = /\(([^)]*)\)/g;
const SECTION_RULE = /^\*+$/;

interface Label {
  indent: number;
  text: string;
}

/** Maps offsets to 1-based line numbers (binary search over line starts). */
function lineIndex(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

/**
 * Names rules the way the file's layout does: a section between lines of asterisks ("CT", "US"),
 * then labels whose indentation nests them ("GE" > "CT Dose Series"). A rule without a label of
 * its own takes the labels in force above it.
 */
class Namer {
  private section = '';
  private inSectionRule = false;
  private labels: Label[] = [];

  read(comment: string): void {
    for (const raw of comment.split(/\r?\n/)) {
      const text = raw.trim();
      if (text === '') continue;
      if (SECTION_RULE.test(text)) {
        if (!this.inSectionRule) {
          this.section = '';
          this.labels = [];
        }
        this.inSectionRule = !this.inSectionRule;
        continue;
      }
      if (this.inSectionRule) {
        this.section = this.section ? `${this.section} ${text}` : text;
        continue;
      }
      const indent = raw.length - raw.trimStart().length;
      this.labels = this.labels.filter((l) => l.indent < indent);
      this.labels.push({ indent, text: text.replace(/\s+/g, ' ') });
    }
  }

  name(fallback: string): string {
    const parts = [this.section, ...this.labels.map((l) => l.text)].filter((p) => p !== '');
    return parts.length > 0 ? parts.join(' / ') : fallback;
  }
}

/** The regions of a rule, from the text that follows its condition (CTP: every `( … )` there). */
function readRegions(
  lineAt: (offset: number) => number,
  start: number,
  gap: string,
  problems: ScriptProblem[],
): { boxes: Box[]; lastEnd: number } {
  const boxes: Box[] = [];
  let lastEnd = 0;
  for (const m of gap.matchAll(PAREN_GROUP)) {
    const fields = m[1].split(',');
    // CTP skips a group that does not have four fields: it is prose, e.g. "(see note)".
    if (fields.length !== 4) continue;
    lastEnd = (m.index ?? 0) + m[0].length;
    const numbers = fields.map((f) => (/^\s*\d+\s*$/.test(f) ? Number(f) : NaN));
    const line = lineAt(start + (m.index ?? 0));
    if (numbers.some((n) => !Number.isSafeInteger(n))) {
      problems.push({ line, message: 'a region needs four whole numbers (x,y,width,height)' });
      continue;
    }
    const [x, y, w, h] = numbers;
    if (w === 0 || h === 0) {
      problems.push({ line, message: 'a region with zero width or height blanks nothing' });
      continue;
    }
    boxes.push({ x, y, w, h });
  }
  return { boxes, lastEnd };
}

/**
 * Parses a DicomPixelAnonymizer script. Every `{ … }` is a signature (CTP takes the text up to
 * the first `}`); the parenthesised four-number groups between it and the next signature are its
 * regions; everything else is comment and names the rules. Rules that cannot be read are left
 * out and listed in `problems` with their line; a readable rule is never dropped silently.
 */
export function parseCtpScript(text: string): ParsedScript {
  const templates: Template[] = [];
  const problems: ScriptProblem[] = [];
  const namer = new Namer();
  const lineAt = lineIndex(text);
  const signatures: { start: number; end: number }[] = [];
  for (let i = text.indexOf('{'); i !== -1;) {
    const close = text.indexOf('}', i + 1);
    if (close === -1) {
      problems.push({
        line: lineAt(i),
        message: "a condition opened with '{' is never closed",
      });
      break;
    }
    signatures.push({ start: i, end: close + 1 });
    i = text.indexOf('{', close + 1);
  }
  namer.read(text.slice(0, signatures[0]?.start ?? text.length));
  signatures.forEach((sig, index) => {
    const gapEnd = signatures[index + 1]?.start ?? text.length;
    const gap = text.slice(sig.end, gapEnd);
    const number = index + 1;
    const { boxes, lastEnd } = readRegions(lineAt, sig.end, gap, problems);
    let condition: Condition | undefined;
    try {
      condition = parseCondition(text.slice(sig.start + 1, sig.end - 1));
    } catch (e) {
      if (!(e instanceof ConditionSyntaxError)) throw e;
      problems.push({
        line: lineAt(sig.start + 1 + e.offset),
        message: `rule ${number}: ${e.message}`,
      });
    }
    const name = namer.name(`Rule ${number}`);
    if (condition && boxes.length === 0) {
      problems.push({ line: lineAt(sig.start), message: `rule ${number} has no regions` });
    } else if (condition) {
      templates.push({ id: `ctp-${number}`, name, condition, boxes, source: 'ctp' });
    }
    // Labels after the last region belong to the next rule.
    namer.read(gap.slice(lastEnd).replace(PAREN_GROUP, ' '));
  });
  problems.sort((a, b) => a.line - b.line);
  return { templates, problems };
}

const HEADER = [
  'Burned-in annotation templates written by Cleanroom',
  '',
  'Format of the CTP DicomPixelAnonymizer: each condition in braces is followed by the',
  'regions x,y,width,height that are blanked in every frame of a matching image.',
  'Review images to be sure every area holding PHI is removed.',
];

function formatCondition(c: Condition, parent: 'top' | 'and' | 'or' | 'not'): string {
  switch (c.kind) {
    case 'constant':
      return String(c.value);
    case 'test':
      if (c.value.includes('"') || c.value.includes('}')) {
        throw new Error(
          `A value of ${c.element} holds '"' or '}', which the script format cannot write.`,
        );
      }
      return `${c.element}.${c.operator}("${c.value}")`;
    case 'not':
      return `!${formatCondition(c.item, 'not')}`;
    case 'and': {
      const s = c.items.map((i) => formatCondition(i, 'and')).join(' *\n    ');
      return parent === 'not' ? `( ${s} )` : s;
    }
    case 'or': {
      const s = c.items.map((i) => formatCondition(i, 'or')).join(' + ');
      return parent === 'top' || parent === 'or' ? s : `( ${s} )`;
    }
  }
}

/** A comment line that reads back as the same name: one line, no braces or parentheses, no rule of asterisks. */
function nameLine(name: string): string {
  const line = name.replace(/\s+/g, ' ').replace(/[{(]/g, '[').replace(/[})]/g, ']').trim();
  return SECTION_RULE.test(line) ? `[${line}]` : line;
}

/**
 * Writes templates as a DicomPixelAnonymizer script that CTP reads: a comment header, then per
 * template its name as a comment line, its condition and its regions. parseCtpScript of the
 * result gives the same names, conditions and boxes (ids become `ctp-<n>`, source 'ctp').
 */
export function formatCtpScript(templates: readonly Template[]): string {
  const lines = [...HEADER, ''];
  templates.forEach((t, i) => {
    lines.push(nameLine(t.name) || `Rule ${i + 1}`);
    lines.push(`  { ${formatCondition(t.condition, 'top')} }`);
    lines.push(`  ${t.boxes.map((b) => `(${b.x},${b.y},${b.w},${b.h})`).join(' ')}`);
    lines.push('');
  });
  return lines.join('\n');
}
