// Composition of a dataset: counts by site, modality, device, SOP class, body part, slice thickness, sex, age band and label.
import type { Recipe } from '../profile/recipe';
import type { Composition, CountRow, ExpectedRow, ReportRow } from './types';

const SOP_CLASS_NAMES: Record<string, string> = {
  '1.2.840.10008.5.1.4.1.1.1': 'CR Image',
  '1.2.840.10008.5.1.4.1.1.1.1': 'Digital X-Ray Image',
  '1.2.840.10008.5.1.4.1.1.1.2': 'Digital Mammography X-Ray Image',
  '1.2.840.10008.5.1.4.1.1.2': 'CT Image',
  '1.2.840.10008.5.1.4.1.1.2.1': 'Enhanced CT Image',
  '1.2.840.10008.5.1.4.1.1.4': 'MR Image',
  '1.2.840.10008.5.1.4.1.1.4.1': 'Enhanced MR Image',
  '1.2.840.10008.5.1.4.1.1.6.1': 'Ultrasound Image',
  '1.2.840.10008.5.1.4.1.1.3.1': 'Ultrasound Multi-frame Image',
  '1.2.840.10008.5.1.4.1.1.7': 'Secondary Capture Image',
  '1.2.840.10008.5.1.4.1.1.12.1': 'X-Ray Angiographic Image',
  '1.2.840.10008.5.1.4.1.1.20': 'Nuclear Medicine Image',
  '1.2.840.10008.5.1.4.1.1.128': 'PET Image',
  '1.2.840.10008.5.1.4.1.1.88.67': 'X-Ray Radiation Dose SR',
  '1.2.840.10008.5.1.4.1.1.481.1': 'RT Image',
};

export const ABSENT = '(not given)';

/** Slice thickness in mm → a bin: ≤ 1, 1–2.5, 2.5–5, > 5. */
export function sliceThicknessBin(text: string | undefined): string {
  const v = Number(text);
  if (text === undefined || text.trim() === '' || !Number.isFinite(v)) return ABSENT;
  if (v <= 1) return '≤ 1 mm';
  if (v <= 2.5) return '1–2.5 mm';
  if (v <= 5) return '2.5–5 mm';
  return '> 5 mm';
}

/** PatientAge (AS: '045Y', '006M', '012W', '003D') → a decade band '40–49'; '90+' above 89. */
export function ageBand(text: string | undefined): string {
  const m = /^(\d{3})([DWMY])$/.exec((text ?? '').trim());
  if (!m) return ABSENT;
  const years =
    m[2] === 'Y' ? +m[1] : m[2] === 'M' ? +m[1] / 12 : m[2] === 'W' ? +m[1] / 52 : +m[1] / 365;
  if (years >= 90) return '90+';
  const d = Math.floor(years / 10) * 10;
  return `${d}–${d + 9}`;
}

function sopClassName(uid: string | undefined): string {
  if (!uid) return ABSENT;
  return SOP_CLASS_NAMES[uid] ? `${SOP_CLASS_NAMES[uid]} (${uid})` : uid;
}

function countBy(rows: readonly ReportRow[], key: (r: ReportRow) => string): CountRow[] {
  const m = new Map<string, { instances: number; series: Set<string>; patients: Set<string> }>();
  for (const r of rows) {
    const k = key(r);
    let e = m.get(k);
    if (!e) m.set(k, (e = { instances: 0, series: new Set(), patients: new Set() }));
    e.instances++;
    e.series.add(`${r.patient}\u0000${r.series ?? ''}`);
    e.patients.add(r.patient);
  }
  return [...m]
    .map(([k, e]) => ({
      key: k,
      instances: e.instances,
      series: e.series.size,
      patients: e.patients.size,
    }))
    .sort((a, b) => b.instances - a.instances || (a.key < b.key ? -1 : 1));
}

const v = (r: ReportRow, k: string): string => {
  const t = r.values[k]?.trim();
  return t ? t : ABSENT;
};

/** Counts of the rows along every dimension, the label prevalence, and the recipe's expected figures beside the actual ones. */
export function buildComposition(
  rows: readonly ReportRow[],
  labelOf?: (r: ReportRow) => string | undefined,
  recipe?: Recipe,
): Composition {
  const patients = new Set(rows.map((r) => r.patient));
  const studies = new Set(rows.map((r) => `${r.patient}\u0000${r.study ?? ''}`));
  const series = new Set(
    rows.map((r) => `${r.patient}\u0000${r.study ?? ''}\u0000${r.series ?? ''}`),
  );
  const sites = new Set(rows.map((r) => r.site ?? ABSENT));
  const dimensions: Composition['dimensions'] = [
    { name: 'site', rows: countBy(rows, (r) => r.site ?? ABSENT) },
    { name: 'Modality', rows: countBy(rows, (r) => v(r, 'Modality')) },
    {
      name: 'Manufacturer / model',
      rows: countBy(rows, (r) => `${v(r, 'Manufacturer')} / ${v(r, 'ManufacturerModelName')}`),
    },
    { name: 'SOP class', rows: countBy(rows, (r) => sopClassName(r.values.SOPClassUID)) },
    { name: 'BodyPartExamined', rows: countBy(rows, (r) => v(r, 'BodyPartExamined')) },
    {
      name: 'SliceThickness',
      rows: countBy(rows, (r) => sliceThicknessBin(r.values.SliceThickness)),
    },
    { name: 'PatientSex', rows: countBy(rows, (r) => v(r, 'PatientSex')) },
    { name: 'Age band', rows: countBy(rows, (r) => ageBand(r.values.PatientAge)) },
  ];
  const prevalence: Composition['prevalence'] = [];
  if (labelOf) {
    const byLabel = countBy(rows, (r) => labelOf(r) ?? '(no label)');
    dimensions.push({ name: 'label', rows: byLabel });
    for (const row of byLabel) {
      prevalence.push({
        label: row.key,
        patients: row.patients,
        patientShare: patients.size ? row.patients / patients.size : 0,
        instances: row.instances,
        instanceShare: rows.length ? row.instances / rows.length : 0,
      });
    }
  }
  return {
    totals: {
      sites: sites.size,
      patients: patients.size,
      studies: studies.size,
      series: series.size,
      instances: rows.length,
    },
    dimensions,
    prevalence,
    expected: recipe
      ? expectedRows(
          rows,
          dimensions,
          { patients: patients.size, studies: studies.size, series: series.size },
          recipe,
        )
      : [],
  };
}

function expectedRows(
  rows: readonly ReportRow[],
  dimensions: Composition['dimensions'],
  totals: { patients: number; studies: number; series: number },
  recipe: Recipe,
): ExpectedRow[] {
  const out: ExpectedRow[] = [];
  const e = recipe.dataset?.expected;
  const count = (what: string, expected: number | undefined, actual: number) => {
    if (expected !== undefined)
      out.push({
        what,
        expected: String(expected),
        actual: String(actual),
        ok: expected === actual,
      });
  };
  count('patients', e?.patients, totals.patients);
  count('studies', e?.studies, totals.studies);
  count('series', e?.series, totals.series);
  count('instances', e?.instances, rows.length);
  const dim = (name: string) =>
    new Map(dimensions.find((d) => d.name === name)?.rows.map((r) => [r.key, r]) ?? []);
  for (const [m, n] of Object.entries(e?.byModality ?? {}))
    count(`${m} instances`, n, dim('Modality').get(m)?.instances ?? 0);
  for (const [l, n] of Object.entries(e?.byLabel ?? {}))
    count(`patients labelled ${l}`, n, dim('label').get(l)?.patients ?? 0);

  const x = recipe.expectations;
  const outside = (
    what: string,
    allowed: string[] | undefined,
    key: (r: ReportRow) => string | undefined,
  ) => {
    if (!allowed || allowed.length === 0) return;
    const bad = rows.filter((r) => !allowed.includes(key(r) ?? '')).length;
    out.push({
      what,
      expected: allowed.join(', '),
      actual: bad === 0 ? 'all instances' : `${bad} instances outside`,
      ok: bad === 0,
    });
  };
  outside('Modality', x?.modalities, (r) => r.values.Modality);
  outside('BodyPartExamined', x?.bodyParts, (r) => r.values.BodyPartExamined);
  outside('SOP class', x?.sopClasses, (r) => r.values.SOPClassUID);
  if (x?.sliceThicknessMax !== undefined) {
    const max = x.sliceThicknessMax;
    const bad = rows.filter(
      (r) => r.values.SliceThickness !== undefined && !(Number(r.values.SliceThickness) <= max),
    ).length;
    out.push({
      what: 'SliceThickness',
      expected: `≤ ${max} mm`,
      actual: bad === 0 ? 'all instances' : `${bad} instances thicker`,
      ok: bad === 0,
    });
  }
  return out;
}
