// The export's value dump is the Review screen's ValueDump (so values.csv ranks as Review does),
// and a state saved and restored mid-run gives the rows of an uninterrupted run.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ValueDump, type ValueOccurrence } from './dump';
import type { IdentifierToken } from './rank';

const occurrence = fc.record({
  path: fc.constantFrom(
    'PatientName',
    'StudyDescription',
    'SeriesDescription',
    '(0009,xx10) "ACME"',
  ),
  vr: fc.constantFrom('PN', 'LO', 'SH', 'LT' as const),
  value: fc.constantFrom('DOE^JOHN', 'CHEST', 'SITE-000001', '555-1234', 'plain text', 'Smith'),
  isPrivate: fc.boolean(),
  generated: fc.boolean(),
}) as fc.Arbitrary<ValueOccurrence>;
const file = fc.record({
  values: fc.array(occurrence, { maxLength: 6 }),
  example: fc.constantFrom('b/2.dcm', 'a/1.dcm', 'c/3.dcm', 'a/0.dcm', 'x/9.dcm'),
  patient: fc.constantFrom(0, 1),
});
const TOKENS: IdentifierToken[][] = [[{ token: 'DOE', kind: 'name', source: 'PatientName' }], []];

describe('ValueDump', () => {
  it('gives the same rows as ValueDump for any sequence of files', () => {
    fc.assert(
      fc.property(fc.array(file, { maxLength: 20 }), (files) => {
        const a = new ValueDump();
        const b = new ValueDump();
        for (const f of files) {
          const context = {
            tokens: TOKENS[f.patient],
            pseudonym: 'SITE-000001',
            example: f.example,
          };
          a.add(f.values, context);
          b.add(f.values, context);
        }
        expect(b.rows()).toEqual(a.rows());
      }),
    );
  });

  it('a state saved after any file and restored gives the rows of an uninterrupted run', () => {
    fc.assert(
      fc.property(fc.array(file, { maxLength: 20 }), fc.nat(), (files, cut) => {
        const at = files.length === 0 ? 0 : cut % files.length;
        const whole = new ValueDump();
        const first = new ValueDump();
        files.forEach((f, i) => {
          const context = { tokens: TOKENS[f.patient], example: f.example };
          whole.add(f.values, context);
          if (i < at) first.add(f.values, context);
        });
        const resumed = ValueDump.restore(JSON.parse(JSON.stringify(first.snapshot())));
        for (const f of files.slice(at))
          resumed.add(f.values, { tokens: TOKENS[f.patient], example: f.example });
        expect(resumed.rows()).toEqual(whole.rows());
      }),
    );
  });
});
