import { describe, expect, it } from 'vitest';
import type { OcrWord, PhiContext } from './types';
import { classifyWords, REASONS } from './classify';
import { defaultSafeTokens } from './safe-tokens';

const IDS = [
  'QUIXOTEHART^ALBERTO^J',
  '00731904',
  'MRN-QX-731904',
  '19610312',
  '20210304',
  'A12345678',
];

function line(texts: string[], y = 10, h = 12): OcrWord[] {
  let x = 5;
  return texts.map((text) => {
    const w = text.length * 8;
    const word = { text, confidence: 90, box: { x, y, w, h } };
    x += w + 8;
    return word;
  });
}

const identifiers: PhiContext = {
  mode: 'identifiers',
  identifiers: IDS,
  safeTokens: defaultSafeTokens('US'),
};
const allText: PhiContext = {
  mode: 'all-text',
  identifiers: IDS,
  safeTokens: defaultSafeTokens('US'),
};
const flagged = (texts: string[], ctx = identifiers) => classifyWords(line(texts), ctx).length > 0;

describe('classifyWords, identifiers mode', () => {
  it('name parts match in any order, with ^, comma or space', () => {
    for (const t of [
      ['QUIXOTEHART', 'ALBERTO'],
      ['ALBERTO', 'QUIXOTEHART'],
      ['QUIXOTEHART,', 'ALBERTO'],
      ['QUIXOTEHART^ALBERTO'],
      ['quixotehart'],
    ])
      expect(flagged(t), t.join(' ')).toBe(true);
  });

  it('names match through OCR confusions (N read as M, one letter wrong)', () => {
    expect(flagged(['QUIXOTEHART'.replace('H', 'N')])).toBe(true);
    expect(flagged(['ALBERT0'])).toBe(true);
  });

  it('patient dates match as YYYYMMDD, DD/MM/YYYY, DD.MM.YYYY, YYYY-MM-DD, MM/DD/YYYY, 12-MAR-1961, 12 MAR 1961', () => {
    for (const t of [
      ['19610312'],
      ['12/03/1961'],
      ['12.03.1961'],
      ['1961-03-12'],
      ['03/12/1961'],
      ['12-MAR-1961'],
      ['12', 'MAR', '1961'],
      ['12MAR1961'],
    ])
      expect(flagged(t), t.join(' ')).toBe(true);
    const [box] = classifyWords(line(['DOB', '12.03.1961']), identifiers);
    expect(box.reason).toBe(REASONS.date);
  });

  it('IDs match with and without leading zeros and dashes', () => {
    for (const t of [['00731904'], ['731904'], ['MRN-QX-731904'], ['MRNQX731904'], ['A12345678']])
      expect(flagged(t), t[0]).toBe(true);
  });

  it('generic date, ID and name patterns are flagged for people not in the header', () => {
    expect(classifyWords(line(['04/05/1999']), identifiers)[0].reason).toBe(REASONS.datePattern);
    expect(classifyWords(line(['7', 'JUN', '2002']), identifiers)[0].reason).toBe(
      REASONS.datePattern,
    );
    expect(classifyWords(line(['55512345']), identifiers)[0].reason).toBe(REASONS.idPattern);
    expect(classifyWords(line(['MRN-88-123456']), identifiers)[0].reason).toBe(REASONS.idPattern);
    expect(classifyWords(line(['NAME:', 'SMITHSON', 'JOHN']), identifiers)[0].reason).toBe(
      REASONS.namePattern,
    );
    expect(classifyWords(line(['SMITHSON,', 'JOHN']), identifiers)[0].reason).toBe(
      REASONS.namePattern,
    );
  });

  it('a month read with a zero for its O (26-0CT-2818) is still a date pattern', () => {
    expect(classifyWords(line(['26-0CT-2818']), identifiers)[0].reason).toBe(REASONS.datePattern);
    expect(classifyWords(line(['3-N0V-1990']), identifiers)[0].reason).toBe(REASONS.datePattern);
  });

  it('measurements, labels and short numbers are not flagged in identifiers mode', () => {
    for (const t of [['GAIN', '50'], ['DEPTH', '12', 'CM'], ['5.0', 'MHZ'], ['ABDOMEN'], ['12:30']])
      expect(flagged(t), t.join(' ')).toBe(false);
  });
});

describe('classifyWords, all-text mode', () => {
  it('safe tokens are kept: orientation, units, labels, scale numbers, numbers with units', () => {
    expect(
      classifyWords(
        line(['L', 'R', 'GAIN', '50', 'DEPTH', '12CM', '5MHZ', 'FPS', '30', '-10']),
        allText,
      ),
    ).toEqual([]);
  });

  it('every other word is redacted', () => {
    const boxes = classifyWords(line(['LIVER', 'SAGITTAL']), allText);
    expect(boxes).toHaveLength(1);
    expect(boxes[0].reason).toBe(REASONS.allText);
  });
});

describe('classifyWords boxes', () => {
  it('reasons never carry the text', () => {
    const words = [
      ...line(['QUIXOTEHART', 'ALBERTO']),
      ...line(['731904'], 40),
      ...line(['12.03.1961'], 70),
      ...line(['NAME:', 'SMITHSON'], 100),
    ];
    const all = [...classifyWords(words, identifiers), ...classifyWords(words, allText)];
    expect(all.length).toBeGreaterThan(3);
    const known = new Set(Object.values(REASONS));
    for (const b of all) {
      for (const part of b.reason.split('; ')) expect(known.has(part as never)).toBe(true);
      for (const w of words.filter((x) => x.text !== 'NAME:'))
        expect(b.reason.toUpperCase()).not.toContain(w.text.toUpperCase().replace(/[:,]/g, ''));
    }
  });

  it('neighbouring words of one line merge into one padded box; other lines stay apart', () => {
    const boxes = classifyWords(
      [...line(['QUIXOTEHART', 'ALBERTO']), ...line(['731904'], 40)],
      identifiers,
    );
    expect(boxes).toHaveLength(2);
    const name = boxes.find((b) => b.y < 20)!;
    expect(name.x).toBe(3);
    expect(name.y).toBe(8);
    expect(name.w).toBe(88 + 8 + 56 + 4);
    expect(name.h).toBe(16);
    expect(name.source).toBe('ocr');
  });
});
