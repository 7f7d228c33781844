// The whole report: composition counts with a known answer, the leak first, the duplicate pair, no PHI, a printable page.
import { describe, expect, it } from 'vitest';
import { defaultRecipe, type Recipe } from '../profile/recipe';
import { createPrng } from '../sample/prng';
import { buildDatasetReport, formatReportJson } from './build-report';
import { ageBand, sliceThicknessBin } from './composition';
import { reportHtml } from './report-html';
import type { ImageDigest, ReportRow } from './types';

function dataset(): { rows: ReportRow[]; images: ImageDigest[]; labels: Map<string, string> } {
  const prng = createPrng(5);
  const rows: ReportRow[] = [];
  const images: ImageDigest[] = [];
  const labels = new Map<string, string>();
  for (let p = 0; p < 60; p++) {
    const patient = `SITE-${String(p).padStart(6, '0')}`;
    const pos = p % 3 === 0;
    labels.set(patient, pos ? 'pos' : 'neg');
    const station = pos === prng.next() < 0.9 ? 'CT-A' : 'CT-B';
    for (let i = 0; i < 2; i++) {
      const instance = `2.25.${p}.${i}`;
      rows.push({
        patient,
        study: `2.25.${p}`,
        series: `2.25.${p}.9`,
        instance,
        site: p < 40 ? 'North' : 'South',
        values: {
          Modality: p < 50 ? 'CT' : 'MR',
          Manufacturer: 'ACME',
          ManufacturerModelName: p % 2 ? 'Z1' : 'Z2',
          SOPClassUID: '1.2.840.10008.5.1.4.1.1.2',
          SliceThickness: p % 4 === 0 ? '0.625' : '5',
          PatientSex: p % 2 ? 'F' : 'M',
          PatientAge: `0${40 + (p % 30)}Y`,
          StationName: station,
          SOPInstanceUID: instance,
        },
      });
      images.push({
        path: `${patient}/${i}.dcm`,
        patient,
        study: `2.25.${p}`,
        pixelSha256: `${p}-${i}`,
      });
    }
  }
  images.push({
    path: 'SITE-000059/copy.dcm',
    patient: 'SITE-000059',
    study: '2.25.59',
    pixelSha256: '3-0',
  });
  return { rows, images, labels };
}

describe('buildDatasetReport', () => {
  const { rows, images, labels } = dataset();
  const recipe: Recipe = {
    ...defaultRecipe(),
    expectations: { modalities: ['CT'], sliceThicknessMax: 1 },
    dataset: { expected: { patients: 60, instances: 100, byLabel: { pos: 20 } } },
  };
  const report = buildDatasetReport({
    rows,
    images,
    labels: { labels, keyColumn: 'PatientID', labelColumn: 'nodule' },
    recipe,
    createdAt: '2025-02-01',
    split: { seed: 3 },
  });

  it('counts by site, modality, device, thickness bin, sex, age band and label', () => {
    expect(report.composition.totals).toEqual({
      sites: 2,
      patients: 60,
      studies: 60,
      series: 60,
      instances: 120,
    });
    const dim = (n: string) =>
      Object.fromEntries(
        report.composition.dimensions
          .find((d) => d.name === n)!
          .rows.map((r) => [r.key, r.patients]),
      );
    expect(dim('site')).toEqual({ North: 40, South: 20 });
    expect(dim('Modality')).toEqual({ CT: 50, MR: 10 });
    expect(dim('Manufacturer / model')).toEqual({ 'ACME / Z1': 30, 'ACME / Z2': 30 });
    expect(dim('SliceThickness')).toEqual({ '≤ 1 mm': 15, '2.5–5 mm': 45 });
    expect(dim('PatientSex')).toEqual({ F: 30, M: 30 });
    expect(dim('label')).toEqual({ neg: 40, pos: 20 });
    expect(report.composition.prevalence.find((p) => p.label === 'pos')!.patientShare).toBeCloseTo(
      1 / 3,
      10,
    );
  });

  it("puts the recipe's expected figures beside the actual ones", () => {
    expect(report.composition.expected).toEqual([
      { what: 'patients', expected: '60', actual: '60', ok: true },
      { what: 'instances', expected: '100', actual: '120', ok: false },
      { what: 'patients labelled pos', expected: '20', actual: '20', ok: true },
      { what: 'Modality', expected: 'CT', actual: '20 instances outside', ok: false },
      { what: 'SliceThickness', expected: '≤ 1 mm', actual: '90 instances thicker', ok: false },
    ]);
  });

  it('ranks the leaky StationName first, leaves the label key and UIDs out, finds the duplicate', () => {
    expect(report.leakage!.scores[0].feature).toBe('StationName');
    expect(report.leakage!.scores.some((s) => s.feature === 'SOPInstanceUID')).toBe(false);
    expect(report.duplicates.pairs).toHaveLength(1);
    expect(report.duplicates.pairs[0]).toMatchObject({
      kind: 'exact',
      a: { patient: 'SITE-000003' },
      b: { patient: 'SITE-000059' },
    });
    expect(report.split!.counts.test.patients).toBe(9);
  });

  it('the JSON carries only pseudonymous keys and retained values, the same input gives the same text', () => {
    const json = formatReportJson(report);
    expect(json).toBe(
      formatReportJson(
        buildDatasetReport({
          rows,
          images,
          labels: { labels, keyColumn: 'PatientID', labelColumn: 'nodule' },
          recipe,
          createdAt: '2025-02-01',
          split: { seed: 3 },
        }),
      ),
    );
    expect(JSON.parse(json).format).toBe('cleanroom-dataset-report');
  });

  it('the printable page is self-contained: inline SVG charts, no script, no outside resource', () => {
    const html = reportHtml(report);
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/<script|<link|src=|@import|url\(/i);
    expect(html.indexOf('StationName')).toBeLessThan(html.indexOf('ManufacturerModelName'));
    expect(html).toContain('LEAKS');
  });

  it('without labels: no leakage section, a note says why', () => {
    const r = buildDatasetReport({ rows });
    expect(r.leakage).toBeUndefined();
    expect(r.notes).toContain('No labels: the leakage check needs a labels CSV.');
    expect(reportHtml(r)).toContain('leakage was not checked');
  });
});

describe('bins', () => {
  it('slice thickness and age bands', () => {
    expect(['0.5', '1', '2', '3', '10', '', undefined].map(sliceThicknessBin)).toEqual([
      '≤ 1 mm',
      '≤ 1 mm',
      '1–2.5 mm',
      '2.5–5 mm',
      '> 5 mm',
      '(not given)',
      '(not given)',
    ]);
    expect(['045Y', '006M', '090Y', '089Y', 'x'].map(ageBand)).toEqual([
      '40–49',
      '0–9',
      '90+',
      '80–89',
      '(not given)',
    ]);
  });
});
