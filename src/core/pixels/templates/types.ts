// Device templates: header conditions (CTP's DicomPixelAnonymizer script language) and the boxes they blank.
import type { Dataset } from '../../dicom/types';
import type { Box } from '../types';

/** The string tests of CTP's script language (DicomObject.matches), each `Element.op("value")`. */
export type CtpOperator =
  | 'equals'
  | 'equalsIgnoreCase'
  | 'matches'
  | 'contains'
  | 'containsIgnoreCase'
  | 'startsWith'
  | 'startsWithIgnoreCase'
  | 'endsWith'
  | 'endsWithIgnoreCase';

export const CTP_OPERATORS: readonly CtpOperator[] = [
  'equals',
  'equalsIgnoreCase',
  'matches',
  'contains',
  'containsIgnoreCase',
  'startsWith',
  'startsWithIgnoreCase',
  'endsWith',
  'endsWithIgnoreCase',
];

/**
 * A header condition. `and`/`or` are n-ary and flat (an `and` never directly holds an `and`), so
 * a condition has exactly one written form and parse → format → parse gives the same tree.
 */
export type Condition =
  | {
      kind: 'test';
      /** As the script names it: a keyword (`Manufacturer`) or a tag written `[0008,0070]`. */
      element: string;
      tag: number;
      operator: CtpOperator;
      value: string;
    }
  | { kind: 'and'; items: Condition[] }
  | { kind: 'or'; items: Condition[] }
  | { kind: 'not'; item: Condition }
  | { kind: 'constant'; value: boolean };

export interface Template {
  id: string;
  name: string;
  condition: Condition;
  /** Rectangles in frame pixels; a template's boxes apply to every frame (`frame` unset). */
  boxes: Box[];
  source: 'ctp' | 'reviewer';
}

/** The same type under the name the pixels worker uses. */
export type PixelTemplate = Template;

/** Where header values come from besides the data set, and how its binary numbers are ordered. */
export interface HeaderContext {
  /** The file meta group, for conditions on group 0002 (ImplementationVersionName). */
  meta?: Dataset;
  /** Byte order of the data set's binary values (Rows, Columns): false for explicit VR big endian. Default true. */
  littleEndian?: boolean;
}

export interface ScriptProblem {
  /** 1-based line in the script text. */
  line: number;
  message: string;
}
