// Tests of the element builders and value getters.
import { describe, expect, it } from 'vitest';
import {
  bytesElement,
  datasetFromEntries,
  getNumbers,
  getText,
  getUid,
  sequenceElement,
  textElement,
  uint16Element,
  uint32Element,
} from './element';

describe('element builders', () => {
  it('textElement encodes UTF-8 padded to even length', () => {
    const el = textElement(0x00100010, 'PN', 'Doe^Jo');
    expect(el).toMatchObject({ tag: 0x00100010, vr: 'PN' });
    expect(el.bytes?.length).toBe(6);
    expect(textElement(0x00080018, 'UI', '1.2.3').bytes?.at(-1)).toBe(0);
  });

  it('uint16Element and uint32Element write US/UL in the requested byte order', () => {
    expect(Array.from(uint16Element(0x00280010, 512).bytes ?? [])).toEqual([0x00, 0x02]);
    expect(Array.from(uint16Element(0x00280010, [1, 2], false).bytes ?? [])).toEqual([0, 1, 0, 2]);
    expect(uint16Element(0x00280010, 1).vr).toBe('US');
    expect(Array.from(uint32Element(0x00081160, 0x01020304).bytes ?? [])).toEqual([4, 3, 2, 1]);
    expect(uint32Element(0x00081160, 1, false).vr).toBe('UL');
  });

  it('bytesElement keeps the given bytes without copying; sequenceElement holds items', () => {
    const b = Uint8Array.of(1, 2);
    expect(bytesElement(0x00091001, 'OB', b).bytes).toBe(b);
    const item = datasetFromEntries([textElement(0x00100020, 'LO', 'A')]);
    expect(sequenceElement(0x00081140, [item])).toEqual({
      tag: 0x00081140,
      vr: 'SQ',
      items: [item],
    });
  });

  it('datasetFromEntries keys elements by tag', () => {
    const ds = datasetFromEntries([
      textElement(0x00100020, 'LO', 'A'),
      textElement(0x00100010, 'PN', 'B'),
    ]);
    expect([...ds.keys()]).toEqual([0x00100020, 0x00100010]);
  });
});

describe('value getters', () => {
  const ds = datasetFromEntries([
    textElement(0x00100010, 'PN', 'Doe^John  '),
    bytesElement(0x00100020, 'LO', Uint8Array.of(0x41, 0x42, 0x00)),
    textElement(0x00080018, 'UI', '1.2.3'),
    textElement(0x00280030, 'DS', '0.5\\0.25 '),
    textElement(0x00200013, 'IS', ' 7'),
    textElement(0x00201041, 'DS', ''),
    uint16Element(0x00280010, [512, 256]),
    bytesElement(0x00280106, 'SS', Uint8Array.of(0xff, 0xff)),
    bytesElement(0x00189087, 'FD', new Uint8Array(new Float64Array([1.5]).buffer)),
    bytesElement(0x00280009, 'AT', Uint8Array.of(0, 0, 0, 0)),
    sequenceElement(0x00081140, []),
  ]);

  it('getText strips trailing spaces and NULs (padding)', () => {
    expect(getText(ds, 0x00100010)).toBe('Doe^John');
    expect(getText(ds, 0x00100020)).toBe('AB');
    expect(getText(ds, 0x00990099)).toBeUndefined();
    expect(getText(ds, 0x00081140)).toBeUndefined();
  });

  it('getUid strips NUL padding', () => {
    expect(getUid(ds, 0x00080018)).toBe('1.2.3');
  });

  it('getNumbers reads US/SS/FD binary values and IS/DS text values', () => {
    expect(getNumbers(ds, 0x00280010, true)).toEqual([512, 256]);
    expect(getNumbers(ds, 0x00280010, false)).toEqual([2, 1]);
    expect(getNumbers(ds, 0x00280106, true)).toEqual([-1]);
    expect(getNumbers(ds, 0x00189087, true)).toEqual([1.5]);
    expect(getNumbers(ds, 0x00280030, true)).toEqual([0.5, 0.25]);
    expect(getNumbers(ds, 0x00200013, true)).toEqual([7]);
    expect(getNumbers(ds, 0x00201041, true)).toEqual([]);
    expect(getNumbers(ds, 0x00280009, true)).toBeUndefined();
    expect(getNumbers(ds, 0x00990099, true)).toBeUndefined();
  });
});
