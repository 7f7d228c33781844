import { describe, expect, it } from 'vitest';
import { readDicom } from '../dicom/read';
import { generateSampleSet } from '../sample/sample-set';
import { highRiskReasons, isHighRisk } from './high-risk';
import { indexRow, type InstanceRow, type SeriesKey } from './index';
import { flagsByInstance, qaFlags, type QaExpectations, type QaFlag, type QaFlagCode } from './qa';

let counter = 0;
/** A CT slice row; override what a test is about. */
function row(over: Partial<InstanceRow> = {}): InstanceRow {
  counter++;
  return {
    path: `p/${counter}.dcm`,
    fileSize: 1000,
    TransferSyntaxUID: '1.2.840.10008.1.2.1',
    hasPixelData: true,
    privateCreators: [],
    PatientID: 'P1',
    StudyInstanceUID: '1.1',
    SeriesInstanceUID: '1.1.1',
    SOPInstanceUID: `1.1.1.${counter}`,
    SOPClassUID: '1.2.840.10008.5.1.4.1.1.2',
    Modality: 'CT',
    ImageType: ['ORIGINAL', 'PRIMARY', 'AXIAL'],
    BodyPartExamined: 'CHEST',
    SliceThickness: 1,
    ...over,
  };
}

/** A stack of slices with these instance numbers at these z positions. */
function stack(
  numbers: number[],
  z: (n: number) => number,
  over: Partial<InstanceRow> = {},
): InstanceRow[] {
  return numbers.map((n) =>
    row({
      InstanceNumber: n,
      ImagePositionPatient: [0, 0, z(n)],
      ImageOrientationPatient: [1, 0, 0, 0, 1, 0],
      ...over,
    }),
  );
}

function codes(rows: InstanceRow[], e?: QaExpectations, series = '1.1.1'): QaFlagCode[] {
  return (qaFlags(rows, e).get(series as SeriesKey) ?? []).map((f) => f.code);
}

function flag(
  rows: InstanceRow[],
  code: QaFlagCode,
  e?: QaExpectations,
  series = '1.1.1',
): QaFlag | undefined {
  return qaFlags(rows, e)
    .get(series as SeriesKey)
    ?.find((f) => f.code === code);
}

describe('QA flags, each on rows built in code', () => {
  it('a clean series has no flags', () => {
    expect(qaFlags(stack([1, 2, 3, 4], (n) => n * 1.25)).size).toBe(0);
  });

  it('incomplete-series: a gap in InstanceNumber', () => {
    const f = flag(
      stack([1, 2, 4, 5], (n) => n),
      'incomplete-series',
    );
    expect(f?.scope).toBe('series');
    expect(f?.explanation).toMatch(/from 1 to 5 but 3 is missing/);
  });

  it('incomplete-series: uneven spacing along the normal, even when InstanceNumbers are complete', () => {
    const rows = stack([1, 2, 3, 4, 5], (n) => [0, 2.5, 5, 10, 12.5][n - 1]);
    const f = flag(rows, 'incomplete-series');
    expect(f?.explanation).toMatch(/most are 2.5 mm apart, but 1 step differs \(up to 5 mm\)/);
  });

  it('incomplete-series: spacing is measured along the normal of an oblique plane', () => {
    const c = Math.SQRT1_2;
    const iop = [1, 0, 0, 0, c, c]; // normal (0, -c, c)
    const even = [0, 1, 2, 3].map((i) =>
      row({
        InstanceNumber: i + 1,
        ImageOrientationPatient: iop,
        ImagePositionPatient: [5, -i * c * 2, i * c * 2],
      }),
    );
    expect(codes(even)).not.toContain('incomplete-series');
    const gap = [0, 1, 3, 4].map((i, k) =>
      row({
        InstanceNumber: k + 1,
        ImageOrientationPatient: iop,
        ImagePositionPatient: [5, -i * c * 2, i * c * 2],
      }),
    );
    expect(flag(gap, 'incomplete-series')?.explanation).toMatch(
      /unevenly spaced: most are 2 mm apart/,
    );
  });

  it('incomplete-series: float noise within tolerance is not a gap, and a localizer orientation is not judged', () => {
    expect(codes(stack([1, 2, 3, 4], (n) => n * 0.625 + (n % 2) * 0.004))).toEqual([]);
    const mixed = [
      ...stack([1, 2, 3], (n) => n * 5),
      row({
        InstanceNumber: 4,
        ImagePositionPatient: [0, 0, 100],
        ImageOrientationPatient: [1, 0, 0, 0, 0, -1],
      }),
    ];
    expect(codes(mixed)).toEqual([]);
  });

  it('several-patients-in-study: two PatientIDs in one study flag every series of it', () => {
    const rows = [row({ PatientID: 'A' }), row({ PatientID: 'B', SeriesInstanceUID: '1.1.2' })];
    const flags = qaFlags(rows);
    for (const series of ['1.1.1', '1.1.2']) {
      const f = flags.get(series as SeriesKey)!.find((x) => x.code === 'several-patients-in-study');
      expect(f?.scope).toBe('study');
      expect(f?.explanation).toMatch(/2 different PatientIDs/);
      expect(f?.explanation).not.toMatch(/\bA\b|\bB\b/);
    }
  });

  it('mixed-modalities: two modalities in one series', () => {
    expect(flag([row(), row({ Modality: 'PT' })], 'mixed-modalities')?.explanation).toMatch(
      /2 modalities \(CT, PT\)/,
    );
  });

  it('secondary-capture: SC SOP classes, multi-frame ones included', () => {
    expect(codes([row({ SOPClassUID: '1.2.840.10008.5.1.4.1.1.7' })])).toContain(
      'secondary-capture',
    );
    expect(codes([row({ SOPClassUID: '1.2.840.10008.5.1.4.1.1.7.4' })])).toContain(
      'secondary-capture',
    );
  });

  it('screen-save: ImageType SCREEN SAVE', () => {
    const rows = [row({ ImageType: ['DERIVED', 'SECONDARY', 'SCREEN SAVE'] }), row()];
    const f = flag(rows, 'screen-save');
    expect(f?.paths).toEqual([rows[0].path]);
    expect(f?.explanation).toMatch(/1 of 2 instances/);
  });

  it('dose-report: dose SR SOP classes and dose screen descriptions', () => {
    expect(
      codes([row({ SOPClassUID: '1.2.840.10008.5.1.4.1.1.88.67', Modality: 'SR' })]),
    ).toContain('dose-report');
    expect(codes([row({ SeriesDescription: 'Dose Report' })])).toContain('dose-report');
    expect(codes([row({ SeriesDescription: 'Patient Protocol' })])).toContain('dose-report');
    expect(codes([row({ SeriesDescription: 'Low dose chest' })])).not.toContain('dose-report');
  });

  it('sr: any SR SOP class or Modality SR', () => {
    expect(codes([row({ SOPClassUID: '1.2.840.10008.5.1.4.1.1.88.33' })])).toContain('sr');
    expect(codes([row({ Modality: 'SR', SOPClassUID: undefined })])).toContain('sr');
  });

  it('encapsulated-pdf: the Encapsulated PDF SOP class', () => {
    expect(
      codes([row({ SOPClassUID: '1.2.840.10008.5.1.4.1.1.104.1', Modality: 'DOC' })]),
    ).toContain('encapsulated-pdf');
  });

  it('derived-or-secondary: ImageType DERIVED or SECONDARY', () => {
    expect(codes([row({ ImageType: ['DERIVED', 'PRIMARY'] })])).toContain('derived-or-secondary');
    expect(codes([row({ ImageType: ['ORIGINAL', 'SECONDARY'] })])).toContain(
      'derived-or-secondary',
    );
    expect(codes([row()])).not.toContain('derived-or-secondary');
  });

  it('burned-in-annotation: BurnedInAnnotation YES', () => {
    expect(codes([row({ BurnedInAnnotation: 'YES' })])).toContain('burned-in-annotation');
    expect(codes([row({ BurnedInAnnotation: 'NO' })])).toEqual([]);
  });

  it('unknown-private-creator: creators off the known list, by name', () => {
    const f = flag(
      [
        row({ privateCreators: ['GEMS_IDEN_01', 'ACME_PRIVATE'] }),
        row({ privateCreators: ['SIEMENS CSA HEADER'] }),
      ],
      'unknown-private-creator',
    );
    expect(f?.explanation).toMatch(/'ACME_PRIVATE'/);
    expect(f?.paths).toHaveLength(1);
  });

  it('duplicate-sop-instance: one SOPInstanceUID in two files, across series too', () => {
    const a = row({ SOPInstanceUID: '9.9' });
    const b = row({ SOPInstanceUID: '9.9', SeriesInstanceUID: '1.1.2' });
    const flags = qaFlags([a, b, row()]);
    expect(
      flags.get('1.1.1' as SeriesKey)!.find((f) => f.code === 'duplicate-sop-instance')?.paths,
    ).toEqual([a.path, b.path]);
    expect(
      flags.get('1.1.2' as SeriesKey)!.find((f) => f.code === 'duplicate-sop-instance')
        ?.explanation,
    ).toMatch(/2 files share one SOPInstanceUID/);
  });

  it('slice-thickness-above: thicker than sliceThicknessMax', () => {
    const rows = [
      row({ SliceThickness: 5 }),
      row({ SliceThickness: 1 }),
      row({ SliceThickness: undefined }),
    ];
    const f = flag(rows, 'slice-thickness-above', { sliceThicknessMax: 1.5 });
    expect(f?.paths).toEqual([rows[0].path]);
    expect(f?.explanation).toMatch(/up to 5 mm, above the 1.5 mm/);
    expect(codes(rows)).not.toContain('slice-thickness-above');
  });

  it('body-part-unexpected: another or a missing BodyPartExamined', () => {
    const rows = [
      row({ BodyPartExamined: 'HEAD' }),
      row({ BodyPartExamined: undefined }),
      row({ BodyPartExamined: 'chest' }),
    ];
    const f = flag(rows, 'body-part-unexpected', { bodyParts: ['CHEST'] });
    expect(f?.paths).toEqual([rows[0].path, rows[1].path]);
    expect(f?.explanation).toMatch(
      /BodyPartExamined HEAD, not stated where the recipe expects CHEST/,
    );
  });

  it('contrast-unexpected: ContrastBolusAgent against with / without', () => {
    const rows = [row({ ContrastBolusAgent: 'IOHEXOL' }), row()];
    expect(flag(rows, 'contrast-unexpected', { contrast: 'with' })?.paths).toEqual([rows[1].path]);
    expect(flag(rows, 'contrast-unexpected', { contrast: 'without' })?.paths).toEqual([
      rows[0].path,
    ]);
  });

  it('sop-class-unexpected: a SOP class the recipe does not list', () => {
    const rows = [row(), row({ SOPClassUID: '1.2.840.10008.5.1.4.1.1.7' })];
    expect(
      flag(rows, 'sop-class-unexpected', { sopClasses: ['1.2.840.10008.5.1.4.1.1.2'] })?.paths,
    ).toEqual([rows[1].path]);
  });

  it('modality-unexpected: a Modality the recipe does not list', () => {
    const rows = [row(), row({ Modality: 'MR' })];
    const f = flag(rows, 'modality-unexpected', { modalities: ['ct'] });
    expect(f?.paths).toEqual([rows[1].path]);
    expect(f?.explanation).toMatch(/Modality MR where the recipe expects CT/);
  });

  it('flagsByInstance turns series flags into per-file flags', () => {
    const rows = [row({ BurnedInAnnotation: 'YES' }), row()];
    const byFile = flagsByInstance(qaFlags(rows));
    expect(byFile.get(rows[0].path)?.map((f) => f.code)).toEqual(['burned-in-annotation']);
    expect(byFile.has(rows[1].path)).toBe(false);
  });
});

describe('isHighRisk', () => {
  it('holds for US, SC, XA, RF, ES, XC, OT, screen saves, dose sheets, burned-in text and SECONDARY', () => {
    for (const Modality of ['US', 'SC', 'XA', 'RF', 'ES', 'XC', 'OT'])
      expect(isHighRisk(row({ Modality })), Modality).toBe(true);
    expect(isHighRisk(row({ SOPClassUID: '1.2.840.10008.5.1.4.1.1.7' }))).toBe(true);
    expect(isHighRisk(row({ ImageType: ['DERIVED', 'PRIMARY', 'SCREEN SAVE'] }))).toBe(true);
    expect(isHighRisk(row({ SeriesDescription: 'Dose Report' }))).toBe(true);
    expect(isHighRisk(row({ BurnedInAnnotation: 'YES' }))).toBe(true);
    expect(isHighRisk(row({ ImageType: ['ORIGINAL', 'SECONDARY'] }))).toBe(true);
  });

  it('does not hold for a plain CT, MR or CR image, and explains itself', () => {
    for (const Modality of ['CT', 'MR', 'CR'])
      expect(isHighRisk(row({ Modality })), Modality).toBe(false);
    expect(highRiskReasons(row({ Modality: 'US', BurnedInAnnotation: 'YES' }))).toEqual([
      'Modality US images often carry burned-in text.',
      'BurnedInAnnotation is YES.',
    ]);
  });
});

describe('QA on the generated sample set', () => {
  const set = generateSampleSet();
  const rows = set.files
    .filter(
      (f) =>
        !set.expected.rejected.some((r) => r.path === f.path) &&
        !set.expected.directories.includes(f.path),
    )
    .map((f) => indexRow(readDicom(f.bytes), f.path));
  const flags = qaFlags(rows);

  it('flags each planted QA case on the series and files it concerns', () => {
    for (const planted of set.expected.qa) {
      for (const series of planted.seriesInstanceUIDs) {
        const hit = flags.get(series as SeriesKey)?.filter((f) => f.code === planted.code) ?? [];
        expect(hit.length, `${planted.code} on ${series}`).toBeGreaterThan(0);
        const flagged = new Set(hit.flatMap((f) => f.paths));
        for (const path of planted.paths.filter(
          (p) => rows.find((r) => r.path === p)?.SeriesInstanceUID === series,
        )) {
          expect(flagged.has(path), `${planted.code} ${path}`).toBe(true);
        }
      }
    }
  });

  it('flags nothing that was not planted (the CT stacks are evenly spaced and complete)', () => {
    const planted = new Set(
      set.expected.qa.flatMap((q) => q.seriesInstanceUIDs.map((s) => `${s} ${q.code}`)),
    );
    for (const [series, list] of flags)
      for (const f of list)
        expect(planted.has(`${series} ${f.code}`), `${f.code} on ${series}`).toBe(true);
  });

  it('marks the ultrasound, the screenshots and the dose report high risk, and no CT or MR slice', () => {
    const risky = rows.filter(isHighRisk).map((r) => r.path);
    expect(new Set(risky)).toEqual(new Set(set.expected.burnedInText.map((b) => b.path)));
    expect(risky).toHaveLength(4);
  });
});
