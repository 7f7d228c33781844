import { describe, expect, it } from 'vitest';
import { crosswalkCsv } from './crosswalk';

describe('crosswalkCsv', () => {
  it('crosswalk: MIDI-B header id_old,id_new, sorted, deduplicated, CSV-quoted', () => {
    const csv = crosswalkCsv([
      ['1.2.3', '2.25.9'],
      ['DOE^JOHN, JR', 'SITE-000001'],
      ['1.2.3', '2.25.9'],
      ['1.2.2', '2.25.8'],
      ['say "hi"', 'x'],
    ]);
    expect(csv).toBe(
      'id_old,id_new\n1.2.2,2.25.8\n1.2.3,2.25.9\n"DOE^JOHN, JR",SITE-000001\n"say ""hi""",x\n',
    );
  });

  it('crosswalk: an empty map is just the header', () => {
    expect(crosswalkCsv([])).toBe('id_old,id_new\n');
  });
});
