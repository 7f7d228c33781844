// The report worker API called directly, on package zips built in code with a known answer: a
// planted leaky StationName, a planted duplicate across two patients of two sites, a broken volume.
import { describe, expect, it } from 'vitest';
import { tagForKeyword } from '../src/core/dicom/dictionary';
import {
  bytesElement,
  datasetFromEntries,
  textElement,
  uint16Element,
} from '../src/core/dicom/element';
import { PIXEL_DATA, type VR } from '../src/core/dicom/types';
import { writeDicomFile } from '../src/core/dicom/write';
import { zipStream, type ZipEntryInput } from '../src/core/package/zip';
import { defaultRecipe } from '../src/core/profile/recipe';
import { createPrng } from '../src/core/sample/prng';
import { createReportWorkerApi, type ReportPackages, type ReportProgress } from './report-api';

const tag = (keyword: string): number => tagForKeyword(keyword)!;
const text = (keyword: string, vr: VR, value: string) => textElement(tag(keyword), vr, value);
const SIDE = 32;

/** A native 8-bit MONOCHROME2 secondary capture of one patient. */
function imageFile(f: {
  patient: string;
  instance: number;
  station: string;
  kvp: string;
  pixels: Uint8Array;
}): Uint8Array {
  const dataset = datasetFromEntries([
    text('SOPClassUID', 'UI', '1.2.840.10008.5.1.4.1.1.7'),
    text('SOPInstanceUID', 'UI', `2.25.${f.patient.slice(1)}.1.${f.instance}`),
    text('Modality', 'CS', 'OT'),
    text('StationName', 'SH', f.station),
    text('KVP', 'DS', f.kvp),
    text('PatientName', 'PN', f.patient),
    text('PatientID', 'LO', f.patient),
    text('StudyInstanceUID', 'UI', `2.25.${f.patient.slice(1)}`),
    text('SeriesInstanceUID', 'UI', `2.25.${f.patient.slice(1)}.1`),
    text('InstanceNumber', 'IS', String(f.instance)),
    uint16Element(tag('SamplesPerPixel'), 1),
    text('PhotometricInterpretation', 'CS', 'MONOCHROME2'),
    uint16Element(tag('Rows'), SIDE),
    uint16Element(tag('Columns'), SIDE),
    uint16Element(tag('BitsAllocated'), 8),
    uint16Element(tag('BitsStored'), 8),
    uint16Element(tag('HighBit'), 7),
    uint16Element(tag('PixelRepresentation'), 0),
    bytesElement(PIXEL_DATA, 'OB', f.pixels),
  ]);
  return writeDicomFile({ dataset, transferSyntaxUID: '1.2.840.10008.1.2.1' });
}

const zipOf = (entries: ZipEntryInput[]): Promise<Blob> => new Response(zipStream(entries)).blob();

const PATIENTS = 40;
/** P003's first image appears again as P039's second: two patients, two sites. */
const COPY = { from: { patient: 'P003', instance: 1 }, to: { patient: 'P039', instance: 2 } };

/**
 * Sites 'north' (P000–P029, two volumes, with the package's labels.csv and recipe.json and a
 * notes.txt that is no image) and 'south' (P030–P039), and 'east' whose only volume is no zip.
 * Label 'pos' for every third patient; StationName tells it for all but two patients.
 */
async function packages(): Promise<{ job: ReportPackages; labels: Map<string, string> }> {
  const prng = createPrng(11);
  const labels = new Map<string, string>();
  const files = new Map<string, ZipEntryInput[]>([
    ['north-1', []],
    ['north-2', []],
    ['south', []],
  ]);
  const pixelsOf = new Map<string, Uint8Array>();
  for (let p = 0; p < PATIENTS; p++) {
    const patient = `P${String(p).padStart(3, '0')}`;
    const pos = p % 3 === 0;
    labels.set(patient, pos ? 'pos' : 'neg');
    const station = pos !== (p === 7 || p === 8) ? 'CT-POS' : 'CT-NEG';
    const kvp = String(100 + prng.int(40));
    const volume = p < 15 ? 'north-1' : p < 30 ? 'north-2' : 'south';
    for (const instance of [1, 2]) {
      const key = `${patient}/${instance}`;
      const copied =
        patient === COPY.to.patient && instance === COPY.to.instance
          ? pixelsOf.get(`${COPY.from.patient}/${COPY.from.instance}`)
          : undefined;
      const pixels = copied ?? Uint8Array.from({ length: SIDE * SIDE }, () => prng.int(256));
      pixelsOf.set(key, pixels);
      files.get(volume)!.push({
        name: `${patient}/01/${instance}.dcm`,
        data: imageFile({ patient, instance, station, kvp, pixels }),
      });
    }
  }
  const csv = `PatientID,finding\n${[...labels].map(([p, l]) => `${p},${l}`).join('\n')}\n`;
  files
    .get('north-1')!
    .push(
      { name: 'labels.csv', data: new TextEncoder().encode(csv) },
      { name: 'recipe.json', data: new TextEncoder().encode(JSON.stringify(defaultRecipe())) },
      { name: 'P000/notes.txt', data: new TextEncoder().encode('not an image') },
    );
  const job: ReportPackages = {
    key: 'three-sites',
    packages: [
      {
        site: 'north',
        volumes: [await zipOf(files.get('north-1')!), await zipOf(files.get('north-2')!)],
      },
      { site: 'south', volumes: [await zipOf(files.get('south')!)] },
      { site: 'east', volumes: [new Blob(['this is not a zip'])] },
    ],
  };
  return { job, labels };
}

/** 80 images, labels.csv, recipe.json, notes.txt, and the unreadable volume. */
const ENTRIES = PATIENTS * 2 + 3 + 1;

describe('report worker API', async () => {
  const { job, labels } = await packages();

  it('read: lists every entry first, counts the reading up to that total, says what the packages hold', async () => {
    const api = createReportWorkerApi();
    const seen: ReportProgress[] = [];
    const summary = await api.read(job, (p) => seen.push(p));
    expect(summary.images).toBe(PATIENTS * 2);
    expect(summary.unreadable).toBe(2);
    expect(summary.recipeName).toBe(defaultRecipe().name);
    expect(summary.labels?.keyColumn).toBe('PatientID');
    expect(summary.labels?.labels.get('P003')).toBe('pos');
    expect(seen[0]).toEqual({ phase: 'reading', done: 0, total: ENTRIES, bytes: 0 });
    const last = seen.at(-1)!;
    expect(last).toMatchObject({ phase: 'reading', done: ENTRIES, total: ENTRIES });
    expect(last.bytes).toBeGreaterThan(PATIENTS * 2 * SIDE * SIDE);
    expect(seen.every((p) => p.done <= p.total)).toBe(true);
  });

  it('build: the planted leaky element ranks first and the planted cross-patient duplicate is found, with both thumbnails', async () => {
    const api = createReportWorkerApi();
    const seen: ReportProgress[] = [];
    const { report, summary, thumbnails } = await api.build(
      job,
      { labels: { labels, keyColumn: 'PatientID', labelColumn: 'finding' } },
      (p) => seen.push(p),
    );
    expect(summary.images).toBe(PATIENTS * 2);
    expect(report.title).toBe(`Dataset report: ${defaultRecipe().name}`);
    expect(report.composition.totals).toMatchObject({ sites: 2, patients: 40, instances: 80 });
    const leak = report.leakage!;
    expect(leak.permutations).toBe(200);
    expect(leak.scores[0]).toMatchObject({ feature: 'StationName', flagged: true });
    expect(leak.scores.find((s) => s.feature === 'KVP')!.flagged).toBe(false);

    expect(report.duplicates.pairs).toHaveLength(1);
    const pair = report.duplicates.pairs[0];
    expect(pair).toMatchObject({
      kind: 'exact',
      scope: 'patients',
      a: { patient: 'P003', path: 'north: P003/01/1.dcm' },
      b: { patient: 'P039', path: 'south: P039/01/2.dcm' },
    });
    // Only the pictures the page shows cross back: the pair's two.
    expect([...thumbnails.keys()].sort()).toEqual([pair.a.path, pair.b.path]);
    expect(thumbnails.get(pair.a.path)).toHaveLength(32 * 32);
    expect(thumbnails.get(pair.a.path)).toEqual(thumbnails.get(pair.b.path));

    // Phases go forward only, and the last report (the summary) came before the result.
    const order = ['reading', 'leakage', 'summary'];
    const phases = seen.map((p) => order.indexOf(p.phase));
    expect(phases).toEqual([...phases].sort((x, y) => x - y));
    expect(seen[0].phase).toBe('reading');
    expect(seen.at(-1)!.phase).toBe('summary');
  });

  it('a second build under the same key reads nothing again; another key reads again', async () => {
    const api = createReportWorkerApi();
    await api.read(job);
    const again: ReportProgress[] = [];
    const plain = await api.build(job, {}, (p) => again.push(p));
    expect(again.some((p) => p.phase === 'reading')).toBe(false);
    expect(plain.report.leakage).toBeUndefined();
    expect(plain.report.notes).toContain('No labels: the leakage check needs a labels CSV.');
    expect(plain.report.duplicates.pairs).toHaveLength(1);

    const other: ReportProgress[] = [];
    const south = await api.read({ key: 'south only', packages: [job.packages[1]] }, (p) =>
      other.push(p),
    );
    expect(south.images).toBe(20);
    expect(south.labels).toBeUndefined();
    expect(other[0]).toMatchObject({ phase: 'reading', done: 0, total: 20 });
  });

  it('countLabelled: images whose key has a label, by the key column asked', async () => {
    const api = createReportWorkerApi();
    expect(await api.countLabelled(job, { labels, keyColumn: 'PatientID' })).toBe(80);
    const some = new Map([
      ['2.25.001.1.1', 'pos'],
      ['2.25.002.1.2', 'neg'],
      ['2.25.999.1.1', 'neg'],
    ]);
    expect(await api.countLabelled(job, { labels: some, keyColumn: 'SOPInstanceUID' })).toBe(2);
    const original = new Map([['MRN-0001', 'pos']]);
    expect(await api.countLabelled(job, { labels: original, keyColumn: 'PatientID' })).toBe(0);
  });

  it('leakage options: 200 shuffles with seed 1 unless asked, and other values reach the core', async () => {
    const api = createReportWorkerApi();
    const a = await api.build(job, { labels: { labels, keyColumn: 'PatientID' } });
    const b = await api.build(job, {
      labels: { labels, keyColumn: 'PatientID' },
      leakage: { permutations: 200, seed: 1 },
    });
    expect(b.report).toEqual(a.report);
    const c = await api.build(job, {
      labels: { labels, keyColumn: 'PatientID' },
      leakage: { permutations: 50, seed: 2 },
    });
    expect(c.report.leakage!.permutations).toBe(50);
    expect(c.report.leakage!.seed).toBe(2);
    expect(c.report.leakage!.scores[0].feature).toBe('StationName');
  });
});
