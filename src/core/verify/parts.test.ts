// Tests of the verify module's small parts: pseudonym form, UID roots, severities, sampling, the recorder.
import { describe, expect, it } from 'vitest';
import type { DumpRow } from '../review/dump';
import { isPseudonymousUid } from './identity-checks';
import { CheckRecorder } from './recorder';
import { drawVisualSample, imageRecord, planOcr, seededRandom, type ImageRecord } from './sample';
import type { InstanceRow } from '../inventory';
import { pseudonymRegExp } from './study-checks';
import { severityOf } from './values-check';

describe('pseudonymRegExp', () => {
  it('matches the recipe form with at least the padded width', () => {
    const re = pseudonymRegExp('SITE-{n:6}');
    expect(re.test('SITE-000042')).toBe(true);
    expect(re.test('SITE-1234567')).toBe(true);
    expect(re.test('SITE-42')).toBe(false);
    expect(re.test('MRN5550123')).toBe(false);
  });

  it('treats the literal text literally', () => {
    const re = pseudonymRegExp('A.B {n}');
    expect(re.test('A.B 7')).toBe(true);
    expect(re.test('AxB 7')).toBe(false);
  });
});

describe('isPseudonymousUid', () => {
  it('accepts 2.25, standard and site-root UIDs, and only whole root components', () => {
    expect(isPseudonymousUid('2.25.123', [])).toBe(true);
    expect(isPseudonymousUid('1.2.840.10008.5.1.4.1.1.2', [])).toBe(true);
    expect(isPseudonymousUid('1.2.3.4.5', ['1.2.3'])).toBe(true);
    expect(isPseudonymousUid('1.2.34.5', ['1.2.3'])).toBe(false);
    expect(isPseudonymousUid('1.3.6.1.4.1.5962.1', [])).toBe(false);
  });
});

function row(over: Partial<DumpRow>): DumpRow {
  return {
    path: 'StudyDescription',
    vr: 'LO',
    value: 'x',
    count: 1,
    risk: 'high',
    reason: 'looks like a date',
    score: 12,
    examples: ['a.dcm'],
    ...over,
  };
}

describe('severityOf (high-risk-values)', () => {
  it('fails names, dates and person-name elements; warns identifier-like text', () => {
    expect(severityOf(row({}))).toBe('fail');
    expect(
      severityOf(row({ reason: 'looks like an identifier (6 or more letters and digits)' })),
    ).toBe('warn');
    expect(
      severityOf(
        row({
          vr: 'PN',
          path: 'PatientName',
          reason: 'looks like an identifier (6 or more letters and digits)',
        }),
      ),
    ).toBe('fail');
    expect(severityOf(row({ risk: 'medium' }))).toBeUndefined();
  });

  it('leaves out the keyed AccessionNumber/StudyID values and code values', () => {
    const id = 'looks like an identifier (6 or more letters and digits)';
    expect(
      severityOf(row({ path: 'AccessionNumber', vr: 'SH', value: '0817B46341DB0BA7', reason: id })),
    ).toBeUndefined();
    expect(
      severityOf(row({ path: 'AccessionNumber', vr: 'SH', value: 'ACC998877', reason: id })),
    ).toBe('warn');
    expect(
      severityOf(
        row({ path: 'DerivationCodeSequence > CodeValue', vr: 'SH', value: '113040', reason: id }),
      ),
    ).toBeUndefined();
  });
});

describe('CheckRecorder', () => {
  it('lists failures first, at most the cap, and counts every finding', () => {
    const r = new CheckRecorder('high-risk-values', 2);
    r.add('a', 'w1', 'warn');
    r.add('b', 'f1');
    r.add('c', 'f2');
    r.add('d', 'f3');
    const result = r.result();
    expect(result.status).toBe('fail');
    expect(result.findings.map((f) => f.message)).toEqual(['f1', 'f2']);
    expect(result.counts).toEqual({ checked: 0, failed: 3, warnings: 1 });
    expect(result.omittedFindings).toBe(2);
  });

  it('warnings alone pass; not-available wins over findings', () => {
    const r = new CheckRecorder('references-resolve', 10);
    r.add('a', 'w', 'warn');
    expect(r.result().status).toBe('pass');
    r.notAvailable('why');
    expect(r.result()).toMatchObject({ status: 'not-available', note: 'why' });
  });
});

describe('sampling', () => {
  const records: ImageRecord[] = [
    ...Array.from({ length: 30 }, (_, i): ImageRecord => ({
      path: `P/01/0001_CT/${String(i).padStart(5, '0')}.dcm`,
      series: 'ct',
      stratum: 'other',
      ocrReasons: [],
    })),
    ...Array.from({ length: 5 }, (_, i): ImageRecord => ({
      path: `P/01/0002_MR/${i}.dcm`,
      series: 'mr',
      stratum: 'other',
      ocrReasons: [],
    })),
    { path: 'P/01/0003_OT/1.dcm', series: 'sc', stratum: 'secondary capture', ocrReasons: ['SC'] },
    { path: 'P/01/0004_US/1.dcm', series: 'us', stratum: 'ultrasound', ocrReasons: ['US'] },
  ];

  it('seededRandom repeats for a seed and differs across seeds', () => {
    const a = seededRandom(5);
    const b = seededRandom(5);
    const c = seededRandom(6);
    const first = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(first);
    expect([c(), c(), c()]).not.toEqual(first);
  });

  it('serves the strata in order and alternates series inside a stratum', () => {
    const sample = drawVisualSample(records, 11, 4);
    expect(sample.slice(0, 2)).toEqual(['P/01/0003_OT/1.dcm', 'P/01/0004_US/1.dcm']);
    const series = sample.slice(2).map((p) => p.split('/')[2]);
    expect(new Set(series)).toEqual(new Set(['0001_CT', '0002_MR']));
  });

  it('does not depend on the order entries came in', () => {
    expect(drawVisualSample([...records].reverse(), 11, 10)).toEqual(
      drawVisualSample(records, 11, 10),
    );
    expect(planOcr([...records].reverse(), 11, 4)).toEqual(planOcr(records, 11, 4));
  });

  it('queues high-risk images and a sample of the rest, never more than there are', () => {
    const queue = planOcr(records, 2, 100);
    expect(queue).toHaveLength(records.length);
    expect(queue.slice(0, 2).map((q) => q.reasons)).toEqual([['SC'], ['US']]);
  });

  it('a DERIVED image is read like the export reads it: PHI shapes only; SECONDARY is read for all text', () => {
    const base = { hasPixelData: true, SOPClassUID: '1.2.840.10008.5.1.4.1.1.2', Modality: 'CT' };
    const derived = imageRecord(
      { ...base, ImageType: ['DERIVED', 'PRIMARY', 'AXIAL'] } as InstanceRow,
      'P/01/0001_CT/9.dcm',
    )!;
    const secondary = imageRecord(
      { ...base, ImageType: ['DERIVED', 'SECONDARY'] } as InstanceRow,
      'P/01/0001_CT/8.dcm',
    )!;
    expect(derived.ocrReasons.length).toBeGreaterThan(0);
    const queue = planOcr([derived, secondary], 1, 0);
    expect(queue.map((q) => [q.path, q.kind])).toEqual([
      ['P/01/0001_CT/8.dcm', 'high-risk'],
      ['P/01/0001_CT/9.dcm', 'sample'],
    ]);
  });
});
