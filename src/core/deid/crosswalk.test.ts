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
      'id_old,id_new\r\n1.2.2,2.25.8\r\n1.2.3,2.25.9\r\n"DOE^JOHN, JR",SITE-000001\r\n"say ""hi""",x\r\n',
    );
  });

  it('crosswalk: an empty map is just the header', () => {
    expect(crosswalkCsv([])).toBe('id_old,id_new\r\n');
  });
});
