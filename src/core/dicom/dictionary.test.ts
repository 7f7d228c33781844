// Tests of the data dictionary lookups generated from dcmjs (PS3.6).
import { describe, expect, it } from 'vitest';
import {
  isRetired,
  keywordForTag,
  tagForKeyword,
  vmForTag,
  vrForTag,
  vrsForTag,
} from './dictionary';

describe('dictionary', () => {
  it('maps keywords to tags and back', () => {
    expect(tagForKeyword('PatientName')).toBe(0x00100010);
    expect(keywordForTag(0x00100010)).toBe('PatientName');
    expect(tagForKeyword('PixelData')).toBe(0x7fe00010);
    expect(tagForKeyword('NoSuchKeyword')).toBeUndefined();
    expect(keywordForTag(0x00990010)).toBeUndefined();
  });

  it('gives the first VR, and every VR for multi-VR attributes', () => {
    expect(vrForTag(0x00100010)).toBe('PN');
    expect(vrsForTag(0x7fe00010)).toEqual(['OB', 'OW']);
    expect(vrsForTag(0x00280106)).toEqual(['US', 'SS']);
    expect(vrForTag(0x00280106)).toBe('US');
    expect(vrsForTag(0x00283006)).toEqual(['US', 'SS', 'OW']);
    expect(vmForTag(0x00280030)).toBe('2');
  });

  it('gives UN for private and unknown tags, LO for private creators', () => {
    expect(vrForTag(0x00291010)).toBe('UN');
    expect(vrForTag(0x00290010)).toBe('LO');
    expect(vrForTag(0x0008ffff)).toBe('UN');
  });

  it('gives UL for group lengths (gggg,0000)', () => {
    expect(vrForTag(0x00080000)).toBe('UL');
    expect(vrForTag(0x00090000)).toBe('UL');
    expect(vrForTag(0x00020000)).toBe('UL');
  });

  it('resolves repeating groups 50xx and 60xx', () => {
    expect(keywordForTag(0x60023000)).toBe('OverlayData');
    expect(vrsForTag(0x601e3000)).toEqual(['OB', 'OW']);
    expect(vrForTag(0x60000010)).toBe('US');
    expect(vrForTag(0x60020010)).toBe('US');
    expect(keywordForTag(0x50040005)).toBe('CurveDimensions');
    expect(isRetired(0x50040005)).toBe(true);
  });

  it('knows which attributes are retired', () => {
    expect(isRetired(0x00100010)).toBe(false);
    expect(isRetired(0x00080040)).toBe(true); // DataSetType
    expect(keywordForTag(0x00080040)).toBe('DataSetType');
  });
});
