// The key file (crosswalk original ↔ pseudonym) that stays at the site: a small zip of CSVs with a
// plain-words README, optionally sealed with a passphrase (PBKDF2-SHA-256 → AES-256-GCM).

import { parseCsv, toCsv as formatCsv } from '../csv/csv';
import { readZipEntries } from './read-zip';
import { zipEntries } from './zip';

export interface CrosswalkRow {
  id_old: string;
  id_new: string;
}

export interface KeyFileContent {
  patients: CrosswalkRow[];
  studies: CrosswalkRow[];
  uids: CrosswalkRow[];
}

export class KeyFileError extends Error {
  constructor(
    readonly code: 'wrong-passphrase' | 'not-key-file' | 'bad-parameters' | 'empty-passphrase',
    message: string,
  ) {
    super(message);
    this.name = 'KeyFileError';
  }
}

export const KEY_FILE_README = `KEY FILE - KEEP AT YOUR SITE - DO NOT SEND

This file links the de-identified package back to real patients. Keep it at your site, in a
place only the people allowed to re-identify patients can reach. Never send it with the package,
never attach it to an e-mail, never upload it to a shared drive of the dataset.

Anyone who has this file and the package can find out who the patients are.

What is inside:
  patients.csv  original patient identifier -> pseudonym used in the package
  studies.csv   original study identifier   -> identifier used in the package
  uids.csv      original DICOM UID          -> UID used in the package

If you no longer need to re-identify patients, delete this file.
`;

const HEADER = ['id_old', 'id_new'] as const;
const FILES = ['README.txt', 'patients.csv', 'studies.csv', 'uids.csv'] as const;

function toCsvBytes(rows: CrosswalkRow[]): Uint8Array {
  return new TextEncoder().encode(
    formatCsv(
      HEADER,
      rows.map((r) => [r.id_old, r.id_new]),
    ),
  );
}

/** The key file as zip bytes: README.txt, patients.csv, studies.csv, uids.csv (header `id_old,id_new`). */
export async function buildKeyFile(content: KeyFileContent): Promise<Uint8Array<ArrayBuffer>> {
  const entries = [
    { name: 'README.txt', data: new TextEncoder().encode(KEY_FILE_README) },
    { name: 'patients.csv', data: toCsvBytes(content.patients) },
    { name: 'studies.csv', data: toCsvBytes(content.studies) },
    { name: 'uids.csv', data: toCsvBytes(content.uids) },
  ];
  const parts: Uint8Array<ArrayBuffer>[] = [];
  for await (const chunk of zipEntries(entries)) parts.push(chunk as Uint8Array<ArrayBuffer>);
  return new Uint8Array(await new Blob(parts).arrayBuffer());
}

/** Reads a key file zip (not encrypted) back into its rows. */
export async function readKeyFile(zip: Uint8Array | Blob): Promise<KeyFileContent> {
  const blob = zip instanceof Blob ? zip : new Blob([zip as Uint8Array<ArrayBuffer>]);
  const found = new Map<string, CrosswalkRow[]>();
  for await (const entry of readZipEntries(blob)) {
    if (!entry.name.endsWith('.csv')) continue;
    const [header, ...rows] = parseCsv(new TextDecoder().decode(await entry.data()));
    if (header?.join(',') !== HEADER.join(','))
      throw new KeyFileError('not-key-file', `${entry.name} lacks the id_old,id_new header.`);
    found.set(
      entry.name,
      rows.map(([id_old = '', id_new = '']) => ({ id_old, id_new })),
    );
  }
  for (const name of FILES.slice(1)) {
    if (!found.has(name)) throw new KeyFileError('not-key-file', `The key file has no ${name}.`);
  }
  return {
    patients: found.get('patients.csv')!,
    studies: found.get('studies.csv')!,
    uids: found.get('uids.csv')!,
  };
}

// Encrypted key file layout (all integers big-endian); bytes 0-39 are the AES-GCM additional data,
// so changing the iteration count, salt or IV makes decryption fail rather than silently differ.
//   0   8  magic, ASCII "CLRMKEY1"
//   8   4  PBKDF2-HMAC-SHA-256 iterations
//   12 16  PBKDF2 salt (random)
//   28 12  AES-GCM IV (random)
//   40  …  AES-256-GCM ciphertext followed by its 16-byte tag
const MAGIC = new TextEncoder().encode('CLRMKEY1');
const HEADER_SIZE = 40;
/** OWASP's 2023 figure for PBKDF2-HMAC-SHA-256. */
export const MIN_ITERATIONS = 600_000;
/** Refused above this, so a forged header cannot make the app spin for hours. */
const MAX_ITERATIONS = 10_000_000;

async function deriveKey(
  passphrase: string,
  salt: Uint8Array,
  iterations: number,
): Promise<CryptoKey> {
  if (passphrase.length === 0)
    throw new KeyFileError('empty-passphrase', 'The passphrase is empty.');
  // NFC so the same passphrase typed on two systems gives the same key.
  const material = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(passphrase.normalize('NFC')),
    'PBKDF2',
    false,
    ['deriveKey'],
  );
  return crypto.subtle.deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt: salt as Uint8Array<ArrayBuffer>, iterations },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

/** Seals key file bytes with a passphrase; a new random salt and IV every time. */
export async function encryptKeyFile(
  bytes: Uint8Array,
  passphrase: string,
  options: { iterations?: number } = {},
): Promise<Uint8Array> {
  const iterations = options.iterations ?? MIN_ITERATIONS;
  if (!Number.isInteger(iterations) || iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
    throw new KeyFileError(
      'bad-parameters',
      `Iterations must be between ${MIN_ITERATIONS} and ${MAX_ITERATIONS}.`,
    );
  }
  const header = new Uint8Array(HEADER_SIZE);
  header.set(MAGIC, 0);
  new DataView(header.buffer).setUint32(8, iterations);
  const salt = crypto.getRandomValues(header.subarray(12, 28));
  const iv = crypto.getRandomValues(header.subarray(28, 40));
  const key = await deriveKey(passphrase, salt, iterations);
  const sealed = new Uint8Array(
    await crypto.subtle.encrypt(
      { name: 'AES-GCM', iv, additionalData: header },
      key,
      bytes as Uint8Array<ArrayBuffer>,
    ),
  );
  const out = new Uint8Array(HEADER_SIZE + sealed.length);
  out.set(header, 0);
  out.set(sealed, HEADER_SIZE);
  return out;
}

/** True when the bytes start like an encrypted key file. */
export function isEncryptedKeyFile(bytes: Uint8Array): boolean {
  return bytes.length >= HEADER_SIZE && MAGIC.every((b, i) => bytes[i] === b);
}

/** Opens an encrypted key file; KeyFileError 'wrong-passphrase' when the passphrase does not fit. */
export async function decryptKeyFile(
  bytes: Uint8Array,
  passphrase: string,
): Promise<Uint8Array<ArrayBuffer>> {
  if (!isEncryptedKeyFile(bytes) || bytes.length < HEADER_SIZE + 16) {
    throw new KeyFileError('not-key-file', 'This is not an encrypted Cleanroom key file.');
  }
  const header = bytes.slice(0, HEADER_SIZE);
  const iterations = new DataView(header.buffer).getUint32(8);
  if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
    throw new KeyFileError(
      'bad-parameters',
      'The key file header has an iteration count out of range.',
    );
  }
  const key = await deriveKey(passphrase, header.subarray(12, 28), iterations);
  try {
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: header.subarray(28, 40), additionalData: header },
      key,
      bytes.subarray(HEADER_SIZE) as Uint8Array<ArrayBuffer>,
    );
    return new Uint8Array(plain);
  } catch {
    // GCM cannot tell a wrong passphrase from a damaged file; the first is far more likely.
    throw new KeyFileError(
      'wrong-passphrase',
      'The passphrase is wrong (or the key file was damaged or changed after it was encrypted).',
    );
  }
}
