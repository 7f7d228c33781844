// The project secret: one per project, kept in the settings table (made with crypto.getRandomValues
// on first use), replaceable by a secret file in the CLI's --secret-file format, and saveable as one.
import { getSetting, setSetting } from '../../store';
import { bytesToHex, parseSecretFile, secretFingerprint } from '../../pipeline/export-plan';
import { offerDownload } from '../../platform/browser/download';
import { db } from './db';

const SECRET_BYTES = 32;
export const SECRET_FILE_NAME = 'cleanroom-secret.hex';

/** The stored secret, made and stored first if there is none. */
export async function readProjectSecret(): Promise<Uint8Array> {
  const stored = await getSetting(db, 'projectSecret');
  if (stored?.kind === 'raw') return new Uint8Array(stored.bytes);
  if (stored?.kind === 'wrapped')
    throw new Error(
      'The project secret is locked with a passphrase, which this screen cannot open yet.',
    );
  const bytes = crypto.getRandomValues(new Uint8Array(SECRET_BYTES));
  await setSetting(db, 'projectSecret', { kind: 'raw', bytes });
  return bytes;
}

class ProjectSecretState {
  /** A short name of the secret (not the secret): equal fingerprints mean equal secrets. */
  fingerprint = $state<string | undefined>();
  /** What just happened, in plain words. */
  message = $state<string | undefined>();
  error = $state<string | undefined>();

  async load(): Promise<void> {
    try {
      this.fingerprint = await secretFingerprint(await readProjectSecret());
    } catch (e) {
      this.error = e instanceof Error ? e.message : 'The project secret could not be read.';
    }
  }

  /** Replaces the project secret by the one in `file` (hex text or raw bytes, at least 16 bytes). */
  async useFile(file: File): Promise<void> {
    this.error = undefined;
    this.message = undefined;
    let secret: Uint8Array;
    try {
      secret = parseSecretFile(new Uint8Array(await file.arrayBuffer()));
    } catch (e) {
      this.error =
        e instanceof RangeError
          ? `That file cannot be a project secret: ${e.message}.`
          : 'That file could not be read.';
      return;
    }
    await setSetting(db, 'projectSecret', { kind: 'raw', bytes: secret });
    this.fingerprint = await secretFingerprint(secret);
    this.message = 'The project secret now comes from that file.';
  }

  /** Offers the secret as a download, as hex text the CLI reads with --secret-file. */
  async save(): Promise<void> {
    const secret = await readProjectSecret();
    offerDownload(SECRET_FILE_NAME, `${bytesToHex(secret)}\n`, 'text/plain');
  }
}

export const projectSecret = new ProjectSecretState();
