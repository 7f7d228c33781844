// Tests for the key file: contents, round trip through encryption, wrong passphrase, tampering.
import { describe, expect, it } from 'vitest';
import {
  buildKeyFile,
  decryptKeyFile,
  encryptKeyFile,
  isEncryptedKeyFile,
  KEY_FILE_README,
  KeyFileError,
  MIN_ITERATIONS,
  readKeyFile,
} from './keyfile';
import { readZipEntries } from './read-zip';

const content = {
  patients: [
    { id_old: 'MRN123', id_new: 'P0001' },
    { id_old: 'O\'Brien, "Pat"\nline2', id_new: 'P0002' },
  ],
  studies: [{ id_old: 'ACC-1', id_new: 'P0001/01' }],
  uids: [{ id_old: '1.2.826.0.1.3680043.2.1125.1', id_new: '2.25.123456789' }],
};

describe('key file', () => {
  it('is a zip with README.txt, patients.csv, studies.csv, uids.csv (id_old,id_new) and a plain-words warning', async () => {
    const zip = await buildKeyFile(content);
    const names: string[] = [];
    for await (const e of readZipEntries(new Blob([zip]))) {
      names.push(e.name);
      const text = new TextDecoder().decode(await e.data());
      if (e.name === 'README.txt')
        expect(text).toContain(
          'This file links the de-identified package back to real patients. Keep it at your site',
        );
      else expect(text.startsWith('id_old,id_new\n')).toBe(true);
    }
    expect(names).toEqual(['README.txt', 'patients.csv', 'studies.csv', 'uids.csv']);
    expect(KEY_FILE_README).toMatch(/DO NOT SEND/);
  });

  it('round trip: build, encrypt, decrypt, read gives back every row, commas, quotes and newlines included', async () => {
    const zip = await buildKeyFile(content);
    const sealed = await encryptKeyFile(zip, 'correct horse battery staple');
    expect(isEncryptedKeyFile(sealed)).toBe(true);
    expect(new DataView(sealed.buffer, sealed.byteOffset).getUint32(8)).toBe(MIN_ITERATIONS);
    // No plaintext of the crosswalk is visible in the sealed bytes.
    expect(Buffer.from(sealed).includes(Buffer.from('MRN123'))).toBe(false);
    const opened = await decryptKeyFile(sealed, 'correct horse battery staple');
    expect(Buffer.from(opened).equals(Buffer.from(zip))).toBe(true);
    expect(await readKeyFile(opened)).toEqual(content);
  });

  it('a wrong passphrase gives an error that says so', async () => {
    const sealed = await encryptKeyFile(await buildKeyFile(content), 'right');
    const err = await decryptKeyFile(sealed, 'wrong').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KeyFileError);
    expect(err).toMatchObject({ code: 'wrong-passphrase' });
    expect((err as Error).message).toMatch(/passphrase is wrong/);
  });

  it('a changed header (iterations, salt or IV) is detected, and each encryption uses a new salt and IV', async () => {
    const zip = await buildKeyFile(content);
    const a = await encryptKeyFile(zip, 'pw');
    const b = await encryptKeyFile(zip, 'pw');
    expect(Buffer.from(a.subarray(12, 40)).equals(Buffer.from(b.subarray(12, 40)))).toBe(false);
    const tampered = a.slice();
    tampered[20] ^= 1;
    await expect(decryptKeyFile(tampered, 'pw')).rejects.toMatchObject({
      code: 'wrong-passphrase',
    });
  });

  it('refuses fewer than 600,000 PBKDF2 iterations, an empty passphrase and bytes that are not a key file', async () => {
    await expect(
      encryptKeyFile(new Uint8Array(1), 'pw', { iterations: 1000 }),
    ).rejects.toMatchObject({ code: 'bad-parameters' });
    await expect(encryptKeyFile(new Uint8Array(1), '')).rejects.toMatchObject({
      code: 'empty-passphrase',
    });
    await expect(decryptKeyFile(new Uint8Array(100), 'pw')).rejects.toMatchObject({
      code: 'not-key-file',
    });
  });
});
