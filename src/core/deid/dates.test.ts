import { describe, expect, it } from 'vitest';
import { capAge, dateShiftForPatient, shiftDate, shiftDateTime } from './dates';
import { importSecret } from './keyed-hash';

const secret = importSecret(new TextEncoder().encode('date secret'));

describe('date shift per patient', () => {
  it('date shift: is deterministic per patient and within the recipe range', async () => {
    const range = { min: -365, max: -30 };
    const a = await dateShiftForPatient(await secret, 'ISSUER\\P1', range);
    expect(await dateShiftForPatient(await secret, 'ISSUER\\P1', range)).toBe(a);
    expect(a).toBeGreaterThanOrEqual(-365);
    expect(a).toBeLessThanOrEqual(-30);
  });

  it('date shift: differs between patients (over many, almost all distinct)', async () => {
    const shifts = new Set<number>();
    for (let i = 0; i < 50; i++)
      shifts.add(await dateShiftForPatient(await secret, `\\P${i}`, { min: -3650, max: 3650 }));
    expect(shifts.size).toBeGreaterThan(45);
  });

  it('date shift: is never 0 when the range allows another value', async () => {
    for (let i = 0; i < 200; i++) {
      const shift = await dateShiftForPatient(await secret, `\\Q${i}`, { min: -1, max: 1 });
      expect([-1, 1]).toContain(shift);
    }
    expect(await dateShiftForPatient(await secret, 'x', { min: 0, max: 0 })).toBe(0);
    expect(await dateShiftForPatient(await secret, 'x', { min: 5, max: 5 })).toBe(5);
  });
});

describe('shiftDate (DA)', () => {
  it('DA shift: moves a date by whole days across months, years and leap days', () => {
    expect(shiftDate('20240301', -1)).toBe('20240229');
    expect(shiftDate('20231231', 1)).toBe('20240101');
    expect(shiftDate('19610312', -365)).toBe('19600312');
  });

  it('DA shift: keeps intervals between two dates of one patient', () => {
    const days = -123;
    const a = shiftDate('20200110', days)!;
    const b = shiftDate('20200415', days)!;
    const span = (x: string, y: string): number =>
      (Date.UTC(+y.slice(0, 4), +y.slice(4, 6) - 1, +y.slice(6)) -
        Date.UTC(+x.slice(0, 4), +x.slice(4, 6) - 1, +x.slice(6))) /
      86_400_000;
    expect(span(a, b)).toBe(span('20200110', '20200415'));
  });

  it('DA shift: handles multiple values, ranges, the legacy dotted form and padding', () => {
    expect(shiftDate('20200101\\20200102 ', 10)).toBe('20200111\\20200112');
    expect(shiftDate('20200101-20200110', 1)).toBe('20200102-20200111');
    expect(shiftDate('2020.01.01', 1)).toBe('20200102');
    expect(shiftDate('', 5)).toBe('');
  });

  it('DA shift: malformed dates give undefined instead of throwing', () => {
    for (const bad of ['20230231', '2023013', 'yesterday', '20231301', '2023-01-01-02']) {
      expect(shiftDate(bad, 3)).toBeUndefined();
    }
  });
});

describe('shiftDateTime (DT)', () => {
  it('DT shift: moves the date part and keeps time, fraction, offset and precision', () => {
    expect(shiftDateTime('20200101235959.123456+0100', -1)).toBe('20191231235959.123456+0100');
    expect(shiftDateTime('202001011230', 31)).toBe('202002011230');
    expect(shiftDateTime('2020', 400)).toBe('2021');
    expect(shiftDateTime('202003', -1)).toBe('202002');
  });

  it('DT shift: malformed values give undefined', () => {
    expect(shiftDateTime('2020-01-01T10:00', 1)).toBeUndefined();
    expect(shiftDateTime('20201301', 1)).toBeUndefined();
  });
});

describe('capAge (AS)', () => {
  it('age over 89: becomes 090Y, younger ages and other units stay', () => {
    expect(capAge('090Y')).toBe('090Y');
    expect(capAge('095Y')).toBe('090Y');
    expect(capAge('089Y')).toBe('089Y');
    expect(capAge('018M')).toBe('018M');
    expect(capAge('999M')).toBe('999M');
    expect(capAge('120Y ')).toBe('090Y');
    expect(capAge('003W')).toBe('003W');
    expect(capAge('bad')).toBeUndefined();
  });
});
