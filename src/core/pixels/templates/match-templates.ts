// Evaluates template conditions on an image's header and returns the boxes of every template that matches.
import type { Dataset } from '../../dicom/types';
import type { Box } from '../types';
import { headerReader } from './header-value';
import { compilePattern } from './parse-condition';
import type { Condition, CtpOperator, HeaderContext, Template } from './types';

const patterns = new Map<string, RegExp>();

function pattern(source: string): RegExp | undefined {
  let re = patterns.get(source);
  if (!re) {
    try {
      re = compilePattern(source);
    } catch {
      return undefined;
    }
    patterns.set(source, re);
  }
  return re;
}

/** One string test, with the semantics of CTP's DicomObject (Java String methods). */
export function testValue(value: string, operator: CtpOperator, match: string): boolean {
  const lower = value.toLowerCase();
  const matchLower = match.toLowerCase();
  switch (operator) {
    case 'equals':
      return value === match;
    case 'equalsIgnoreCase':
      return lower === matchLower;
    case 'matches':
      return pattern(match)?.test(value) ?? false;
    case 'contains':
      return value.includes(match);
    case 'containsIgnoreCase':
      return lower.includes(matchLower);
    case 'startsWith':
      return value.startsWith(match);
    case 'startsWithIgnoreCase':
      return lower.startsWith(matchLower);
    case 'endsWith':
      return value.endsWith(match);
    case 'endsWithIgnoreCase':
      return lower.endsWith(matchLower);
  }
}

function holds(condition: Condition, value: (tag: number) => string): boolean {
  switch (condition.kind) {
    case 'constant':
      return condition.value;
    case 'test':
      return testValue(value(condition.tag), condition.operator, condition.value);
    case 'not':
      return !holds(condition.item, value);
    case 'and':
      return condition.items.every((c) => holds(c, value));
    case 'or':
      return condition.items.some((c) => holds(c, value));
  }
}

/** True when the header satisfies the condition. */
export function evaluateCondition(
  condition: Condition,
  dataset: Dataset,
  context: HeaderContext = {},
): boolean {
  return holds(condition, headerReader(dataset, context));
}

/**
 * Every template whose condition holds for this header, in the templates' order, with copies of
 * its boxes. CTP stops at the first matching signature; we return all of them, because a second
 * template that matches names more text to blank, and missing text is the costly mistake.
 */
export function matchTemplates(
  dataset: Dataset,
  templates: readonly Template[],
  context: HeaderContext = {},
): { template: Template; boxes: Box[] }[] {
  const out: { template: Template; boxes: Box[] }[] = [];
  const value = headerReader(dataset, context);
  for (const template of templates) {
    if (holds(template.condition, value)) {
      out.push({ template, boxes: template.boxes.map((b) => ({ ...b })) });
    }
  }
  return out;
}
