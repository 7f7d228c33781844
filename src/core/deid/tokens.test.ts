import { describe, expect, it } from 'vitest';
import {
  dateTokens,
  findTokens,
  idTokens,
  mergeTokenSets,
  nameTokens,
  placeTokens,
  scrubText,
} from './tokens';

describe('identifier tokens', () => {
  it('name tokens: family, given and middle parts, not prefixes or suffixes', () => {
    const tokens = nameTokens('Smith-Jones^John^Quincy^Dr^Jr');
    expect(tokens).toEqual(
      expect.arrayContaining(['SMITH-JONES', 'SMITH', 'JONES', 'JOHN', 'QUINCY']),
    );
    expect(tokens).not.toContain('DR');
    expect(tokens).not.toContain('JR');
  });

  it('name tokens: diacritic-free forms are added', () => {
    expect(nameTokens('Müller^Jürgen')).toEqual(
      expect.arrayContaining(['MÜLLER', 'MULLER', 'JURGEN']),
    );
  });

  it('ID tokens: as written, without separators, without leading zeros', () => {
    expect(idTokens('00-123-456')).toEqual(
      expect.arrayContaining(['00-123-456', '00123456', '123456']),
    );
  });

  it('birth date tokens: the usual ways of writing a date', () => {
    const tokens = dateTokens('19610312');
    for (const form of [
      '19610312',
      '1961-03-12',
      '12/03/1961',
      '03/12/1961',
      '12.03.1961',
      '12 MAR 1961',
      'MARCH 12, 1961',
    ]) {
      expect(tokens).toContain(form);
    }
    expect(dateTokens('not a date')).toEqual([]);
  });

  it('place tokens: the whole value and its comma or line parts', () => {
    expect(placeTokens('12 Elm Street, Springfield')).toEqual(
      expect.arrayContaining(['12 ELM STREET, SPRINGFIELD', '12 ELM STREET', 'SPRINGFIELD']),
    );
  });
});

describe('scrubText', () => {
  const tokens = mergeTokenSets(
    nameTokens('DOE^JANE'),
    nameTokens('WINTERBOTTOM'),
    idTokens('MRN778899'),
    dateTokens('19610312'),
    nameTokens('LI^WU'),
  );

  it('scrub: replaces every occurrence, case-insensitively, and counts hits', () => {
    const { text, hits } = scrubText(
      'CT for jane Doe (mrn778899), born 12 Mar 1961; Doe again',
      tokens,
    );
    expect(text).toBe('CT for *** (***), born ***; *** again');
    expect(hits).toBe(4);
  });

  it('scrub: short tokens match whole words only; long ones match inside words', () => {
    expect(scrubText('LIVER and Li', tokens).text).toBe('LIVER and ***');
    expect(scrubText('JANEDOE', tokens).text).toBe('JANEDOE');
    expect(scrubText('MRWINTERBOTTOMS', tokens).text).toBe('MR***S');
    expect(scrubText('xMRN778899y', tokens).text).toBe('x***y');
  });

  it('scrub: date forms with flexible spacing and clean text stays as is', () => {
    expect(scrubText('DOB: March 12,  1961.', tokens).text).toBe('DOB: ***.');
    expect(scrubText('Chest PA and lateral', tokens)).toEqual({
      text: 'Chest PA and lateral',
      hits: 0,
    });
  });

  it('find tokens: spans in order', () => {
    expect(findTokens('Jane x Doe', tokens)).toEqual([
      { start: 0, end: 4 },
      { start: 7, end: 10 },
    ]);
  });
});
