import { describe, expect, it } from 'vitest';
import { bytesElement, sequenceElement, textElement, uint16Element } from '../dicom/element';
import {
  canonicalSegment,
  describeValue,
  pathSegment,
  renderExplainText,
  summarizeExplain,
  type ExplainRow,
} from './explain';

describe('explain listing', () => {
  it('explain values: text without padding, numbers, tags, binary and sequence summaries', () => {
    expect(describeValue(textElement(0x00100010, 'PN', 'DOE^J'), [], true)).toBe('DOE^J');
    expect(describeValue(uint16Element(0x00280010, [512, 256]), [], true)).toBe('512\\256');
    expect(
      describeValue(
        bytesElement(0x00209165, 'AT', Uint8Array.of(0x20, 0x00, 0x32, 0x00)),
        [],
        true,
      ),
    ).toBe('(0020,0032)');
    expect(describeValue(bytesElement(0x7fe00010, 'OW', new Uint8Array(1024)), [], true)).toBe(
      '<OW 1024 bytes>',
    );
    expect(describeValue(sequenceElement(0x00081110, [new Map(), new Map()]), [], true)).toBe(
      '<2 items>',
    );
  });

  it('explain paths: keywords, unknown tags, private tags with their creator; block-free form for overrides', () => {
    expect(pathSegment(0x00321060)).toBe('RequestedProcedureDescription');
    expect(pathSegment(0x00089999)).toBe('(0008,9999)');
    expect(pathSegment(0x00091010, 'CREATOR')).toBe('(0009,1010) "CREATOR"');
    expect(canonicalSegment(0x00091110, 'CREATOR')).toBe('(0009,xx10) "CREATOR"');
    expect(canonicalSegment(0x00321060)).toBe('(0032,1060)');
  });

  it('explain summary and text rendering count and show every row', () => {
    const rows: ExplainRow[] = [
      {
        path: 'PatientName',
        tag: 0x00100010,
        keyword: 'PatientName',
        vr: 'PN',
        before: 'DOE^J',
        after: 'SITE-1',
        action: 'pseudonym',
        reason: 'r',
      },
      { path: 'OtherPatientIDs', tag: 0x00101000, vr: 'LO', before: 'X', action: 'X', reason: 'r' },
    ];
    expect(summarizeExplain(rows)).toEqual({ pseudonym: 1, X: 1 });
    const text = renderExplainText(rows);
    expect(text.split('\n').filter(Boolean)).toHaveLength(2);
    expect(text).toContain('(removed)');
  });
});
