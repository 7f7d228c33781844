import { describe, expect, it } from 'vitest';
import { parseCsv, toCsv } from './csv';

describe('csv', () => {
  it('quotes commas, quotes, line breaks and edge spaces, and reads them back', () => {
    const rows = [
      ['plain', 'a,b', 'say "hi"'],
      ['line\nbreak', ' lead', ''],
    ];
    const text = toCsv(['x', 'y', 'z'], rows);
    expect(text).toBe('x,y,z\nplain,"a,b","say ""hi"""\n"line\nbreak"," lead",\n');
    expect(parseCsv(text)).toEqual([['x', 'y', 'z'], ...rows]);
  });

  it('writes null and undefined as empty cells and numbers as text', () => {
    expect(toCsv(['a', 'b', 'c'], [[null, undefined, 1.5]])).toBe('a,b,c\n,,1.5\n');
  });

  it('reads CRLF line ends', () => {
    expect(parseCsv('a,b\r\n1,2\r\n')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });
});
