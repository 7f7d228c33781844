// Severity of the package's high-risk values for an organizer: names fail, a cleaning mask warns.
import { describe, expect, it } from 'vitest';
import type { DumpRow } from '../review/dump';
import { severityOf } from './values-check';

const row = (fields: Partial<DumpRow>): DumpRow => ({
  path: 'SeriesDescription',
  vr: 'LO',
  value: 'x',
  count: 1,
  risk: 'high',
  reason: 'looks like a person name',
  score: 0,
  examples: ['a.dcm'],
  ...fields,
});

describe('severityOf', () => {
  it('a cleaning mask (***) where the site masked an identifier is a warning, not a failure', () => {
    expect(
      severityOf(
        row({
          value: '*** AXIAL',
          reason:
            'holds ***, the mark cleaning leaves where it masked an identifier of the patient',
        }),
      ),
    ).toBe('warn');
  });

  it('a person name still fails, and a PN that is not the pseudonym fails whatever its reason', () => {
    expect(severityOf(row({}))).toBe('fail');
    expect(severityOf(row({ vr: 'PN', reason: 'holds ***, the mark' }))).toBe('fail');
  });
});
