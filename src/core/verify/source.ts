// Where a package's entries come from: zip volumes, loose Blobs (a picked folder), or anything else listing them.
import { readZipEntries, ZipReadError, type ZipSource } from '../package/read-zip';

/** One file of a package. `read()` loads it whole; nothing is read before it is called. */
export interface PackageEntry {
  /** Path inside the package, '/'-separated ('SITE-000001/01/0001_CT/00001.dcm', 'manifest.json'). */
  name: string;
  size: number;
  read(): Promise<Uint8Array>;
  /**
   * Set when this is not a file but a part of the package that could not be listed (a zip volume
   * that is not a readable zip): `name` then names the part, in words. verifyPackage reports it
   * and goes on with the rest.
   */
  unreadable?: string;
}

/**
 * A package as a list of entries. `entries()` may be called more than once (verification lists
 * the package twice: once for its documents, once for everything) and must be cheap to list.
 */
export interface PackageSource {
  entries(): AsyncIterable<PackageEntry>;
}

/** A zip volume: a Blob or File, or any ZipSource (a Node file handle), named when it has a name. */
export type ZipVolumeSource = Blob | (ZipSource & { readonly name?: string });

function volumeLabel(blob: ZipVolumeSource, index: number): string {
  const name = (blob as Blob & { name?: unknown }).name;
  return typeof name === 'string' && name !== '' ? name : `volume ${index + 1}`;
}

/**
 * The entries of one or several zip volumes, in volume order then central-directory order.
 * Memory: one directory slice at a time, and an entry's bytes only while the caller holds them.
 * A volume that is not a readable zip comes out as one entry marked `unreadable`.
 */
export function zipSource(blobs: readonly ZipVolumeSource[]): PackageSource {
  return {
    async *entries() {
      for (const [index, blob] of blobs.entries()) {
        const label = volumeLabel(blob, index);
        const listed: PackageEntry[] = [];
        try {
          // The directory is listed before any entry is handed out, so a broken volume is reported
          // as one problem rather than half a volume.
          for await (const entry of readZipEntries(blob)) {
            if (entry.name.endsWith('/')) continue; // a directory record holds no file
            listed.push({ name: entry.name, size: entry.size, read: () => entry.data() });
          }
        } catch (error) {
          const reason =
            error instanceof ZipReadError ? error.message : 'it is not a readable zip.';
          yield {
            name: label,
            size: 0,
            read: () => Promise.reject(new Error(`${label} cannot be read.`)),
            unreadable: `${label} cannot be read as a zip: ${reason}`,
          };
          continue;
        }
        yield* listed;
      }
    },
  };
}

/** Entries already in hand as Blobs (files picked from a folder, or built in memory). */
export function blobSource(files: readonly { name: string; blob: Blob }[]): PackageSource {
  return {
    async *entries() {
      for (const { name, blob } of files) {
        yield { name, size: blob.size, read: async () => new Uint8Array(await blob.arrayBuffer()) };
      }
    },
  };
}
