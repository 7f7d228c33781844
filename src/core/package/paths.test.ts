// Tests for package entry paths: layout, sanitizing, collisions, and that no input value leaks in.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildEntryPath, EntryPathAllocator, sanitizeSegment } from './paths';

describe('buildEntryPath', () => {
  it('lays out <pseudonym>/<study>/<series number>_<modality>/<instance>.dcm with zero padding', () => {
    expect(
      buildEntryPath({
        pseudonym: 'P0001',
        studyIndex: 1,
        seriesNumber: 3,
        modality: 'CT',
        instanceNumber: 12,
      }),
    ).toBe('P0001/01/0003_CT/00012.dcm');
    expect(
      buildEntryPath({
        pseudonym: 'P0001',
        studyIndex: 2,
        seriesNumber: '  7 ',
        modality: 'mr',
        instanceNumber: '1',
      }),
    ).toBe('P0001/02/0007_MR/00001.dcm');
  });

  it('missing series number, modality or instance number get fixed placeholders', () => {
    expect(buildEntryPath({ pseudonym: 'P1', studyIndex: 1 })).toBe('P1/01/x_OT/x.dcm');
  });

  it('only [A-Za-z0-9._-] in every segment; no segment starts with a dot', () => {
    expect(sanitizeSegment('a b/c\\d:é', 'f')).toBe('a_b_c_d__');
    expect(sanitizeSegment('..', 'f')).toBe('f');
    expect(sanitizeSegment('.hidden', 'f')).toBe('hidden');
    expect(
      buildEntryPath({
        pseudonym: '../..',
        studyIndex: 1,
        seriesNumber: '-2',
        modality: 'C/T',
        instanceNumber: '1.5',
      }),
    ).toBe('_../01/-2_C_T/1.5.dcm');
    fc.assert(
      fc.property(
        fc.string(),
        fc.integer({ min: 1, max: 999 }),
        fc.option(fc.string()),
        fc.option(fc.string()),
        fc.option(fc.string()),
        (p, s, sn, m, i) => {
          const fields = {
            pseudonym: p,
            studyIndex: s,
            seriesNumber: sn ?? undefined,
            modality: m ?? undefined,
            instanceNumber: i ?? undefined,
          };
          let path: string;
          try {
            path = buildEntryPath(fields);
          } catch {
            return true; // a UID-like pseudonym is refused, tested below
          }
          const segments = path.split('/');
          expect(segments).toHaveLength(4);
          for (const seg of segments) {
            expect(seg).toMatch(/^[A-Za-z0-9._-]+$/);
            expect(seg.startsWith('.')).toBe(false);
          }
        },
      ),
    );
  });

  it('refuses a pseudonym that looks like a DICOM UID', () => {
    expect(() => buildEntryPath({ pseudonym: '1.2.840.10008.5.1', studyIndex: 1 })).toThrow(
      /looks like a DICOM UID/,
    );
  });

  it('paths carry no input value: only the de-identified fields appear', () => {
    // The original values of a study never reach buildEntryPath; the path is a function of the
    // de-identified fields alone, so the same fields give the same path whatever the source was.
    const original = {
      PatientName: 'DOE^JANE',
      PatientID: 'MRN123456',
      StudyInstanceUID: '1.2.826.0.1.3680043.2.1125.1',
      path: '/data/DOE_JANE/CT/IM0001',
    };
    const path = buildEntryPath({
      pseudonym: 'P0042',
      studyIndex: 1,
      seriesNumber: 2,
      modality: 'CT',
      instanceNumber: 5,
    });
    for (const value of Object.values(original)) expect(path).not.toContain(value);
    expect(path).not.toMatch(/DOE|JANE|MRN|IM0001|1\.2\.826/);
    expect(path.replace(/P0042|\/|01|0002|CT|00005|_|\.dcm/g, '')).toBe('');
  });
});

describe('EntryPathAllocator', () => {
  it('collisions are resolved deterministically with a suffix, ignoring case', () => {
    const run = () => {
      const a = new EntryPathAllocator();
      const f = {
        pseudonym: 'P1',
        studyIndex: 1,
        seriesNumber: 1,
        modality: 'CT',
        instanceNumber: 1,
      };
      return [
        a.allocate(f),
        a.allocate(f),
        a.allocate({ ...f, pseudonym: 'p1' }),
        a.reserve('manifest.json'),
        a.reserve('MANIFEST.json'),
      ];
    };
    expect(run()).toEqual([
      'P1/01/0001_CT/00001.dcm',
      'P1/01/0001_CT/00001-2.dcm',
      'p1/01/0001_CT/00001-3.dcm',
      'manifest.json',
      'MANIFEST-2.json',
    ]);
    expect(run()).toEqual(run());
  });
});
