// One test per ranking rule: the patient's own identifiers first, then patterns, free text,
// private data, and coded or numeric values last.
import { describe, expect, it } from 'vitest';
import { compareRanked, findIdentifier, rankValue, type IdentifierToken } from './rank';
import { ValueDump } from './dump';

const tokens: IdentifierToken[] = [
  { token: 'QUIXOTEHART', kind: 'name', source: 'PatientName' },
  { token: 'MRN-QX-731904', kind: 'ID', source: 'PatientID' },
  { token: 'CTQX-STATION-7', kind: 'station name', source: 'StationName' },
  { token: 'LI', kind: 'name', source: 'PatientName' },
];
const rank = (value: string, vr: Parameters<typeof rankValue>[1] = 'LO', extra = {}) =>
  rankValue(value, vr, { tokens, isPrivate: false, ...extra });

describe('review ranking', () => {
  it("patient identifier: a value holding the patient's name is high, and says so", () => {
    expect(rank('CT chest for Quixotehart')).toMatchObject({
      risk: 'high',
      reason: "matches the patient's name",
    });
  });
  it('patient identifier: IDs match inside longer text', () => {
    expect(rank('req MRN-QX-731904 urgent', 'LT').reason).toBe("matches the patient's ID");
  });
  it('patient identifier: short tokens match whole words only', () => {
    expect(rank('Li protocol').risk).toBe('high');
    expect(rank('Lightspeed').risk).not.toBe('high');
  });
  it('patient identifier: a token is not matched against the element it came from (kept by an option)', () => {
    expect(rank('CTQX-STATION-7', 'SH', { path: 'StationName' }).reason).not.toMatch(
      /station name/,
    );
    expect(findIdentifier('CTQX-STATION-7', tokens, 'SeriesDescription')?.kind).toBe(
      'station name',
    );
  });
  it('patterns: e-mail, phone, dates, addresses, names and IDs in free text are high', () => {
    expect(rank('write to a.b@example.org').reason).toBe('looks like an e-mail address');
    expect(rank('call 555-123-4567').reason).toBe('looks like a phone number');
    expect(rank('seen 2021-03-04').reason).toBe('looks like a date');
    expect(rank('seen 04.03.2021').reason).toBe('looks like a date');
    expect(rank('17 Larkspur Lane').reason).toBe('looks like a street address');
    expect(rank('Doe^Jane').reason).toBe('looks like a person name (Family^Given)');
    expect(rank('per Dr Smith').reason).toBe('looks like a person name (title and name)');
    expect(rank('ref AB12345').reason).toBe(
      'looks like an identifier (6 or more letters and digits)',
    );
  });
  it('coded entries: a code of a coding scheme is low although it looks like an ID or a date, and still matched against the patient', () => {
    const code = 'ContentSequence > ConceptNameCodeSequence > CodeValue';
    expect(rank('121071', 'SH', { path: code })).toMatchObject({
      risk: 'low',
      reason: 'a code of a coding scheme',
    });
    expect(rank('5.6.3-9-61', 'SH', { path: 'ChannelSourceSequence > CodeValue' }).risk).toBe(
      'low',
    );
    expect(rank('MRN-QX-731904', 'SH', { path: code }).reason).toBe("matches the patient's ID");
    // The same text outside a coded entry is still a finding.
    expect(rank('5.6.3-9-61', 'SH', { path: 'StudyComments' }).reason).toBe('looks like a date');
    expect(rank('121071', 'LO', { path: 'CodeMeaning' }).risk).toBe('high');
  });
  it('patterns: an upper-case series name is not a title and a name', () => {
    expect(rank('MR BRAIN WO').risk).not.toBe('high');
  });
  it('person names: a PN element with a value is high, the pseudonym is low', () => {
    expect(rank('Somebody', 'PN').risk).toBe('high');
    expect(rank('SITE-000001', 'PN', { pseudonym: 'SITE-000001' })).toMatchObject({ risk: 'low' });
  });
  it('free text without a match is medium', () => {
    expect(rank('CHEST 5MM')).toMatchObject({ risk: 'medium', reason: 'free text (LO)' });
  });
  it('private data is medium', () => {
    expect(rank('1.5', 'DS', { isPrivate: true }).risk).toBe('medium');
  });
  it('coded, numeric, date and UID values are low, and are not matched against names', () => {
    expect(rank('LI', 'CS').risk).toBe('low');
    expect(rank('120', 'DS').risk).toBe('low');
    expect(rank('20200101', 'DA').risk).toBe('low');
    expect(rank('2.25.1234', 'UI').risk).toBe('low');
  });
  it('values Cleanroom wrote (keyed hashes, new UIDs, shifted dates) are low', () => {
    expect(rank('9D7B7A645D109B13', 'SH', { generated: true })).toMatchObject({ risk: 'low' });
  });
  it('order: high before medium before low, then by score, path and value', () => {
    const rows = [rank('CHEST 5MM'), rank('120', 'DS'), rank('Quixotehart')].map((ranked, i) => ({
      ranked,
      path: `p${i}`,
      value: '',
    }));
    expect(rows.sort(compareRanked).map((r) => r.ranked.risk)).toEqual(['high', 'medium', 'low']);
  });
});

describe('value dump', () => {
  it('counts each distinct value once per path, keeps three examples and the worst risk across patients', () => {
    const dump = new ValueDump();
    for (let i = 0; i < 5; i++) {
      dump.add([{ path: 'StudyDescription', vr: 'LO', value: 'LI', isPrivate: false }], {
        tokens: [],
        example: `f${i}.dcm`,
      });
    }
    dump.add([{ path: 'StudyDescription', vr: 'LO', value: 'LI', isPrivate: false }], {
      tokens,
      example: 'g.dcm',
    });
    const [row] = dump.rows();
    expect(row).toMatchObject({ count: 6, risk: 'high', reason: "matches the patient's name" });
    expect(row.examples).toHaveLength(3);
  });
});

describe('review ranking of values cleaning masked', () => {
  it('masked by cleaning: a value whose original held the patient’s name is high, just after a surviving match', () => {
    const masked = rank('CT chest for ***', 'LO', { maskedFrom: 'CT chest for Quixotehart' });
    expect(masked).toMatchObject({
      risk: 'high',
      score: 1,
      reason: "matches the patient's name (masked as *** by cleaning)",
    });
    const left = rank('Quixotehart ***', 'LO', { maskedFrom: 'Quixotehart MRN-QX-731904' });
    expect(left.score).toBe(0);
  });
  it('masked by cleaning: without the original, the mark alone still ranks high', () => {
    expect(rank('CT chest for ***', 'LO')).toMatchObject({ risk: 'high', score: 2 });
    expect(rank('***', 'CS').risk).toBe('low');
  });
});

describe('dummy values', () => {
  it("the engine's dummy value for D (ANONYMIZED in a PN) ranks low, not as a person's name", () => {
    const r = rankValue('ANONYMIZED', 'PN', { tokens: [], isPrivate: false });
    expect(r.risk).toBe('low');
    expect(rankValue('SMITH^JOHN', 'PN', { tokens: [], isPrivate: false }).risk).toBe('high');
  });
});
