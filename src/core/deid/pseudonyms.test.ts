import { describe, expect, it } from 'vitest';
import { importSecret } from './keyed-hash';
import { assignPseudonyms, formatPseudonym, patientKey, shortIdentifier } from './pseudonyms';

const secret = importSecret(new TextEncoder().encode('pseudonym secret'));

describe('pseudonyms', () => {
  it('pseudonym pattern: {n:W} pads to W digits and {n} writes the number', () => {
    expect(formatPseudonym('SITE-{n:6}', 42)).toBe('SITE-000042');
    expect(formatPseudonym('P{n}', 7)).toBe('P7');
    expect(formatPseudonym('X{n:2}', 1234)).toBe('X1234');
    expect(() => formatPseudonym('NONE', 1)).toThrow(RangeError);
  });

  it('patient key: issuer and ID, trimmed, so padding does not split a patient', () => {
    expect(patientKey('12345 ', 'HOSP')).toBe(patientKey('12345', 'HOSP'));
    expect(patientKey('12345', 'A')).not.toBe(patientKey('12345', 'B'));
    expect(patientKey('12345')).toBe('\\12345');
  });

  it('pseudonym numbering: is deterministic and does not follow ID or input order', async () => {
    const keys = Array.from({ length: 20 }, (_, i) => patientKey(String(1000 + i)));
    const first = await assignPseudonyms(keys, 'SITE-{n:6}', await secret);
    const again = await assignPseudonyms([...keys].reverse(), 'SITE-{n:6}', await secret);
    expect([...again].sort()).toEqual([...first].sort());
    const numbers = keys.map((k) => first.get(k)!.n);
    expect(new Set(numbers).size).toBe(20);
    expect(Math.min(...numbers)).toBe(1);
    expect(Math.max(...numbers)).toBe(20);
    expect(numbers).not.toEqual([...numbers].sort((a, b) => a - b));
  });

  it('pseudonym numbering: patients already assigned keep their number; new ones follow', async () => {
    const assigned = new Map([['\\OLD', { n: 5 }]]);
    const result = await assignPseudonyms(
      ['\\OLD', '\\NEW1', '\\NEW2'],
      'S{n:3}',
      await secret,
      assigned,
    );
    expect(result.get('\\OLD')).toEqual({ n: 5, pseudonym: 'S005' });
    expect([result.get('\\NEW1')!.n, result.get('\\NEW2')!.n].sort()).toEqual([6, 7]);
  });

  it('AccessionNumber and StudyID: a keyed 16-character value, consistent, separate per kind', async () => {
    const a = await shortIdentifier('AccessionNumber', 'ACC123', await secret);
    expect(a).toMatch(/^[0-9A-F]{16}$/);
    expect(await shortIdentifier('AccessionNumber', 'ACC123 ', await secret)).toBe(a);
    expect(await shortIdentifier('StudyID', 'ACC123', await secret)).not.toBe(a);
    expect(await shortIdentifier('StudyID', '', await secret)).toBe('');
  });
});
