// The DICOMDIR an export writes over the real-world sample collection (test-data/dicom-samples: CT,
// MR, SC, SR, RT dose/plan/structure set, ECG waveform) plus an encapsulated PDF built here: one
// record per file with the record type of its SOP class, read back by dcmdump and dciodvfy.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDicomFile } from '../core/dicom/read';
import { writeDicomFile } from '../core/dicom/write';
import { bytesElement, sequenceElement, textElement } from '../core/dicom/element';
import { tagForKeyword } from '../core/dicom/dictionary';
import type { DataElement, Dataset } from '../core/dicom/types';
import { indexRow, type InstanceRow } from '../core/inventory';
import { readZipEntries } from '../core/package/read-zip';
import { defaultRecipe, recipeHash } from '../core/profile/recipe';
import { deidWorkerApi, type DeidJob } from '../../workers/deid-api';
import { planExport } from './export-plan';
import { DICOMDIR_NAME, runExport } from './export';

const samples = fileURLToPath(new URL('../../test-data/dicom-samples', import.meta.url));
const ENCAPSULATED_PDF = '1.2.840.10008.5.1.4.1.1.104.1';

const el = (keyword: string, value: string): DataElement => {
  const tag = tagForKeyword(keyword)!;
  const vr = keyword.endsWith('UID')
    ? 'UI'
    : keyword.endsWith('Date')
      ? 'DA'
      : keyword.endsWith('Time')
        ? 'TM'
        : 'LO';
  return textElement(tag, vr, value);
};
const dataset = (elements: DataElement[]): Dataset => new Map(elements.map((e) => [e.tag, e]));

/** A small Encapsulated PDF instance (PS3.3 A.45.1), built in code: the collection has none. */
function encapsulatedPdf(): Uint8Array {
  const pdf = new TextEncoder().encode(
    '%PDF-1.1\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
  );
  return writeDicomFile({
    transferSyntaxUID: '1.2.840.10008.1.2.1',
    dataset: dataset([
      el('SOPClassUID', ENCAPSULATED_PDF),
      el('SOPInstanceUID', '1.2.826.0.1.3680043.2.1125.9.1'),
      el('StudyInstanceUID', '1.2.826.0.1.3680043.2.1125.9.2'),
      el('SeriesInstanceUID', '1.2.826.0.1.3680043.2.1125.9.3'),
      textElement(tagForKeyword('PatientName')!, 'PN', 'Doe^Jane'),
      el('PatientID', 'DOC-PATIENT-1'),
      textElement(tagForKeyword('Modality')!, 'CS', 'DOC'),
      textElement(tagForKeyword('SeriesNumber')!, 'IS', '7'),
      textElement(tagForKeyword('InstanceNumber')!, 'IS', '1'),
      el('ContentDate', '20200304'),
      el('ContentTime', '101500'),
      el('StudyDate', '20200304'),
      el('StudyTime', '101500'),
      textElement(tagForKeyword('BurnedInAnnotation')!, 'CS', 'NO'),
      textElement(tagForKeyword('DocumentTitle')!, 'ST', 'Discharge summary'),
      textElement(tagForKeyword('MIMETypeOfEncapsulatedDocument')!, 'LO', 'application/pdf'),
      sequenceElement(tagForKeyword('ConceptNameCodeSequence')!, [
        dataset([
          textElement(tagForKeyword('CodeValue')!, 'SH', '18842-5'),
          textElement(tagForKeyword('CodingSchemeDesignator')!, 'SH', 'LN'),
          textElement(tagForKeyword('CodeMeaning')!, 'LO', 'Discharge summary'),
        ]),
      ]),
      bytesElement(tagForKeyword('EncapsulatedDocument')!, 'OB', pdf),
    ]),
  });
}

const dir = mkdtempSync(join(tmpdir(), 'cleanroom-export-dicomdir-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let dicomdir: Uint8Array;
let written: Map<string, Uint8Array>;
/** Written DICOM files whose de-identified facts carry the SOP class, study and series UIDs. */
let recordable = 0;

beforeAll(async () => {
  const bytesOf = new Map<string, Uint8Array>();
  const rows: (InstanceRow & { fileId: string })[] = [];
  const inputs: [string, Uint8Array][] = readdirSync(samples)
    .filter((n) => n.endsWith('.dcm'))
    .map((n) => [n, new Uint8Array(readFileSync(join(samples, n)))]);
  inputs.push(['encapsulated.pdf.dcm', encapsulatedPdf()]);
  for (const [path, bytes] of inputs) {
    try {
      const file = await readDicomFile(bytes);
      rows.push({ ...indexRow(file, path, { fileSize: bytes.length }), fileId: path });
      bytesOf.set(path, bytes);
    } catch {
      // Files the scan would reject are not selected.
    }
  }
  rows.sort((a, b) => (a.path < b.path ? -1 : 1));
  const recipe = defaultRecipe();
  recipe.package = { ...recipe.package, dicomdir: true, volumeSize: undefined };
  const plan = await planExport(
    rows,
    recipe,
    new Uint8Array(32).fill(3),
    async (row) => bytesOf.get(row.fileId)!.slice().buffer,
    'dicomdir-test',
  );
  const chunks: Uint8Array[] = [];
  const result = await runExport({
    planned: plan.planned,
    setup: plan.setup,
    deid: (job: DeidJob) => deidWorkerApi.deidentifyFile(job),
    window: 2,
    recipe,
    recipeSha256: await recipeHash(recipe),
    appVersion: 'test',
    writeVolume: async (_name, volume) => {
      for await (const c of volume) chunks.push(c.slice());
    },
  });
  recordable = result.manifest.files.filter((f) => f.SOPClassUID && f.study && f.series).length;
  written = new Map();
  const zip = new Blob(chunks as Uint8Array<ArrayBuffer>[]);
  for await (const e of readZipEntries(zip)) written.set(e.name, await e.data());
  dicomdir = written.get(DICOMDIR_NAME)!;
  writeFileSync(join(dir, DICOMDIR_NAME), dicomdir);
  // The referenced files beside it, so dcmdump can resolve each record's File ID.
  for (const [name, bytes] of written) {
    if (!name.startsWith('DICOM/')) continue;
    const target = join(dir, name);
    spawnSync('mkdir', ['-p', join(target, '..')]);
    writeFileSync(target, bytes);
  }
}, 120_000);

const has = (tool: string) => spawnSync(tool, ['--version']).error === undefined;

/** Record types and their key names, from dcmdump's listing of the DICOMDIR. */
function dump(): string {
  const run = spawnSync('dcmdump', ['-dc', join(dir, DICOMDIR_NAME)], { encoding: 'utf8' });
  expect(run.status).toBe(0);
  return run.stdout + run.stderr;
}

describe('DICOMDIR over the sample collection', () => {
  it.skipIf(!has('dcmdump'))(
    'gives SR, encapsulated PDF, RT and waveform objects their own record types with their keys, and dcmdump reads it without a warning',
    () => {
      const out = dump();
      expect(out).not.toMatch(/^[EW]:/m);
      for (const type of [
        'IMAGE',
        'SR DOCUMENT',
        'ENCAP DOC',
        'RT DOSE',
        'RT PLAN',
        'RT STRUCTURE SET',
        'WAVEFORM',
      ])
        expect(out, type).toContain(`CS [${type}`);
      for (const keyword of [
        'CompletionFlag',
        'VerificationFlag',
        'ConceptNameCodeSequence',
        'DocumentTitle',
        'MIMETypeOfEncapsulatedDocument',
        'DoseSummationType',
        'RTPlanLabel',
        'StructureSetLabel',
        'ContentDate',
      ])
        expect(out, keyword).toContain(keyword);
      // Every DICOM entry with the UIDs a record needs has exactly one record.
      expect(out.match(/ReferencedFileID/g)).toHaveLength(recordable);
      expect(recordable).toBeGreaterThan(40);
    },
  );

  it.skipIf(!has('dciodvfy'))('dciodvfy finds no error in the Basic Directory IOD', () => {
    const run = spawnSync('dciodvfy', [join(dir, DICOMDIR_NAME)], { encoding: 'utf8' });
    const out = run.stdout + run.stderr;
    expect(out).toMatch(/BasicDirectory/);
    expect(out.split('\n').filter((l) => /^Error/.test(l))).toEqual([]);
  });

  it('keeps no original identifier of the PDF in the DICOMDIR', () => {
    const text = new TextDecoder('latin1').decode(dicomdir);
    expect(text).not.toContain('DOC-PATIENT-1');
    expect(text).not.toContain('Doe^Jane');
    expect(text).toContain('application/pdf');
  });
});
