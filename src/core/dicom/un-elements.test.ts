// Standard elements a converter stored as UN are read by the dictionary's VR, so no rule is blind
// to them: a UN-coded sequence's items (implicit VR little endian, PS3.5 6.2.2) are read as items.
import { describe, expect, it } from 'vitest';
import { readDicom } from './read';
import { writeDicomFile } from './write';
import type { DataElement, Dataset } from './types';

const ascii = (s: string) => new TextEncoder().encode(s.length % 2 ? `${s}\0` : s);

/** One implicit VR little endian item holding (0008,1155) = uid, as a UN value carries it. */
function implicitItem(uid: string): Uint8Array {
  const value = ascii(uid);
  const out = new Uint8Array(8 + 8 + value.length);
  const view = new DataView(out.buffer);
  view.setUint16(0, 0xfffe, true);
  view.setUint16(2, 0xe000, true);
  view.setUint32(4, 8 + value.length, true);
  view.setUint16(8, 0x0008, true);
  view.setUint16(10, 0x1155, true);
  view.setUint32(12, value.length, true);
  out.set(value, 16);
  return out;
}

function fileWith(...elements: DataElement[]): Dataset {
  const ds: Dataset = new Map();
  ds.set(0x00080016, { tag: 0x00080016, vr: 'UI', bytes: ascii('1.2.840.10008.5.1.4.1.1.481.2') });
  ds.set(0x00080018, { tag: 0x00080018, vr: 'UI', bytes: ascii('1.2.3.4') });
  for (const el of elements) ds.set(el.tag, el);
  return readDicom(writeDicomFile({ dataset: ds, transferSyntaxUID: '1.2.840.10008.1.2.1' }))
    .dataset;
}

describe('standard elements stored as UN', () => {
  it('a UN-coded sequence of defined length is read as a sequence, its items and UIDs visible', () => {
    const ds = fileWith({ tag: 0x300c0002, vr: 'UN', bytes: implicitItem('1.2.99.7') });
    const seq = ds.get(0x300c0002);
    expect(seq?.vr).toBe('SQ');
    expect(seq?.items).toHaveLength(1);
    const uid = seq?.items?.[0].get(0x00081155)?.bytes;
    expect(new TextDecoder().decode(uid).replace(/\0$/, '')).toBe('1.2.99.7');
  });

  it('a UN-coded value of a known element takes the dictionary VR, bytes unchanged', () => {
    const ds = fileWith({ tag: 0x00080060, vr: 'UN', bytes: ascii('CT') });
    expect(ds.get(0x00080060)).toMatchObject({ vr: 'CS', bytes: ascii('CT') });
  });

  it('private and unknown elements stay UN', () => {
    const ds = fileWith(
      { tag: 0x00090010, vr: 'LO', bytes: ascii('ACME') },
      { tag: 0x00091001, vr: 'UN', bytes: ascii('opaque') },
      { tag: 0x0008fff0, vr: 'UN', bytes: ascii('nobody knows') },
    );
    expect(ds.get(0x00091001)?.vr).toBe('UN');
    expect(ds.get(0x0008fff0)?.vr).toBe('UN');
  });

  it('a UN value under a sequence tag that holds no items stays UN bytes, and the file still reads', () => {
    const ds = fileWith({ tag: 0x300c0002, vr: 'UN', bytes: ascii('not items!') });
    expect(ds.get(0x300c0002)).toMatchObject({ vr: 'UN', bytes: ascii('not items!') });
  });
});
