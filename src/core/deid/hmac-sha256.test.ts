// The synchronous HMAC-SHA-256 against WebCrypto: bit-identical for any key and message.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HmacSha256 } from './hmac-sha256';
import { hmacText, hmacTextSync, importSecret } from './keyed-hash';

async function subtleHmac(key: Uint8Array, message: Uint8Array): Promise<Uint8Array> {
  const k = await crypto.subtle.importKey(
    'raw',
    key as Uint8Array<ArrayBuffer>,
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  return new Uint8Array(await crypto.subtle.sign('HMAC', k, message as Uint8Array<ArrayBuffer>));
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('HmacSha256', () => {
  it('matches the RFC 4231 test case 2 vector', () => {
    const mac = new HmacSha256(new TextEncoder().encode('Jefe'));
    expect(hex(mac.sign(new TextEncoder().encode('what do ya want for nothing?')))).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });

  it('is bit-identical to WebCrypto HMAC-SHA-256 for any key and message (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        // WebCrypto refuses an empty HMAC key, and so does importSecret.
        fc.uint8Array({ minLength: 1, maxLength: 200 }),
        fc.uint8Array({ minLength: 0, maxLength: 300 }),
        async (key, message) => {
          const mac = new HmacSha256(key);
          expect(hex(mac.sign(message))).toBe(hex(await subtleHmac(key, message)));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('is identical at every message length around the block and padding boundaries', async () => {
    const key = Uint8Array.from({ length: 32 }, (_, i) => i * 7);
    const mac = new HmacSha256(key);
    for (let length = 0; length <= 200; length++) {
      const message = Uint8Array.from({ length }, (_, i) => (i * 31 + length) & 0xff);
      expect(hex(mac.sign(message))).toBe(hex(await subtleHmac(key, message)));
    }
  });

  it('gives the same answer when one instance signs many messages in a row', async () => {
    const key = new TextEncoder().encode('reused key');
    const mac = new HmacSha256(key);
    const messages = ['', 'a'.repeat(120), '1.2.3', 'x'.repeat(55), 'y'.repeat(64)];
    for (const m of [...messages, ...messages.reverse()]) {
      const bytes = new TextEncoder().encode(m);
      expect(hex(mac.sign(bytes))).toBe(hex(await subtleHmac(key, bytes)));
    }
  });
});

describe('keyed-hash with the synchronous HMAC', () => {
  it('hmacText of an imported secret equals WebCrypto for UIDs and unicode text (property)', async () => {
    const secretBytes = new TextEncoder().encode('project secret for the property test');
    const secret = await importSecret(secretBytes);
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 120, unit: 'binary' }), async (message) => {
        const expected = await subtleHmac(secretBytes, new TextEncoder().encode(message));
        expect(hex(hmacTextSync(secret, message)!)).toBe(hex(expected));
        expect(hex(await hmacText(secret, message))).toBe(hex(expected));
      }),
      { numRuns: 300 },
    );
  });

  it('falls back to WebCrypto for a key importSecret did not make', async () => {
    const secretBytes = new TextEncoder().encode('elsewhere');
    const foreign = await crypto.subtle.importKey(
      'raw',
      secretBytes,
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign'],
    );
    expect(hmacTextSync(foreign, '1.2.3')).toBeUndefined();
    expect(hex(await hmacText(foreign, '1.2.3'))).toBe(
      hex(await subtleHmac(secretBytes, new TextEncoder().encode('1.2.3'))),
    );
  });

  it('keeps the imported key non-extractable', async () => {
    const secret = await importSecret(new Uint8Array(32).fill(1));
    expect(secret.extractable).toBe(false);
    await expect(crypto.subtle.exportKey('raw', secret)).rejects.toThrow();
  });
});
