import { describe, expect, it } from 'vitest';
import { importSecret, isStandardUid, remapUid, remapUidList } from './uids';

const secretA = importSecret(new TextEncoder().encode('project secret A'));
const secretB = importSecret(new TextEncoder().encode('project secret B'));

describe('remapUid', () => {
  it('UID remap: gives a 2.25 UID from the first 128 bits of HMAC-SHA-256, at most 64 characters', async () => {
    const uid = await remapUid('1.2.826.0.1.3680043.2.1125.1.1234567890', await secretA);
    expect(uid).toMatch(/^2\.25\.(0|[1-9]\d*)$/);
    expect(uid.length).toBeLessThanOrEqual(64);
    expect(BigInt(uid.slice(5))).toBeLessThan(2n ** 128n);
  });

  it('UID remap: is deterministic for one secret and differs for another', async () => {
    const original = '1.3.6.1.4.1.5962.1.2.1.20040119072730.12322';
    const first = await remapUid(original, await secretA);
    expect(await remapUid(original, await secretA)).toBe(first);
    expect(await remapUid(original, await secretB)).not.toBe(first);
    expect(await remapUid(original + '1', await secretA)).not.toBe(first);
  });

  it('UID remap: ignores NUL and space padding', async () => {
    const uid = '1.2.3.4.5';
    expect(await remapUid(uid + '\0', await secretA)).toBe(await remapUid(uid, await secretA));
  });

  it('UID remap: never changes standard UIDs (1.2.840.10008.*) or empty values', async () => {
    expect(isStandardUid('1.2.840.10008.5.1.4.1.1.2')).toBe(true);
    expect(await remapUid('1.2.840.10008.5.1.4.1.1.2', await secretA)).toBe(
      '1.2.840.10008.5.1.4.1.1.2',
    );
    expect(await remapUid('1.2.840.10008.1.2.1\0', await secretA)).toBe('1.2.840.10008.1.2.1');
    expect(await remapUid('', await secretA)).toBe('');
  });

  it('UID remap: the cache records each original once and answers from it', async () => {
    const cache = new Map<string, string>();
    const a = await remapUid('1.2.3', await secretA, cache);
    await remapUid('1.2.3', await secretA, cache);
    expect([...cache]).toEqual([['1.2.3', a]]);
  });

  it('UID remap: multi-valued UI strings keep order and remap each value', async () => {
    const list = await remapUidList('1.2.3\\1.2.840.10008.1.2\\1.2.4', await secretA);
    const parts = list.split('\\');
    expect(parts).toHaveLength(3);
    expect(parts[0]).toBe(await remapUid('1.2.3', await secretA));
    expect(parts[1]).toBe('1.2.840.10008.1.2');
  });
});
