// Tests for device templates: the shipped CTP script, the condition language, matching, signatures, export.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tagForKeyword } from '../../dicom/dictionary';
import { datasetFromEntries, textElement, uint16Element } from '../../dicom/element';
import type { DataElement, Dataset, VR } from '../../dicom/types';
import {
  deviceSignature,
  evaluateCondition,
  formatCtpScript,
  matchTemplates,
  parseCondition,
  parseCtpScript,
  templateFromImage,
  type Condition,
  type Template,
} from '.';

const SCRIPT = readFileSync(
  new URL('../../../../test-data/ctp/DicomPixelAnonymizer.script', import.meta.url),
  'utf8',
);

const VRS: Record<string, VR> = {
  Manufacturer: 'LO',
  ManufacturerModelName: 'LO',
  Modality: 'CS',
  SeriesDescription: 'LO',
  ImageType: 'CS',
  BurnedInAnnotation: 'CS',
  CommentsOnRadiationDose: 'LT',
  CodeMeaning: 'LO',
  WindowWidth: 'DS',
  ProtocolName: 'LO',
  OverlayDescription: 'LO',
  ImplementationVersionName: 'SH',
};

/** A header built in code: text keywords plus Rows/Columns as US in the given byte order. */
function header(
  values: Record<string, string | number>,
  littleEndian = true,
  extra: DataElement[] = [],
): Dataset {
  const elements: DataElement[] = [...extra];
  for (const [keyword, value] of Object.entries(values)) {
    const tag = tagForKeyword(keyword) as number;
    if (typeof value === 'number') elements.push(uint16Element(tag, value, littleEndian));
    else elements.push(textElement(tag, VRS[keyword] ?? 'LO', value));
  }
  return datasetFromEntries(elements);
}

const shipped = parseCtpScript(SCRIPT);
const names = (ds: Dataset, meta?: Dataset) =>
  matchTemplates(ds, shipped.templates, { meta }).map((m) => m.template.id);
const idOf = (predicate: (t: Template) => boolean) => shipped.templates.find(predicate)?.id;
function tests(c: Condition): Extract<Condition, { kind: 'test' }>[] {
  switch (c.kind) {
    case 'test':
      return [c];
    case 'not':
      return tests(c.item);
    case 'and':
    case 'or':
      return c.items.flatMap(tests);
    default:
      return [];
  }
}

describe('CTP script import: every rule of the shipped DicomPixelAnonymizer.script parses', () => {
  it('reads all 52 signatures and their 62 regions without a problem', () => {
    expect(shipped.problems).toEqual([]);
    expect(SCRIPT.split('{').length - 1).toBe(52);
    expect(shipped.templates).toHaveLength(52);
    const regionsInFile = SCRIPT.match(/\(\s*\d+\s*,\s*\d+\s*,\s*\d+\s*,\s*\d+\s*\)/g) ?? [];
    const boxes = shipped.templates.reduce((n, t) => n + t.boxes.length, 0);
    expect(boxes).toBe(regionsInFile.length);
    expect(boxes).toBe(62);
    expect(shipped.templates.every((t) => t.source === 'ctp' && t.boxes.length > 0)).toBe(true);
  });

  it('covers every construct the file uses: keywords, [gggg,eeee] tags, equals/contains/containsIgnoreCase, * and +, parentheses', () => {
    const all = shipped.templates.flatMap((t) => tests(t.condition));
    expect(new Set(all.map((t) => t.operator))).toEqual(
      new Set(['equals', 'contains', 'containsIgnoreCase']),
    );
    expect(all.filter((t) => t.element.startsWith('['))).toHaveLength(14);
    expect(all.find((t) => t.element === '[6000,0022]')?.tag).toBe(0x60000022);
    expect(all.find((t) => t.element === 'ImplementationVersionName')?.tag).toBe(0x00020013);
    const vitrea = shipped.templates.find((t) =>
      tests(t.condition).some((x) => x.value === 'VITAL Images'),
    );
    expect(vitrea?.condition).toMatchObject({
      kind: 'and',
      items: [{ kind: 'test' }, { kind: 'or', items: [{}, {}] }, { kind: 'test' }],
    });
    // `containsIgnoreCase ("FFR")`: a space before the argument list
    expect(all.filter((t) => t.value === 'FFR')).toHaveLength(2);
  });

  it('names rules from the file layout: section, vendor, then the label above the rule', () => {
    expect(shipped.templates[0].name).toBe('CT / GE / CT Dose Series');
    expect(shipped.templates[1].name).toBe('CT / GE / CT Dose Series');
    expect(shipped.templates[3].name).toBe('CT / GE / AW Workstation');
    expect(shipped.templates.find((t) => t.boxes[0].w === 1229)?.name).toBe('US / MINDRAY');
    expect(shipped.templates.at(-1)?.name).toBe('OTHER / MEDRAD Injection Profile');
    expect(shipped.templates.map((t) => t.id)).toEqual(
      shipped.templates.map((_, i) => `ctp-${i + 1}`),
    );
  });

  it('keeps the regions in order: (0,0,1024,60) (200,60,20,20) (800,65,104,14)', () => {
    const antares = shipped.templates.find((t) =>
      tests(t.condition).some((x) => x.value === 'ANTARES'),
    );
    expect(antares?.boxes).toEqual([
      { x: 0, y: 0, w: 1024, h: 60 },
      { x: 200, y: 60, w: 20, h: 20 },
      { x: 800, y: 65, w: 104, h: 14 },
    ]);
  });
});

describe('CTP script export: parse → format → parse gives the same templates', () => {
  it('round-trips the shipped script', () => {
    const again = parseCtpScript(formatCtpScript(shipped.templates));
    expect(again.problems).toEqual([]);
    expect(again.templates).toEqual(shipped.templates);
  });

  it('round-trips not, or inside and, and inside not, constants and every operator', () => {
    const conditions = [
      '!Modality.equals("CT") * (Manufacturer.startsWithIgnoreCase("ge") + Manufacturer.endsWith("X"))',
      '!(Rows.equals("1") * Columns.equals("2")) + true',
      'SeriesDescription.matches("A.*[0-9]+") * ImageType.endsWithIgnoreCase("dose") * !false',
      'Manufacturer.equalsIgnoreCase("a") + Manufacturer.contains("b") + Manufacturer.startsWith("c")',
    ];
    const templates: Template[] = conditions.map((text, i) => ({
      id: `ctp-${i + 1}`,
      name: `Rule (${i}) {odd} name`,
      condition: parseCondition(text),
      boxes: [{ x: i, y: 1, w: 2, h: 3 }],
      source: 'ctp',
    }));
    const again = parseCtpScript(formatCtpScript(templates));
    expect(again.problems).toEqual([]);
    expect(again.templates.map((t) => t.condition)).toEqual(templates.map((t) => t.condition));
    const twice = parseCtpScript(formatCtpScript(again.templates));
    expect(twice.templates).toEqual(again.templates);
  });
});

describe('condition language (CTP DicomObject.matches)', () => {
  const ds = header({ Manufacturer: 'GE MEDICAL SYSTEMS', Modality: 'US', Rows: 480 });
  const holds = (text: string) => evaluateCondition(parseCondition(text), ds);

  it('operators: equals is exact, IgnoreCase folds case, matches is a whole-value regular expression', () => {
    expect(holds('Manufacturer.equals("GE MEDICAL SYSTEMS")')).toBe(true);
    expect(holds('Manufacturer.equals("ge medical systems")')).toBe(false);
    expect(holds('Manufacturer.equalsIgnoreCase("ge medical systems")')).toBe(true);
    expect(holds('Manufacturer.contains("MEDICAL")')).toBe(true);
    expect(holds('Manufacturer.contains("medical")')).toBe(false);
    expect(holds('Manufacturer.containsIgnoreCase("medical")')).toBe(true);
    expect(holds('Manufacturer.startsWith("GE")')).toBe(true);
    expect(holds('Manufacturer.startsWithIgnoreCase("ge m")')).toBe(true);
    expect(holds('Manufacturer.endsWith("SYSTEMS")')).toBe(true);
    expect(holds('Manufacturer.endsWithIgnoreCase("systems")')).toBe(true);
    expect(holds('Manufacturer.matches("GE.*")')).toBe(true);
    expect(holds('Manufacturer.matches("GE")')).toBe(false);
  });

  it('precedence: ! over * over +; parentheses; true and false; // comments', () => {
    expect(
      parseCondition(
        'a1.equals("1") + Rows.equals("2") * Columns.equals("3")'.replace('a1', 'Modality'),
      ),
    ).toMatchObject({
      kind: 'or',
      items: [{ kind: 'test' }, { kind: 'and' }],
    });
    expect(parseCondition('!Modality.equals("US") * Rows.equals("480")')).toMatchObject({
      kind: 'and',
      items: [{ kind: 'not' }, { kind: 'test' }],
    });
    expect(holds('!Modality.equals("CT") * Rows.equals("480")')).toBe(true);
    expect(holds('Modality.equals("CT") * Rows.equals("480") + true')).toBe(true);
    expect(holds('Modality.equals("CT") * (Rows.equals("480") + true)')).toBe(false);
    expect(holds('Modality.equals("US") // the modality\n * Rows.equals("480")')).toBe(true);
    expect(holds('false + !true')).toBe(false);
  });

  it('values: binary Rows as decimal text, absent elements as empty, several values joined by backslash', () => {
    expect(holds('Rows.equals("480")')).toBe(true);
    expect(holds('Columns.equals("")')).toBe(true);
    const multi = header({ ImageType: 'DERIVED\\SECONDARY \\DOSE', WindowWidth: '1\\1' });
    expect(
      evaluateCondition(parseCondition('ImageType.equals("DERIVED\\SECONDARY\\DOSE")'), multi),
    ).toBe(true);
    expect(evaluateCondition(parseCondition('WindowWidth.equals("1")'), multi)).toBe(false);
  });

  it('big endian data sets: Rows is read in the byte order the caller names', () => {
    const be = header({ Rows: 480 }, false);
    const c = parseCondition('Rows.equals("480")');
    expect(evaluateCondition(c, be, { littleEndian: false })).toBe(true);
    expect(evaluateCondition(c, be)).toBe(false);
  });
});

describe('matching the shipped script against headers built in code hits exactly the expected templates', () => {
  const find = (value: string, extra?: (t: Template) => boolean) =>
    idOf((t) => tests(t.condition).some((x) => x.value === value) && (extra?.(t) ?? true));

  it('GE LOGIQ9 ultrasound → the LOGIQ9 rule only (not LOGIQE9)', () => {
    expect(names(header({ Modality: 'US', ManufacturerModelName: 'LOGIQ9' }))).toEqual([
      find('LOGIQ9'),
    ]);
    expect(names(header({ Modality: 'US', ManufacturerModelName: 'LOGIQE9' }))).toEqual([
      find('LOGIQE9'),
    ]);
  });

  it('Philips iU22 by Rows: 480, 600 and 768 each hit their own rule', () => {
    for (const rows of [480, 600, 768]) {
      const hits = names(header({ ManufacturerModelName: 'iU22 xMATRIX', Rows: rows }));
      expect(hits).toEqual([
        find('iU22', (t) => tests(t.condition).some((x) => x.value === String(rows))),
      ]);
    }
    expect(names(header({ ManufacturerModelName: 'iU22', Rows: 512 }))).toEqual([]);
  });

  it('GE 512 screen capture with BurnedInAnnotation YES → the 512 rule, plus vessel analysis for "AVA Report"', () => {
    const base = { Manufacturer: 'GE MEDICAL SYSTEMS', BurnedInAnnotation: 'YES', Rows: 512 };
    const capture = find('YES', (t) => t.boxes[0].h === 25);
    const vessel = find('AVA Report');
    expect(names(header(base))).toEqual([capture]);
    expect(names(header({ ...base, SeriesDescription: 'AVA Report 1' }))).toEqual([
      capture,
      vessel,
    ]);
  });

  it('Vitrea stent worksheet: SeriesDescription "AAA" or "Report", and Rows 1041', () => {
    const vitrea = find('VITAL Images');
    const base = { Manufacturer: 'Vital Images, Inc.', Rows: 1041 };
    expect(names(header({ ...base, SeriesDescription: 'AAA Stent' }))).toEqual([vitrea]);
    expect(names(header({ ...base, SeriesDescription: 'Planning report' }))).toEqual([vitrea]);
    expect(names(header({ ...base, SeriesDescription: 'Planning' }))).toEqual([]);
  });

  it('overlay description [6000,0022] and ImplementationVersionName in the file meta group', () => {
    const overlay = header({}, true, [
      textElement(0x60000022, 'LO', 'Siemens MedCom Object Graphics'),
    ]);
    expect(names(overlay)).toEqual([find('Siemens MedCom Object Graphics')]);
    const mindray = header({ Modality: 'US' });
    const meta = header({ ImplementationVersionName: 'MINDRAY_V1' });
    expect(names(mindray)).toEqual([]);
    expect(names(mindray, meta)).toEqual([find('MINDRAY')]);
  });

  it('ADAC 832×1024: the plain rule, and both rules for a DUAL DETEC protocol', () => {
    const base = { Manufacturer: 'ADAC', Rows: 832, Columns: 1024 };
    const plain = find('ADAC', (t) => tests(t.condition).length === 3);
    const dual = find('DUAL DETEC');
    expect(names(header(base))).toEqual([plain]);
    expect(names(header({ ...base, ProtocolName: 'DUAL DETECTOR' }))).toEqual([plain, dual]);
  });

  it('a plain CT slice and a plain MR slice match nothing', () => {
    expect(
      names(
        header({
          Manufacturer: 'SIEMENS',
          Modality: 'CT',
          Rows: 512,
          Columns: 512,
          ImageType: 'ORIGINAL\\PRIMARY\\AXIAL',
        }),
      ),
    ).toEqual([]);
    expect(
      names(header({ Manufacturer: 'GE MEDICAL SYSTEMS', Modality: 'MR', Rows: 256 })),
    ).toEqual([]);
  });
});

describe('script problems are reported with their line, and the other rules still load', () => {
  it('unknown element, unknown method, missing regions, bad regions, unclosed brace', () => {
    const text = [
      'Header',
      '{ NoSuchKeyword.equals("x") }',
      '(0,0,1,1)',
      '{ Modality.resembles("US") }',
      '(0,0,1,1)',
      '{ Modality.equals("US") }',
      'no regions here',
      '{ Modality.equals("CT") }',
      '(a,0,1,1) (0,0,10,10) (0,0,0,5)',
      '{ Modality.equals("MR")',
    ].join('\n');
    const { templates, problems } = parseCtpScript(text);
    expect(templates.map((t) => t.boxes)).toEqual([[{ x: 0, y: 0, w: 10, h: 10 }]]);
    expect(problems.map((p) => p.line)).toEqual([2, 4, 6, 9, 9, 10]);
    expect(problems.map((p) => p.message).join('|')).toMatch(/unknown element NoSuchKeyword/);
    expect(problems.map((p) => p.message).join('|')).toMatch(/unknown method resembles/);
  });
});

describe('device signatures and templates made from one image', () => {
  const image = {
    Manufacturer: 'ACME "Sono" {Labs}',
    ManufacturerModelName: 'Vista 9',
    Modality: 'US',
    Rows: 600,
    Columns: 800,
  };

  it('the signature lists Manufacturer, ManufacturerModelName, Modality, Rows, Columns', () => {
    expect(deviceSignature(header({ ...image, Manufacturer: 'ACME' }))).toBe(
      'Manufacturer="ACME" ManufacturerModelName="Vista 9" Modality="US" Rows="600" Columns="800"',
    );
    expect(deviceSignature(header({ Rows: 600 }, false), { littleEndian: false })).toContain(
      'Rows="600"',
    );
  });

  it('a template from one image matches exactly the images with the same signature', () => {
    const template = templateFromImage(
      header(image),
      [{ x: 0, y: 0, w: 800, h: 40, frame: 3 }],
      'ACME Vista top bar',
    );
    expect(template.source).toBe('reviewer');
    expect(template.boxes).toEqual([{ x: 0, y: 0, w: 800, h: 40 }]);
    const variants = [
      { ...image },
      { ...image, SeriesDescription: 'other series' },
      { ...image, Rows: 768 },
      { ...image, Modality: 'OT' },
      { ...image, ManufacturerModelName: 'Vista 9 Pro' },
      { ...image, Manufacturer: 'ACME' },
    ];
    for (const v of variants) {
      const ds = header(v);
      const same = deviceSignature(ds) === deviceSignature(header(image));
      expect(matchTemplates(ds, [template]).length === 1).toBe(same);
    }
  });

  it('exports as CTP script and reads back with the same condition and boxes', () => {
    const template = templateFromImage(header(image), [{ x: 5, y: 6, w: 7, h: 8 }], 'ACME (Vista)');
    const back = parseCtpScript(formatCtpScript([template]));
    expect(back.problems).toEqual([]);
    expect(back.templates[0].condition).toEqual(template.condition);
    expect(back.templates[0].boxes).toEqual(template.boxes);
    expect(matchTemplates(header(image), back.templates)).toHaveLength(1);
  });

  it('ids are stable for the same signature and boxes', () => {
    const a = templateFromImage(header(image), [{ x: 1, y: 1, w: 1, h: 1 }], 'a');
    const b = templateFromImage(header(image), [{ x: 1, y: 1, w: 1, h: 1 }], 'b');
    const c = templateFromImage(header(image), [{ x: 1, y: 1, w: 2, h: 1 }], 'a');
    expect(a.id).toBe(b.id);
    expect(a.id).not.toBe(c.id);
  });
});
