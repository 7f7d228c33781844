// Tests of the DICOMDIR writer: record tree, offsets that land on records, File ID rules, and dcmtk's
// dcmdump and dicom3tools' dciodvfy as independent readers (skipped when not installed).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readDicomFile } from '../dicom/read';
import { getText, getUid } from '../dicom/element';
import { tagForKeyword } from '../dicom/dictionary';
import type { Dataset } from '../dicom/types';
import {
  buildDicomdir,
  checkFileId,
  DicomdirError,
  FileIdAllocator,
  MEDIA_STORAGE_DIRECTORY_SOP_CLASS,
  type DicomdirFile,
} from './dicomdir';

const CT = '1.2.840.10008.5.1.4.1.1.2';
const ELE = '1.2.840.10008.1.2.1';

function file(
  p: number,
  st: number,
  se: number,
  im: number,
  extra: Partial<DicomdirFile> = {},
): DicomdirFile {
  return {
    fileId: ['DICOM', `PA00000${p}`, `ST00000${st}`, `SE00000${se}`, `IM00000${im}`],
    PatientID: `SITE-00000${p}`,
    PatientName: `SITE-00000${p}`,
    StudyInstanceUID: `2.25.${p}${st}`,
    StudyDate: '20190102',
    StudyTime: '101010',
    StudyDescription: 'CHEST',
    StudyID: 'ab12',
    AccessionNumber: '0123456789abcdef',
    SeriesInstanceUID: `2.25.${p}${st}${se}`,
    Modality: 'CT',
    SeriesNumber: String(se),
    SOPClassUID: CT,
    SOPInstanceUID: `2.25.${p}${st}${se}${im}`,
    TransferSyntaxUID: ELE,
    InstanceNumber: String(im),
    ...extra,
  };
}

const FILES = [
  file(1, 1, 1, 1),
  file(1, 1, 1, 2),
  file(1, 1, 2, 1),
  file(1, 2, 1, 1),
  file(2, 1, 1, 1, { StudyDescription: 'Thorax ä' }),
];

interface RawRecord {
  offset: number;
  type: string;
  next: number;
  lower: number;
  fileId?: string;
}

/** Walks the record items of an Explicit VR LE DICOMDIR on its own, from the raw bytes. */
function rawRecords(bytes: Uint8Array): RawRecord[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = (at: number, n: number) =>
    new TextDecoder().decode(bytes.subarray(at, at + n)).replace(/[\0 ]+$/, '');
  // Find the DirectoryRecordSequence header (0004,1220) SQ with undefined length.
  let p = 132;
  for (; p < bytes.length - 12; p++)
    if (view.getUint16(p, true) === 0x0004 && view.getUint16(p + 2, true) === 0x1220) break;
  p += 12;
  const out: RawRecord[] = [];
  while (!(view.getUint16(p, true) === 0xfffe && view.getUint16(p + 2, true) === 0xe0dd)) {
    expect(view.getUint16(p + 2, true)).toBe(0xe000);
    const record: RawRecord = { offset: p, type: '', next: -1, lower: -1 };
    p += 8;
    while (!(view.getUint16(p, true) === 0xfffe && view.getUint16(p + 2, true) === 0xe00d)) {
      const tag = (view.getUint16(p, true) << 16) | view.getUint16(p + 2, true);
      const vr = text(p + 4, 2);
      const long = ['OB', 'OW', 'SQ', 'UN', 'UT', 'UC', 'UR'].includes(vr);
      const length = long ? view.getUint32(p + 8, true) : view.getUint16(p + 6, true);
      const value = p + (long ? 12 : 8);
      if (tag === 0x00041400) record.next = view.getUint32(value, true);
      if (tag === 0x00041420) record.lower = view.getUint32(value, true);
      if (tag === 0x00041430) record.type = text(value, length);
      if (tag === 0x00041500) record.fileId = text(value, length);
      p = value + length;
    }
    p += 8;
    out.push(record);
  }
  return out;
}

describe('buildDicomdir', () => {
  it('writes a Part 10 file of the Media Storage Directory class with one record per entity', async () => {
    const bytes = await buildDicomdir(FILES, { fileSetId: 'cleanroom-dataset' });
    const parsed = await readDicomFile(bytes);
    expect(getUid(parsed.meta, 0x00020002)).toBe(MEDIA_STORAGE_DIRECTORY_SOP_CLASS);
    expect(getUid(parsed.meta, 0x00020003)).toMatch(/^2\.25\.[0-9]+$/);
    expect(getText(parsed.dataset, 0x00041130)).toBe('CLEANROOM_DATASE');
    const records = rawRecords(bytes);
    expect(records.map((r) => r.type)).toEqual([
      'PATIENT',
      'STUDY',
      'SERIES',
      'IMAGE',
      'IMAGE',
      'SERIES',
      'IMAGE',
      'STUDY',
      'SERIES',
      'IMAGE',
      'PATIENT',
      'STUDY',
      'SERIES',
      'IMAGE',
    ]);
  });

  it('offsets point at the item tag of the record they name, from the first byte of the file', async () => {
    const bytes = await buildDicomdir(FILES, { fileSetId: 'x' });
    const records = rawRecords(bytes);
    const at = new Map(records.map((r) => [r.offset, r]));
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    const parsed = await readDicomFile(bytes);
    const first = parsed.dataset.get(0x00041200)!.bytes!;
    const last = parsed.dataset.get(0x00041202)!.bytes!;
    const firstOffset = new DataView(first.buffer, first.byteOffset).getUint32(0, true);
    const lastOffset = new DataView(last.buffer, last.byteOffset).getUint32(0, true);
    expect(view.getUint32(firstOffset, true)).toBe(0xe000fffe);
    // Walk the tree through the offsets alone: it must give back every file in order.
    const fileIds: string[] = [];
    const walk = (offset: number, depth: number): number => {
      let count = 0;
      for (let o = offset; o !== 0; o = at.get(o)!.next) {
        const r = at.get(o);
        expect(r, `offset ${o} is a record`).toBeDefined();
        expect(r!.type).toBe(['PATIENT', 'STUDY', 'SERIES', 'IMAGE'][depth]);
        if (r!.fileId) fileIds.push(r!.fileId);
        if (r!.lower !== 0) walk(r!.lower, depth + 1);
        else expect(r!.type).toBe('IMAGE');
        count++;
        if (at.get(o)!.next === 0 && depth === 0) expect(o).toBe(lastOffset);
      }
      return count;
    };
    expect(walk(firstOffset, 0)).toBe(2);
    expect(fileIds).toEqual(FILES.map((f) => f.fileId.join('\\')));
  });

  it('marks a record holding non-ASCII text as UTF-8 (ISO_IR 192) and no other', async () => {
    const parsed = await readDicomFile(await buildDicomdir(FILES, { fileSetId: 'x' }));
    const items = parsed.dataset.get(0x00041220)!.items!;
    const marked = items.filter((i) => i.has(0x00080005));
    expect(marked).toHaveLength(1);
    expect(getText(marked[0], 0x00080005)).toBe('ISO_IR 192');
    expect(getText(marked[0], 0x00081030, ['ISO_IR 192'])).toBe('Thorax ä');
  });

  it('is deterministic: the same files give the same bytes', async () => {
    const a = await buildDicomdir(FILES, { fileSetId: 'x' });
    const b = await buildDicomdir(
      FILES.map((f) => ({ ...f })),
      { fileSetId: 'x' },
    );
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });

  it('refuses File IDs that are not ISO 9660 level 1 (8 characters A-Z 0-9 _, 8 levels)', () => {
    expect(() => checkFileId(['DICOM', 'SITE-001'])).toThrow(DicomdirError);
    expect(() => checkFileId(['DICOM', 'abc'])).toThrow(DicomdirError);
    expect(() => checkFileId(['00001.DCM'])).toThrow(DicomdirError);
    expect(() => checkFileId(Array.from({ length: 9 }, () => 'A'))).toThrow(DicomdirError);
    expect(() => checkFileId(['DICOM', 'PA000001', 'IM000001'])).not.toThrow();
  });
});

describe('FileIdAllocator', () => {
  it('numbers patients, studies, series and files in the order given, restarting under each parent', () => {
    const a = new FileIdAllocator();
    const ids = [
      a.allocate({ patient: 'p1', study: '1', series: 's1' }),
      a.allocate({ patient: 'p1', study: '1', series: 's1' }),
      a.allocate({ patient: 'p1', study: '1', series: 's2' }),
      a.allocate({ patient: 'p1', study: '2', series: 's1' }),
      a.allocate({ patient: 'p2', study: '1', series: 's1' }),
    ].map((c) => c.join('/'));
    expect(ids).toEqual([
      'DICOM/PA000001/ST000001/SE000001/IM000001',
      'DICOM/PA000001/ST000001/SE000001/IM000002',
      'DICOM/PA000001/ST000001/SE000002/IM000001',
      'DICOM/PA000001/ST000002/SE000001/IM000001',
      'DICOM/PA000002/ST000001/SE000001/IM000001',
    ]);
  });
});

const SR = '1.2.840.10008.5.1.4.1.1.88.33';
const PDF = '1.2.840.10008.5.1.4.1.1.104.1';
const RT_DOSE = '1.2.840.10008.5.1.4.1.1.481.2';

/** A patient with an SR, an encapsulated PDF and an RT dose beside the images. */
const MIXED: DicomdirFile[] = [
  ...FILES,
  file(3, 1, 1, 1, {
    SOPClassUID: SR,
    Modality: 'SR',
    keys: {
      CompletionFlag: 'COMPLETE',
      VerificationFlag: 'VERIFIED',
      ContentDate: '20190102',
      ContentTime: '10:10:10',
      VerificationDateTime: '20190102101010',
      'ConceptNameCodeSequence > CodeValue': '18748-4',
      'ConceptNameCodeSequence > CodingSchemeDesignator': 'LN',
      'ConceptNameCodeSequence > CodeMeaning': 'Diagnostic Imaging Report',
    },
  }),
  file(3, 1, 2, 1, {
    SOPClassUID: PDF,
    Modality: 'DOC',
    InstanceNumber: undefined,
    keys: { MIMETypeOfEncapsulatedDocument: 'application/pdf', ContentDate: '20190102' },
  }),
  file(3, 1, 3, 1, {
    SOPClassUID: RT_DOSE,
    Modality: 'RTDOSE',
    keys: { DoseSummationType: 'PLAN' },
  }),
];

/** The record items of a written DICOMDIR, parsed back. */
async function recordItems(bytes: Uint8Array): Promise<Dataset[]> {
  const parsed = await readDicomFile(bytes);
  return parsed.dataset.get(0x00041220)?.items ?? [];
}

const text = (ds: Dataset, keyword: string): string | undefined =>
  getText(ds, tagForKeyword(keyword)!);

describe('instance records by SOP class', () => {
  it('an SR gets an SR DOCUMENT record with its flags, content date and time and concept name', async () => {
    const items = await recordItems(await buildDicomdir(MIXED, { fileSetId: 'x' }));
    const sr = items.find((r) => text(r, 'DirectoryRecordType') === 'SR DOCUMENT')!;
    expect(sr).toBeDefined();
    expect(text(sr, 'CompletionFlag')).toBe('COMPLETE');
    expect(text(sr, 'VerificationFlag')).toBe('VERIFIED');
    expect(text(sr, 'ContentDate')).toBe('20190102');
    // An old-style time with colons is written as the TM VR requires.
    expect(text(sr, 'ContentTime')).toBe('101010');
    expect(text(sr, 'VerificationDateTime')).toBe('20190102101010');
    const code = sr.get(tagForKeyword('ConceptNameCodeSequence')!)?.items ?? [];
    expect(code).toHaveLength(1);
    expect(text(code[0], 'CodeValue')).toBe('18748-4');
    expect(text(code[0], 'CodingSchemeDesignator')).toBe('LN');
    expect(text(code[0], 'CodeMeaning')).toBe('Diagnostic Imaging Report');
  });

  it('an encapsulated PDF gets an ENCAP DOC record with its MIME type and an empty DocumentTitle when it has none', async () => {
    const items = await recordItems(await buildDicomdir(MIXED, { fileSetId: 'x' }));
    const doc = items.find((r) => text(r, 'DirectoryRecordType') === 'ENCAP DOC')!;
    expect(text(doc, 'MIMETypeOfEncapsulatedDocument')).toBe('application/pdf');
    expect(doc.has(tagForKeyword('DocumentTitle')!)).toBe(true);
    expect(text(doc, 'DocumentTitle') ?? '').toBe('');
    expect(doc.get(tagForKeyword('ConceptNameCodeSequence')!)?.items).toEqual([]);
    // InstanceNumber is Type 1: a file without one gets its place in its series.
    expect(text(doc, 'InstanceNumber')).toBe('1');
  });

  it('an RT dose gets an RT DOSE record with DoseSummationType', async () => {
    const items = await recordItems(await buildDicomdir(MIXED, { fileSetId: 'x' }));
    const dose = items.find((r) => text(r, 'DirectoryRecordType') === 'RT DOSE')!;
    expect(text(dose, 'DoseSummationType')).toBe('PLAN');
    expect(text(dose, 'ReferencedSOPClassUIDInFile')).toBe(RT_DOSE);
  });

  it("a Type 1 key the file lacks gets the de-identifier's dummy or the record's place, never an empty value", async () => {
    const bare = file(4, 1, 1, 1, {
      StudyDate: undefined,
      StudyTime: '',
      StudyID: undefined,
      Modality: undefined,
      SeriesNumber: undefined,
    });
    const items = await recordItems(await buildDicomdir([bare], { fileSetId: 'x' }));
    const study = items.find((r) => text(r, 'DirectoryRecordType') === 'STUDY')!;
    expect(text(study, 'StudyDate')).toMatch(/^\d{8}$/);
    expect(text(study, 'StudyTime')).toMatch(/^\d{6}/);
    expect(text(study, 'StudyID')).toBe('ANONYMIZED');
    const series = items.find((r) => text(r, 'DirectoryRecordType') === 'SERIES')!;
    expect(text(series, 'Modality')).toBe('OT');
    expect(text(series, 'SeriesNumber')).toBe('1');
  });
});

describe('DICOMDIR with real tools', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cleanroom-dicomdir-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const has = (tool: string) => spawnSync(tool, ['--version']).error === undefined;

  it.skipIf(!has('dcmdump'))('dcmdump reads it without an error', async () => {
    const path = join(dir, 'DICOMDIR');
    writeFileSync(path, await buildDicomdir(FILES, { fileSetId: 'x' }));
    const run = spawnSync('dcmdump', ['-dc', path], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stdout + run.stderr).not.toMatch(/^[EW]:/m);
    // dcmdump prints each record's offset and, for an image, the File ID it resolves.
    expect(run.stdout.match(/CS \[IMAGE \]/g)).toHaveLength(5);
    expect(
      run.stdout.match(/refFileID="DICOM\\PA000001\\ST000001\\SE000001\\IM000001 ?"/g),
    ).toHaveLength(1);
  });

  it.skipIf(!has('dciodvfy'))(
    'dciodvfy finds no error in SR DOCUMENT, ENCAP DOC and RT DOSE records',
    async () => {
      const path = join(dir, 'DICOMDIR-mixed');
      writeFileSync(path, await buildDicomdir(MIXED, { fileSetId: 'x' }));
      const run = spawnSync('dciodvfy', [path], { encoding: 'utf8' });
      const out = run.stdout + run.stderr;
      expect(out).toMatch(/BasicDirectory/);
      expect(out.split('\n').filter((l) => /^Error/.test(l))).toEqual([]);
    },
  );

  it.skipIf(!has('dciodvfy'))('dciodvfy finds no error in the Basic Directory IOD', async () => {
    const path = join(dir, 'DICOMDIR');
    writeFileSync(path, await buildDicomdir(FILES, { fileSetId: 'x' }));
    const run = spawnSync('dciodvfy', [path], { encoding: 'utf8' });
    const out = run.stdout + run.stderr;
    expect(out).toMatch(/BasicDirectory/);
    expect(out.split('\n').filter((l) => /^Error/.test(l))).toEqual([]);
  });
});
