// Tests of text decoding by Specific Character Set (fixtures after PS3.5 Annexes H, I, J and K) and of UTF-8 encoding.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { getText, textElement, sequenceElement, datasetFromEntries } from './element';
import { readDicom } from './read';
import { charsetsOf, decodeText, encodeText } from './text';

const ESC = 0x1b;
const bytes = (...parts: (number | string)[]): Uint8Array =>
  Uint8Array.from(
    parts.flatMap((p) => (typeof p === 'string' ? Array.from(p, (c) => c.charCodeAt(0)) : [p])),
  );
const toJIS = [ESC, 0x24, 0x42];
const toASCII = [ESC, 0x28, 0x42];
const toRomaji = [ESC, 0x28, 0x4a];
const toKSX1001 = [ESC, 0x24, 0x29, 0x43];

describe('decodeText: default repertoire and single-byte character sets', () => {
  it('decodes the default repertoire (no Specific Character Set) as ASCII', () => {
    expect(decodeText(bytes('Doe^John'), [], 'PN')).toBe('Doe^John');
  });

  it('keeps bytes above 127 without a character set readable as Latin-1 rather than dropping them', () => {
    expect(decodeText(bytes('Buc^J', 0xe9, 'r', 0xf4, 'me'), [], 'PN')).toBe('Buc^Jérôme');
  });

  it('ISO_IR 100 is Latin-1 (PS3.5 Annex K example)', () => {
    expect(decodeText(bytes('Buc^J', 0xe9, 'r', 0xf4, 'me'), ['ISO_IR 100'], 'PN')).toBe(
      'Buc^Jérôme',
    );
  });

  it('ISO_IR 101, 109, 110, 148 are Latin-2, -3, -4, -5', () => {
    expect(decodeText(bytes('Wa', 0xb3, 0xea, 'sa'), ['ISO_IR 101'], 'PN')).toBe('Wałęsa');
    expect(decodeText(bytes(0xe6), ['ISO_IR 109'], 'LO')).toBe('ĉ');
    expect(decodeText(bytes(0xe0), ['ISO_IR 110'], 'LO')).toBe('ā');
    expect(decodeText(bytes(0xfe, 0xf0), ['ISO_IR 148'], 'LO')).toBe('şğ');
  });

  it('ISO_IR 144, 127, 126, 138, 166 are Cyrillic, Arabic, Greek, Hebrew and Thai', () => {
    expect(decodeText(bytes(0xbb, 0xee, 0xda), ['ISO_IR 144'], 'PN')).toBe('Люк');
    expect(
      decodeText(
        bytes(0xe2, 0xc8, 0xc7, 0xe6, 0xea, '^', 0xe4, 0xe6, 0xd2, 0xc7, 0xd1),
        ['ISO_IR 127'],
        'PN',
      ),
    ).toBe('قباني^لنزار');
    expect(
      decodeText(bytes(0xc4, 0xe9, 0xef, 0xed, 0xf5, 0xf3, 0xe9, 0xef, 0xf2), ['ISO_IR 126'], 'PN'),
    ).toBe('Διονυσιος');
    expect(
      decodeText(
        bytes(0xf9, 0xf8, 0xe5, 0xef, '^', 0xe3, 0xe1, 0xe5, 0xf8, 0xe4),
        ['ISO_IR 138'],
        'PN',
      ),
    ).toBe('שרון^דבורה');
    expect(decodeText(bytes(0xa1), ['ISO_IR 166'], 'LO')).toBe('ก');
  });

  it('ISO_IR 13 is JIS X 0201: half-width katakana', () => {
    expect(
      decodeText(bytes(0xd4, 0xcf, 0xc0, 0xde, '^', 0xc0, 0xdb, 0xb3), ['ISO_IR 13'], 'PN'),
    ).toBe('ﾔﾏﾀﾞ^ﾀﾛｳ');
  });

  it('ISO_IR 192 is UTF-8, GB18030 and GBK are Chinese multi-byte sets', () => {
    expect(
      decodeText(new TextEncoder().encode('Wang^XiaoDong=王^小東='), ['ISO_IR 192'], 'PN'),
    ).toBe('Wang^XiaoDong=王^小東=');
    expect(
      decodeText(
        bytes('Wang^XiaoDong=', 0xcd, 0xf5, '^', 0xd0, 0xa1, 0xb6, 0xab, '='),
        ['GB18030'],
        'PN',
      ),
    ).toBe('Wang^XiaoDong=王^小东=');
    expect(decodeText(bytes(0xcd, 0xf5), ['GBK'], 'LO')).toBe('王');
  });

  it('VRs outside SH, LO, ST, LT, UT, PN, UC ignore the character set', () => {
    expect(decodeText(new TextEncoder().encode('é'), ['ISO_IR 192'], 'CS')).toBe('Ã©');
  });
});

describe('decodeText: ISO 2022 code extensions', () => {
  // PS3.5 H.3.1: Yamada^Tarou=山田^太郎=やまだ^たろう
  const yamada = bytes(
    'Yamada^Tarou=',
    ...toJIS,
    0x3b,
    0x33,
    0x45,
    0x44,
    ...toASCII,
    '^',
    ...toJIS,
    0x42,
    0x40,
    0x4f,
    0x3a,
    ...toASCII,
    '=',
    ...toJIS,
    0x24,
    0x64,
    0x24,
    0x5e,
    0x24,
    0x40,
    ...toASCII,
    '^',
    ...toJIS,
    0x24,
    0x3f,
    0x24,
    0x6d,
    0x24,
    0x26,
    ...toASCII,
  );

  it('ISO 2022 IR 87 (JIS X 0208) in PN component groups; ^ inside a two-byte character is not a delimiter', () => {
    expect(decodeText(yamada, ['', 'ISO 2022 IR 87'], 'PN')).toBe(
      'Yamada^Tarou=山田^太郎=やまだ^たろう',
    );
    expect(decodeText(yamada, ['ISO 2022 IR 6', 'ISO 2022 IR 87'], 'PN')).toBe(
      'Yamada^Tarou=山田^太郎=やまだ^たろう',
    );
  });

  it('ISO 2022 IR 13 with IR 87: katakana in G1, romaji in G0 (PS3.5 H.3.2)', () => {
    const v = bytes(
      0xd4,
      0xcf,
      0xc0,
      0xde,
      '^',
      0xc0,
      0xdb,
      0xb3,
      '=',
      ...toJIS,
      0x3b,
      0x33,
      0x45,
      0x44,
      ...toRomaji,
      '^',
      ...toJIS,
      0x42,
      0x40,
      0x4f,
      0x3a,
      ...toRomaji,
      '=',
    );
    expect(decodeText(v, ['ISO 2022 IR 13', 'ISO 2022 IR 87'], 'PN')).toBe('ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=');
  });

  it('ISO 2022 IR 159 (JIS X 0212 supplementary kanji)', () => {
    expect(
      decodeText(
        bytes(...[ESC, 0x24, 0x28, 0x44], 0x30, 0x21, ...toASCII),
        ['', 'ISO 2022 IR 159'],
        'LO',
      ),
    ).toBe('丂');
  });

  it('ISO 2022 IR 149 (Korean KS X 1001 in G1, PS3.5 I.2)', () => {
    const v = bytes(
      'Hong^Gildong=',
      ...toKSX1001,
      0xfb,
      0xf3,
      '^',
      ...toKSX1001,
      0xd1,
      0xce,
      0xd4,
      0xd7,
      '=',
      ...toKSX1001,
      0xc8,
      0xab,
      '^',
      ...toKSX1001,
      0xb1,
      0xe6,
      0xb5,
      0xbf,
    );
    expect(decodeText(v, ['', 'ISO 2022 IR 149'], 'PN')).toBe('Hong^Gildong=洪^吉洞=홍^길동');
  });

  it('ISO 2022 IR 58 (Chinese GB 2312 in G1, PS3.5 J.4)', () => {
    const v = bytes(
      'Zhang^XiaoDong=',
      ESC,
      0x24,
      0x29,
      0x41,
      0xd5,
      0xc5,
      '^',
      ESC,
      0x24,
      0x29,
      0x41,
      0xd0,
      0xa1,
      0xb6,
      0xab,
      '=',
    );
    expect(decodeText(v, ['', 'ISO 2022 IR 58'], 'PN')).toBe('Zhang^XiaoDong=张^小东=');
  });

  it('ISO 2022 IR 100 as value 1 puts Latin-1 in G1; an escape may switch G1 to another 96-character set', () => {
    expect(decodeText(bytes('J', 0xe9, 'r', 0xf4, 'me'), ['ISO 2022 IR 100'], 'LO')).toBe('Jérôme');
    expect(
      decodeText(bytes(ESC, 0x2d, 0x46, 0xc4, 0xe9), ['ISO 2022 IR 100', 'ISO 2022 IR 126'], 'LO'),
    ).toBe('Δι');
  });

  it('returns to the initial character set after a line break and between values', () => {
    const v = bytes(...toJIS, 0x3b, 0x33, '\r\n', 'ab', '\\', 'cd');
    expect(decodeText(v, ['', 'ISO 2022 IR 87'], 'LT')).toBe('山\r\nab\\cd');
  });
});

describe('encodeText', () => {
  it('encodes UTF-8 padded to even length with a space', () => {
    expect(Array.from(encodeText('Doe', 'PN'))).toEqual([0x44, 0x6f, 0x65, 0x20]);
    expect(new TextDecoder().decode(encodeText('Müller', 'PN'))).toBe('Müller ');
  });

  it('pads UI values with NUL', () => {
    expect(Array.from(encodeText('1.2.3', 'UI')).at(-1)).toBe(0);
  });
});

describe('charsetsOf', () => {
  it('reads a multi-valued Specific Character Set, value 1 possibly empty', () => {
    const ds = datasetFromEntries([textElement(0x00080005, 'CS', '\\ISO 2022 IR 87')]);
    expect(charsetsOf(ds)).toEqual(['', 'ISO 2022 IR 87']);
  });

  it('lets a sequence item carry its own character set, else inherit the enclosing one', () => {
    const own = datasetFromEntries([textElement(0x00080005, 'CS', 'ISO_IR 144')]);
    const plain = datasetFromEntries([textElement(0x00100010, 'PN', 'X')]);
    const top = datasetFromEntries([
      textElement(0x00080005, 'CS', 'ISO_IR 100'),
      sequenceElement(0x00081140, [own, plain]),
    ]);
    const outer = charsetsOf(top);
    expect(outer).toEqual(['ISO_IR 100']);
    expect(charsetsOf(own, outer)).toEqual(['ISO_IR 144']);
    expect(charsetsOf(plain, outer)).toEqual(['ISO_IR 100']);
    expect(charsetsOf(plain)).toEqual([]);
  });

  it('reads the character sets of the sample files', () => {
    const read = (name: string) =>
      readDicom(
        new Uint8Array(
          readFileSync(
            fileURLToPath(new URL(`../../../test-data/dicom-samples/${name}`, import.meta.url)),
          ),
        ),
      );
    const jp = read('J2K_pixelrep_mismatch.dcm');
    expect(charsetsOf(jp.dataset)).toEqual(['ISO 2022 IR 13', 'ISO 2022 IR 87']);
    expect(getText(jp.dataset, 0x0008103e)).toBe('Lv2');
    expect(charsetsOf(read('SC_rgb_rle.dcm').dataset)).toEqual(['ISO_IR 192']);
    expect(charsetsOf(read('empty_charset_LEI.dcm').dataset)).toEqual([]);
    const ct = read('CT_small.dcm');
    expect(charsetsOf(ct.dataset)).toEqual(['ISO_IR 100']);
    expect(getText(ct.dataset, 0x00100010)).toBe('CompressedSamples^CT1');
  });
});
