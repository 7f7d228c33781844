// Tests for SHA-256: known vectors, incremental equals WebCrypto for any chunking, large Blobs streamed.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Sha256, sha256Hex, sha256HexStream, SUBTLE_LIMIT } from './sha256';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const text = (s: string) => new TextEncoder().encode(s);

describe('sha256', () => {
  it('matches the FIPS 180-4 example vectors', async () => {
    expect(await sha256Hex(text('abc'))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(hex(new Sha256().update(text('abc')).digest())).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(
      hex(
        new Sha256()
          .update(text('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'))
          .digest(),
      ),
    ).toBe('248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
    expect(hex(new Sha256().digest())).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
  });

  it('the incremental hash equals crypto.subtle for any data and any chunking', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 700 }),
        fc.array(fc.nat({ max: 700 }), { maxLength: 6 }),
        async (data, cuts) => {
          const h = new Sha256();
          let at = 0;
          for (const c of [...cuts].sort((a, b) => a - b)) {
            const end = Math.min(c, data.length);
            if (end > at) {
              h.update(data.subarray(at, end));
              at = end;
            }
          }
          h.update(data.subarray(at));
          expect(hex(h.digest())).toBe(await sha256Hex(data));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a Blob over the subtle limit is hashed as a stream and gives the same digest', async () => {
    const size = SUBTLE_LIMIT + 12345;
    const bytes = new Uint8Array(size);
    const block = new Uint8Array(4099).map((_, i) => (i * 13) & 0xff);
    for (let at = 0; at < size; at += block.length)
      bytes.set(block.subarray(0, Math.min(block.length, size - at)), at);
    const whole = hex(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes)));
    expect(await sha256Hex(new Blob([bytes]))).toBe(whole);
    expect(await sha256HexStream(new Blob([bytes]).stream())).toBe(whole);
  });
});
