// Tests of readDicom/readDicomFile: fixtures built byte by byte in code, and every sample file's expected outcome.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readDicom, readDicomFile } from './read';
import type { DataElement, Dataset, DicomFile } from './types';
import { DicomReadError, PIXEL_DATA } from './types';

// ---- a tiny byte builder, independent of write.ts ----

interface Enc {
  explicit: boolean;
  le: boolean;
}
const ELE: Enc = { explicit: true, le: true };
const ILE: Enc = { explicit: false, le: true };
const EBE: Enc = { explicit: true, le: false };
const LONG = new Set([
  'OB',
  'OD',
  'OF',
  'OL',
  'OV',
  'OW',
  'SQ',
  'UC',
  'UN',
  'UR',
  'UT',
  'SV',
  'UV',
]);
const UNDEF = 0xffffffff;

function cat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
function u16(v: number, le = true): Uint8Array {
  const b = new Uint8Array(2);
  new DataView(b.buffer).setUint16(0, v, le);
  return b;
}
function u32(v: number, le = true): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, v >>> 0, le);
  return b;
}
function ascii(s: string): Uint8Array {
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}
function tagBytes(tag: number, le: boolean): Uint8Array {
  return cat(u16(tag >>> 16, le), u16(tag & 0xffff, le));
}
/** One element; `length` overrides the value's length (undefined length, lies). */
function el(
  tag: number,
  vr: string,
  value: Uint8Array,
  enc: Enc = ELE,
  length = value.length,
): Uint8Array {
  if (!enc.explicit) return cat(tagBytes(tag, enc.le), u32(length, enc.le), value);
  if (LONG.has(vr) || vr === 'ZZ' || length === UNDEF) {
    return cat(tagBytes(tag, enc.le), ascii(vr), u16(0), u32(length, enc.le), value);
  }
  return cat(tagBytes(tag, enc.le), ascii(vr), u16(length, enc.le), value);
}
function item(content: Uint8Array, enc: Enc = ELE, undefinedLength = true): Uint8Array {
  if (!undefinedLength)
    return cat(tagBytes(0xfffee000, enc.le), u32(content.length, enc.le), content);
  return cat(
    tagBytes(0xfffee000, enc.le),
    u32(UNDEF, enc.le),
    content,
    tagBytes(0xfffee00d, enc.le),
    u32(0, enc.le),
  );
}
function sq(
  tag: number,
  items: Uint8Array[],
  enc: Enc = ELE,
  vr = 'SQ',
  undefinedLength = true,
): Uint8Array {
  const body = cat(...items);
  if (!undefinedLength) return el(tag, vr, body, enc);
  return el(tag, vr, cat(body, tagBytes(0xfffee0dd, enc.le), u32(0, enc.le)), enc, UNDEF);
}
function encapsulated(fragments: Uint8Array[], enc: Enc = ELE): Uint8Array {
  const items = fragments.map((f) => cat(tagBytes(0xfffee000, enc.le), u32(f.length, enc.le), f));
  return el(
    PIXEL_DATA,
    'OB',
    cat(...items, tagBytes(0xfffee0dd, enc.le), u32(0, enc.le)),
    enc,
    UNDEF,
  );
}
function uid(s: string): Uint8Array {
  return s.length % 2 ? cat(ascii(s), new Uint8Array(1)) : ascii(s);
}
/** Preamble, DICM and a meta group (explicit VR LE) with or without TransferSyntaxUID. */
function part10(dataset: Uint8Array, transferSyntaxUID?: string): Uint8Array {
  const metaBody = cat(
    el(0x00020001, 'OB', Uint8Array.of(0, 1)),
    el(0x00020002, 'UI', uid('1.2.840.10008.5.1.4.1.1.7')),
    el(0x00020003, 'UI', uid('1.2.3.4')),
    transferSyntaxUID ? el(0x00020010, 'UI', uid(transferSyntaxUID)) : new Uint8Array(0),
  );
  return cat(
    new Uint8Array(128),
    ascii('DICM'),
    el(0x00020000, 'UL', u32(metaBody.length)),
    metaBody,
    dataset,
  );
}

const PATIENT_ID = 0x00100020;
const PATIENT_NAME = 0x00100010;
const SOP_INSTANCE_UID = 0x00080018;
const REFERENCED_IMAGE_SEQUENCE = 0x00081140;
const ROWS = 0x00280010;

function readError(fn: () => unknown): DicomReadError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DicomReadError);
    return e as DicomReadError;
  }
  throw new Error('expected a DicomReadError');
}
async function readErrorAsync(p: Promise<unknown>): Promise<DicomReadError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(DicomReadError);
    return e as DicomReadError;
  }
  throw new Error('expected a DicomReadError');
}
function text(e: DataElement | undefined): string {
  return e?.bytes ? String.fromCharCode(...e.bytes) : '';
}

const basicDataset = (enc: Enc): Uint8Array =>
  cat(
    el(SOP_INSTANCE_UID, 'UI', uid('1.2.3.4'), enc),
    el(PATIENT_NAME, 'PN', ascii('Doe^John'), enc),
    el(ROWS, 'US', u16(512, enc.le), enc),
  );

describe('readDicom: file structure', () => {
  it('reads preamble, DICM, the meta group and the data set in the declared syntax', () => {
    const f = readDicom(part10(basicDataset(ELE), '1.2.840.10008.1.2.1'));
    expect(f.hasPreamble).toBe(true);
    expect(text(f.meta.get(0x00020010))).toBe('1.2.840.10008.1.2.1\0');
    expect(f.syntax).toMatchObject({
      explicitVR: true,
      littleEndian: true,
      deflated: false,
      encapsulated: false,
    });
    expect(text(f.dataset.get(PATIENT_NAME))).toBe('Doe^John');
    expect(f.dataset.get(ROWS)?.vr).toBe('US');
    expect(f.pixelData).toBeUndefined();
    expect(f.stoppedAtPixelData).toBe(false);
  });

  it('reads implicit VR little endian with VRs from the dictionary', () => {
    const f = readDicom(part10(basicDataset(ILE), '1.2.840.10008.1.2'));
    expect(f.syntax.explicitVR).toBe(false);
    expect(f.dataset.get(PATIENT_NAME)?.vr).toBe('PN');
    expect(f.dataset.get(ROWS)?.vr).toBe('US');
  });

  it('reads explicit VR big endian (values keep their stored byte order)', () => {
    const f = readDicom(part10(basicDataset(EBE), '1.2.840.10008.1.2.2'));
    expect(f.syntax.littleEndian).toBe(false);
    expect(Array.from(f.dataset.get(ROWS)?.bytes ?? [])).toEqual([0x02, 0x00]);
  });

  it('sniffs the encoding of a bare data set without preamble or meta', () => {
    for (const [enc, uidExpected] of [
      [ILE, '1.2.840.10008.1.2'],
      [ELE, '1.2.840.10008.1.2.1'],
      [EBE, '1.2.840.10008.1.2.2'],
    ] as const) {
      const f = readDicom(basicDataset(enc));
      expect(f.hasPreamble).toBe(false);
      expect(f.meta.size).toBe(0);
      expect(f.syntax.transferSyntaxUID).toBe(uidExpected);
      expect(text(f.dataset.get(PATIENT_NAME))).toBe('Doe^John');
    }
  });

  it('sniffs the data set when the meta group lacks TransferSyntaxUID', () => {
    const f = readDicom(part10(basicDataset(ILE)));
    expect(f.meta.size).toBeGreaterThan(0);
    expect(f.syntax.transferSyntaxUID).toBe('1.2.840.10008.1.2');
    expect(text(f.dataset.get(PATIENT_NAME))).toBe('Doe^John');
  });

  it('follows the bytes when a file declares explicit VR but is written implicit', () => {
    const f = readDicom(part10(basicDataset(ILE), '1.2.840.10008.1.2.1'));
    expect(f.syntax.explicitVR).toBe(false);
    expect(text(f.dataset.get(PATIENT_NAME))).toBe('Doe^John');
  });

  it('rejects what is not DICOM with not-dicom', () => {
    expect(
      readError(() => readDicom(ascii('%PDF-1.7 this is not a DICOM file at all, not even close')))
        .code,
    ).toBe('not-dicom');
    expect(readError(() => readDicom(new Uint8Array(0))).code).toBe('not-dicom');
  });

  it('rejects a transfer syntax outside the standard with unsupported-syntax', () => {
    const e = readError(() => readDicom(part10(basicDataset(ELE), '1.2.840.113619.5.2')));
    expect(e.code).toBe('unsupported-syntax');
    expect(e.message).toContain('1.2.840.113619.5.2');
  });

  it('refuses files above maxBytes with too-large', () => {
    expect(
      readError(() =>
        readDicom(part10(basicDataset(ELE), '1.2.840.10008.1.2.1'), { maxBytes: 100 }),
      ).code,
    ).toBe('too-large');
  });

  it('returns values as views of the input bytes, not copies', () => {
    const bytes = part10(basicDataset(ELE), '1.2.840.10008.1.2.1');
    const f = readDicom(bytes);
    const name = f.dataset.get(PATIENT_NAME)?.bytes;
    expect(name?.buffer).toBe(bytes.buffer);
    expect(f.source).toBe(bytes);
  });
});

describe('readDicom: elements', () => {
  it('reads undefined-length sequences and items nested at any depth', () => {
    let inner = el(PATIENT_ID, 'LO', ascii('DEEP'));
    for (let i = 0; i < 20; i++)
      inner = sq(REFERENCED_IMAGE_SEQUENCE, [item(inner)], ELE, 'SQ', i % 2 === 0);
    const f = readDicom(part10(cat(inner, el(ROWS, 'US', u16(1))), '1.2.840.10008.1.2.1'));
    let ds: Dataset | undefined = f.dataset;
    for (let i = 0; i < 20; i++) ds = ds?.get(REFERENCED_IMAGE_SEQUENCE)?.items?.[0];
    expect(text(ds?.get(PATIENT_ID))).toBe('DEEP');
    expect(f.dataset.has(ROWS)).toBe(true);
  });

  it('reads defined-length items and empty sequences', () => {
    const ds = cat(
      sq(0x00081110, [], ELE, 'SQ', false),
      sq(
        REFERENCED_IMAGE_SEQUENCE,
        [
          item(el(PATIENT_ID, 'LO', ascii('A1')), ELE, false),
          item(el(PATIENT_ID, 'LO', ascii('B2'))),
        ],
        ELE,
        'SQ',
        false,
      ),
    );
    const f = readDicom(part10(ds, '1.2.840.10008.1.2.1'));
    expect(f.dataset.get(0x00081110)?.items).toEqual([]);
    expect(
      f.dataset.get(REFERENCED_IMAGE_SEQUENCE)?.items?.map((i) => text(i.get(PATIENT_ID))),
    ).toEqual(['A1', 'B2']);
  });

  it('rejects nesting deeper than maxDepth with bad-sequence instead of overflowing the stack', () => {
    let inner = el(PATIENT_ID, 'LO', ascii('XX'));
    for (let i = 0; i < 100; i++) inner = sq(REFERENCED_IMAGE_SEQUENCE, [item(inner)]);
    const e = readError(() => readDicom(part10(inner, '1.2.840.10008.1.2.1')));
    expect(e.code).toBe('bad-sequence');
    expect(e.message).toContain('(0008,1140)');
    expect(() => readDicom(part10(inner, '1.2.840.10008.1.2.1'), { maxDepth: 200 })).not.toThrow();
  });

  it('parses a UN element of undefined length as an implicit VR little endian sequence', () => {
    const privateSeq = sq(
      0x00091010,
      [item(el(0x00091011, 'LO', ascii('PV'), ILE), ILE)],
      ELE,
      'UN',
    );
    const f = readDicom(
      part10(cat(el(0x00090010, 'LO', ascii('ACME')), privateSeq), '1.2.840.10008.1.2.1'),
    );
    const un = f.dataset.get(0x00091010);
    expect(un?.vr).toBe('UN');
    expect(text(un?.items?.[0].get(0x00091011))).toBe('PV');
  });

  it('keeps private tags and private creators', () => {
    const f = readDicom(
      part10(
        cat(
          el(0x00290010, 'LO', ascii('SIEMENS ')),
          el(0x00291010, 'OB', Uint8Array.of(1, 2, 3, 4)),
        ),
        '1.2.840.10008.1.2.1',
      ),
    );
    expect(text(f.dataset.get(0x00290010))).toBe('SIEMENS ');
    expect(Array.from(f.dataset.get(0x00291010)?.bytes ?? [])).toEqual([1, 2, 3, 4]);
    const g = readDicom(
      part10(
        cat(
          el(0x00290010, 'LO', ascii('SIEMENS '), ILE),
          el(0x00291010, 'OB', Uint8Array.of(1, 2), ILE),
        ),
        '1.2.840.10008.1.2',
      ),
    );
    expect(g.dataset.get(0x00290010)?.vr).toBe('LO');
    expect(g.dataset.get(0x00291010)?.vr).toBe('UN');
  });

  it('accepts odd lengths as stored', () => {
    const f = readDicom(
      part10(
        cat(el(PATIENT_ID, 'LO', ascii('ODD')), el(ROWS, 'US', u16(7))),
        '1.2.840.10008.1.2.1',
      ),
    );
    expect(text(f.dataset.get(PATIENT_ID))).toBe('ODD');
    expect(f.dataset.get(ROWS)?.bytes?.length).toBe(2);
  });

  it('reads an unknown VR in the long form as UN', () => {
    const f = readDicom(
      part10(
        cat(el(0x00091001, 'ZZ', Uint8Array.of(9, 9)), el(ROWS, 'US', u16(3))),
        '1.2.840.10008.1.2.1',
      ),
    );
    expect(f.dataset.get(0x00091001)).toMatchObject({ vr: 'UN' });
    expect(f.dataset.get(ROWS)?.bytes?.[0]).toBe(3);
  });

  it('rejects a VR that is not two letters with bad-vr naming the tag and offset', () => {
    const bad = cat(
      tagBytes(PATIENT_ID, true),
      Uint8Array.of(0x01, 0x02, 0xff, 0xff),
      u32(0xfffffff0),
    );
    const file = part10(bad, '1.2.840.10008.1.2.1');
    const e = readError(() => readDicom(file));
    expect(e.code).toBe('bad-vr');
    expect(e.tag).toBe(PATIENT_ID);
    expect(e.offset).toBe(file.length - bad.length);
    expect(e.message).toContain('(0010,0020)');
  });

  it('reads encapsulated pixel data: Basic Offset Table and fragments as stored, with its location', () => {
    const ds = cat(
      el(ROWS, 'US', u16(1)),
      encapsulated([new Uint8Array(0), Uint8Array.of(0xff, 0xd8, 0xff, 0xd9), Uint8Array.of(1, 2)]),
    );
    const bytes = part10(ds, '1.2.840.10008.1.2.4.50');
    const f = readDicom(bytes);
    expect(f.syntax.encapsulated).toBe(true);
    const px = f.dataset.get(PIXEL_DATA);
    expect(px?.fragments?.map((x) => Array.from(x))).toEqual([
      [],
      [0xff, 0xd8, 0xff, 0xd9],
      [1, 2],
    ]);
    expect(f.pixelData).toEqual({
      elementStart: bytes.length - ds.length + 10,
      valueStart: bytes.length - ds.length + 22,
      elementEnd: bytes.length,
      declaredLength: undefined,
    });
  });

  it('records the PixelData location of native pixel data in the source buffer', () => {
    const pixels = new Uint8Array(64).map((_, i) => i);
    const ds = cat(el(ROWS, 'US', u16(4)), el(PIXEL_DATA, 'OW', pixels));
    const bytes = part10(ds, '1.2.840.10008.1.2.1');
    const f = readDicom(bytes);
    const loc = f.pixelData;
    expect(loc?.declaredLength).toBe(64);
    expect(loc && f.source.subarray(loc.valueStart, loc.elementEnd)).toEqual(pixels);
    expect(loc && loc.valueStart - loc.elementStart).toBe(12);
  });

  it('reads elements after PixelData (trailing padding)', () => {
    const ds = cat(
      el(PIXEL_DATA, 'OW', new Uint8Array(8)),
      el(0xfffcfffc, 'OB', new Uint8Array(6)),
    );
    const f = readDicom(part10(ds, '1.2.840.10008.1.2.1'));
    expect(f.dataset.get(0xfffcfffc)?.bytes?.length).toBe(6);
    expect(f.pixelData?.elementEnd).toBe(f.source.length - 18);
  });

  it('reports a truncated file as truncated, naming the tag and the offset', () => {
    const bytes = part10(
      cat(el(PATIENT_ID, 'LO', ascii('ABCD')), el(PIXEL_DATA, 'OW', new Uint8Array(100))),
      '1.2.840.10008.1.2.1',
    );
    const e = readError(() => readDicom(bytes.subarray(0, bytes.length - 10)));
    expect(e.code).toBe('truncated');
    expect(e.tag).toBe(PIXEL_DATA);
    expect(e.offset).toBe(bytes.length - 112);
    expect(e.message).toContain('(7FE0,0010)');
    expect(e.message).toContain(`offset ${bytes.length - 112}`);
  });

  it('reports an item that overruns its defined-length sequence as bad-length', () => {
    const inner = item(el(PATIENT_ID, 'LO', ascii('AB')), ELE, false);
    const lying = cat(
      tagBytes(REFERENCED_IMAGE_SEQUENCE, true),
      ascii('SQ'),
      u16(0),
      u32(inner.length - 4),
      inner,
      el(ROWS, 'US', u16(1)),
    );
    expect(readError(() => readDicom(part10(lying, '1.2.840.10008.1.2.1'))).code).toBe(
      'bad-length',
    );
  });
});

describe('readDicom: header-only reads (untilPixelData)', () => {
  const pixels = new Uint8Array(4096).fill(7);
  const native = part10(
    cat(basicDataset(ELE), el(PIXEL_DATA, 'OW', pixels), el(0xfffcfffc, 'OB', new Uint8Array(4))),
    '1.2.840.10008.1.2.1',
  );
  const pixelStart = native.length - 4096 - 12 - 16;

  it('stops at PixelData: stoppedAtPixelData, the location, and nothing after it', () => {
    const f = readDicom(native, { untilPixelData: true });
    expect(f.stoppedAtPixelData).toBe(true);
    expect(f.dataset.has(PIXEL_DATA)).toBe(false);
    expect(f.dataset.has(0xfffcfffc)).toBe(false);
    expect(f.pixelData).toEqual({
      elementStart: pixelStart,
      valueStart: pixelStart + 12,
      elementEnd: pixelStart + 12 + 4096,
      declaredLength: 4096,
    });
  });

  it('works on a prefix that ends inside the pixel data; elementEnd is still known for a defined length', () => {
    const f = readDicom(native.subarray(0, pixelStart + 20), {
      untilPixelData: true,
      fileSize: native.length,
    });
    expect(f.pixelData?.elementEnd).toBe(pixelStart + 12 + 4096);
    expect(text(f.dataset.get(PATIENT_NAME))).toBe('Doe^John');
  });

  it('asks for more bytes with need-more-bytes when the prefix ends before PixelData', () => {
    const e = readError(() =>
      readDicom(native.subarray(0, pixelStart + 6), {
        untilPixelData: true,
        fileSize: native.length,
      }),
    );
    expect(e.code).toBe('need-more-bytes');
    expect(e.offset).toBe(pixelStart);
    // minBytes is a lower bound: here the 8 bytes of a short header (the VR says it needs 12).
    expect(e.minBytes).toBeGreaterThan(pixelStart + 6);
    expect(e.minBytes).toBeLessThanOrEqual(pixelStart + 12);
    const e2 = readError(() => readDicom(native.subarray(0, 200), { untilPixelData: true }));
    expect(e2.code).toBe('need-more-bytes');
    expect(e2.offset).toBeLessThanOrEqual(200);
  });

  it('asks for more bytes when a clean prefix holds no PixelData and fileSize says there is more', () => {
    const e = readError(() =>
      readDicom(native.subarray(0, pixelStart), { untilPixelData: true, fileSize: native.length }),
    );
    expect(e.code).toBe('need-more-bytes');
  });

  it('reports truncated, not need-more-bytes, once the whole file was given (fileSize reached)', () => {
    const cut = native.subarray(0, pixelStart + 6);
    expect(
      readError(() => readDicom(cut, { untilPixelData: true, fileSize: cut.length })).code,
    ).toBe('truncated');
  });

  it('leaves elementEnd undefined for encapsulated data that runs past the prefix, and finds it when it is inside', () => {
    const enc = part10(
      cat(el(ROWS, 'US', u16(1)), encapsulated([new Uint8Array(0), new Uint8Array(1000)])),
      '1.2.840.10008.1.2.4.50',
    );
    const whole = readDicom(enc, { untilPixelData: true });
    expect(whole.pixelData?.elementEnd).toBe(enc.length);
    expect(whole.pixelData?.declaredLength).toBeUndefined();
    const part = readDicom(enc.subarray(0, enc.length - 500), {
      untilPixelData: true,
      fileSize: enc.length,
    });
    expect(part.pixelData?.elementEnd).toBeUndefined();
    expect(part.pixelData?.elementStart).toBe(whole.pixelData?.elementStart);
  });
});

describe('readDicomFile: deflated data sets', () => {
  async function deflate(bytes: Uint8Array): Promise<Uint8Array> {
    const stream = new Blob([bytes as BlobPart])
      .stream()
      .pipeThrough(new CompressionStream('deflate-raw'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  }

  it('readDicom refuses a deflated syntax with unsupported-syntax; readDicomFile inflates it', async () => {
    const ds = cat(basicDataset(ELE), el(PIXEL_DATA, 'OW', new Uint8Array(16).fill(3)));
    const header = part10(new Uint8Array(0), '1.2.840.10008.1.2.1.99');
    const file = cat(header, await deflate(ds));
    expect(readError(() => readDicom(file)).code).toBe('unsupported-syntax');
    const f = await readDicomFile(file);
    expect(f.syntax.deflated).toBe(true);
    expect(f.source).toEqual(ds);
    expect(text(f.dataset.get(PATIENT_NAME))).toBe('Doe^John');
    expect(
      f.pixelData && Array.from(f.source.subarray(f.pixelData.valueStart, f.pixelData.elementEnd)),
    ).toEqual(new Array(16).fill(3));
  });

  it('reports a corrupt deflate stream as inflate-failed', async () => {
    const file = cat(
      part10(new Uint8Array(0), '1.2.840.10008.1.2.1.99'),
      Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0x00, 0x12),
    );
    expect((await readErrorAsync(readDicomFile(file))).code).toBe('inflate-failed');
  });

  it('caps the inflated size with maxBytes (too-large)', async () => {
    const file = cat(
      part10(new Uint8Array(0), '1.2.840.10008.1.2.1.99'),
      await deflate(cat(basicDataset(ELE), el(PIXEL_DATA, 'OW', new Uint8Array(200_000)))),
    );
    expect((await readErrorAsync(readDicomFile(file, { maxBytes: 100_000 }))).code).toBe(
      'too-large',
    );
  });
});

// ---- every sample file: read, or rejected with the expected error ----

const SAMPLES = fileURLToPath(new URL('../../../test-data/dicom-samples/', import.meta.url));

function listFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const p = join(dir, name);
      return statSync(p).isDirectory() ? listFiles(p) : [p];
    });
}

/**
 * Expected outcome per sample (path relative to test-data/dicom-samples). Files under
 * dicomdirtests/ not named here (the patient images and TINY_ALPHA) must read.
 */
const EXPECTED: Record<string, 'ok' | DicomReadError['code']> = {
  '693_J2KI.dcm': 'ok',
  'CT_small.dcm': 'ok',
  'ExplVR_BigEnd.dcm': 'ok',
  'ExplVR_BigEndNoMeta.dcm': 'ok', // bare big endian data set, sniffed
  'ExplVR_LitEndNoMeta.dcm': 'ok',
  'GDCMJ2K_TextGBR.dcm': 'ok',
  'J2K_pixelrep_mismatch.dcm': 'ok',
  'JPEG-lossy.dcm': 'ok',
  'JPEG2000-embedded-sequence-delimiter.dcm': 'ok', // delimiter bytes inside a fragment are data
  'JPEG2000.dcm': 'ok',
  'JPGExtended.dcm': 'ok',
  'MR_small.dcm': 'ok',
  'MR_small_RLE.dcm': 'ok',
  'MR_small_bigendian.dcm': 'ok',
  'MR_small_expb.dcm': 'ok',
  'MR_small_implicit.dcm': 'ok',
  'MR_small_jp2klossless.dcm': 'ok',
  'MR_small_jpeg_ls_lossless.dcm': 'ok',
  'MR_small_padded.dcm': 'ok', // trailing padding after PixelData
  'MR_truncated.dcm': 'truncated', // ends inside PixelData
  'README.txt': 'not-dicom',
  'SOURCES.md': 'not-dicom', // our attribution file
  'SC_jpeg_no_color_transform.dcm': 'ok',
  'SC_jpeg_no_color_transform_2.dcm': 'ok',
  'SC_rgb_dcmtk_+eb+cr.dcm': 'ok',
  'SC_rgb_dcmtk_+eb+cy+n1.dcm': 'ok',
  'SC_rgb_dcmtk_+eb+cy+n2.dcm': 'ok',
  'SC_rgb_dcmtk_+eb+cy+np.dcm': 'ok',
  'SC_rgb_dcmtk_+eb+cy+s2.dcm': 'ok',
  'SC_rgb_dcmtk_+eb+cy+s4.dcm': 'ok',
  'SC_rgb_gdcm_KY.dcm': 'ok',
  'SC_rgb_jpeg.dcm': 'ok', // PixelData written without a VR in an explicit VR file: read as implicit
  'SC_rgb_jpeg_app14_dcmd.dcm': 'ok',
  'SC_rgb_jpeg_dcmd.dcm': 'ok',
  'SC_rgb_jpeg_dcmtk.dcm': 'ok',
  'SC_rgb_jpeg_gdcm.dcm': 'ok',
  'SC_rgb_jpeg_lossy_gdcm.dcm': 'ok',
  'SC_rgb_rle.dcm': 'ok',
  'SC_rgb_rle_16bit.dcm': 'ok',
  'SC_rgb_rle_16bit_2frame.dcm': 'ok',
  'SC_rgb_rle_2frame.dcm': 'ok',
  'SC_rgb_rle_32bit.dcm': 'ok',
  'SC_rgb_rle_32bit_2frame.dcm': 'ok',
  'SC_rgb_small_odd.dcm': 'ok',
  'SC_rgb_small_odd_jpeg.dcm': 'ok',
  'SC_ybr_full_422_uncompressed.dcm': 'ok',
  'UN_sequence.dcm': 'ok', // private UN of undefined length: implicit VR LE sequence
  'badVR.dcm': 'ok',
  'dicomdirtests/DICOMDIR': 'ok',
  'dicomdirtests/DICOMDIR-bigEnd': 'ok',
  'dicomdirtests/DICOMDIR-empty.dcm': 'ok',
  'dicomdirtests/DICOMDIR-implicit': 'ok',
  'dicomdirtests/DICOMDIR-nooffset': 'truncated', // elements removed, item lengths left as they were: the last item runs past the end
  'dicomdirtests/DICOMDIR-nopatient': 'ok',
  'dicomdirtests/DICOMDIR-reordered': 'ok',
  'dicomdirtests/README.txt': 'not-dicom',
  'dicomdirtests/TINY_ALPHA/README': 'not-dicom',
  'empty_charset_LEI.dcm': 'ok',
  'image_dfl.dcm': 'ok', // deflated
  'liver_1frame.dcm': 'ok',
  'liver_expb_1frame.dcm': 'ok',
  'meta_missing_tsyntax.dcm': 'ok', // sniffed as implicit VR LE
  'nested_priv_SQ.dcm': 'ok',
  'no_meta.dcm': 'not-dicom', // one stray byte before the first element (dcmdump fails on it too)
  'no_meta_group_length.dcm': 'ok',
  'priv_SQ.dcm': 'ok',
  'reportsi.dcm': 'ok',
  'reportsi_with_empty_number_tags.dcm': 'ok',
  'rtdose.dcm': 'ok',
  'rtdose_1frame.dcm': 'ok',
  'rtdose_expb.dcm': 'ok',
  'rtdose_expb_1frame.dcm': 'ok',
  'rtdose_rle.dcm': 'ok',
  'rtdose_rle_1frame.dcm': 'ok',
  'rtplan.dcm': 'ok',
  'rtplan.dump': 'not-dicom',
  'rtplan_truncated.dcm': 'truncated',
  'rtstruct.dcm': 'ok',
  'rtstruct.dump': 'not-dicom',
  'test-SR.dcm': 'ok', // deep SR nesting
  'test1.json': 'not-dicom',
  'test_PN.json': 'not-dicom',
  'waveform_ecg.dcm': 'ok',
  'zipMR.gz': 'not-dicom',
};

function expectedFor(rel: string): 'ok' | 'unlisted' | DicomReadError['code'] {
  return EXPECTED[rel] ?? (rel.startsWith('dicomdirtests/') ? 'ok' : 'unlisted');
}

describe('sample files (test-data/dicom-samples)', () => {
  const files = listFiles(SAMPLES).map((p) => relative(SAMPLES, p).split('\\').join('/'));

  it('lists every top-level sample in the expectations table', () => {
    expect(files.filter((f) => expectedFor(f) === 'unlisted')).toEqual([]);
    expect(files.length).toBeGreaterThan(150);
  });

  it.each(files)('%s is read or rejected as expected', async (rel) => {
    const bytes = new Uint8Array(readFileSync(join(SAMPLES, rel)));
    const expected = expectedFor(rel);
    let outcome: string;
    let file: DicomFile | undefined;
    try {
      file = await readDicomFile(bytes);
      outcome = 'ok';
    } catch (e) {
      expect(e).toBeInstanceOf(DicomReadError);
      const err = e as DicomReadError;
      outcome = err.code;
      expect(err.message.length).toBeGreaterThan(10);
      if (err.code === 'truncated') expect(err.message).toMatch(/offset \d+/);
    }
    expect(outcome).toBe(expected);
    if (file?.pixelData) {
      const { elementStart, elementEnd } = file.pixelData;
      expect(elementEnd).toBeDefined();
      const view = new DataView(file.source.buffer, file.source.byteOffset);
      const le = file.syntax.littleEndian || file.syntax.deflated;
      expect(view.getUint16(elementStart, le)).toBe(0x7fe0);
      expect(view.getUint16(elementStart + 2, le)).toBe(0x0010);
    }
  });

  it('reads sample headers from growing prefixes, agreeing with the full read', async () => {
    let checked = 0;
    for (const rel of files) {
      if (expectedFor(rel) !== 'ok' || rel === 'image_dfl.dcm') continue;
      const bytes = new Uint8Array(readFileSync(join(SAMPLES, rel)));
      const full = readDicom(bytes);
      if (!full.pixelData) continue;
      let size = 256;
      let head: DicomFile | undefined;
      for (let tries = 0; !head && tries < 20; tries++) {
        try {
          head = readDicom(bytes.subarray(0, size), {
            untilPixelData: true,
            fileSize: bytes.length,
          });
        } catch (e) {
          expect((e as DicomReadError).code).toBe('need-more-bytes');
          size = Math.max(size * 2, (e as DicomReadError).minBytes ?? 0);
        }
      }
      expect(head?.stoppedAtPixelData).toBe(true);
      expect(head?.pixelData?.elementStart).toBe(full.pixelData.elementStart);
      expect(head?.pixelData?.valueStart).toBe(full.pixelData.valueStart);
      if (head?.pixelData?.elementEnd !== undefined)
        expect(head.pixelData.elementEnd).toBe(full.pixelData.elementEnd);
      const fullTags = [...full.dataset.keys()].filter((t) => t < PIXEL_DATA);
      expect([...(head?.dataset.keys() ?? [])]).toEqual(fullTags);
      checked += 1;
    }
    expect(checked).toBeGreaterThan(60);
  });
});
