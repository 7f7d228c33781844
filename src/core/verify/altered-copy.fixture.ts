// Test fixture (unit tests and e2e): a copy of a package with issue 8's four alterations at once —
// a name in a private element, a broken manifest checksum, a removed file, burned-in text.
import { getNumbers } from '../dicom/element';
import { readDicomFile } from '../dicom/read';
import { textElement } from '../dicom/element';
import { writeDicomFile } from '../dicom/write';
import { readZipEntries } from '../package/read-zip';
import { sha256Hex } from '../package/sha256';
import { zipEntries } from '../package/zip';
import { createRaster, drawText, type TextBox } from '../sample/pixels';

/** One zip volume of a package: its file name and bytes. */
export interface PackageVolume {
  name: string;
  data: Uint8Array;
}

/** The altered copy and the entry path each alteration touched (four different files). */
export interface AlteredCopy {
  volumes: PackageVolume[];
  /** Got a private element (0009,1010) of creator "ACME" holding a person's name; checksum updated. */
  privateName: string;
  /** Unchanged, but its SHA-256 in manifest.json is no longer right. */
  brokenChecksum: string;
  /** Left out of its volume; the manifest still lists it. */
  removed: string;
  /** Text drawn into its pixels; checksum updated, so only OCR can see it. */
  burnedText: string;
  /** Where the text was drawn (pixels of frame 1). */
  burnedBox: TextBox;
}

export interface AlterOptions {
  /** The name put in the private element (default 'Doe^Jane'). */
  name?: string;
  /** The text burned in (default a date, '12/03/1961'), in capitals, digits and '/:-.'. */
  text?: string;
}

const ROWS = 0x00280010;
const COLUMNS = 0x00280011;
const BITS_ALLOCATED = 0x00280100;
const BITS_STORED = 0x00280101;
const PIXEL_REPRESENTATION = 0x00280103;
const PRIVATE_CREATOR = 0x00090010;
const PRIVATE_NAME = 0x00091010;

interface Entry {
  name: string;
  data: Uint8Array;
}

async function readVolume(volume: PackageVolume): Promise<Entry[]> {
  const entries: Entry[] = [];
  for await (const e of readZipEntries(new Blob([volume.data as BlobPart])))
    entries.push({ name: e.name, data: await e.data() });
  return entries;
}

async function writeVolume(entries: Entry[]): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const chunk of zipEntries(entries)) parts.push(chunk);
  return new Uint8Array(await new Blob(parts as BlobPart[]).arrayBuffer());
}

/** Adds a private block (0009,00xx "ACME") holding `name`: not on any safe-private list. */
async function addPrivateName(data: Uint8Array, name: string): Promise<Uint8Array> {
  const file = await readDicomFile(data);
  file.dataset.set(PRIVATE_CREATOR, textElement(PRIVATE_CREATOR, 'LO', 'ACME'));
  file.dataset.set(PRIVATE_NAME, textElement(PRIVATE_NAME, 'LO', name));
  return writeDicomFile({
    meta: file.meta,
    dataset: file.dataset,
    transferSyntaxUID: file.syntax.transferSyntaxUID,
  });
}

/** Draws `text` into frame 1 of native little-endian pixels (8 or 16 bits), at the top left. */
async function burnText(data: Uint8Array, text: string): Promise<TextBox> {
  const file = await readDicomFile(data);
  const first = (tag: number): number => getNumbers(file.dataset, tag, true)?.[0] ?? 0;
  const [rows, columns, bits] = [first(ROWS), first(COLUMNS), first(BITS_ALLOCATED)];
  if (file.syntax.encapsulated || !file.syntax.littleEndian || !file.pixelData)
    throw new Error('burnText: needs native little-endian pixel data');
  const raster = createRaster(columns, rows, 1);
  const box = drawText(raster, 12, 12, text, 3, [255]);
  const start = file.pixelData.valueStart;
  const view = new DataView(data.buffer, data.byteOffset + start, rows * columns * (bits / 8));
  const stored = first(BITS_STORED) || bits;
  const signed = first(PIXEL_REPRESENTATION) === 1;
  // Bright, well inside the stored range: 4000 for 12-bit CT, the maximum for 8 bits.
  const ink = bits === 8 ? 255 : Math.min(4000, 2 ** (signed ? stored - 1 : stored) - 1);
  for (let i = 0; i < raster.data.length; i++) {
    if (!raster.data[i]) continue;
    if (bits === 8) view.setUint8(i, ink);
    else if (bits === 16) view.setUint16(i * 2, ink, true);
    else throw new Error('burnText: needs 8 or 16 bits allocated');
  }
  return box;
}

/** The same 64 hex digits with the last one changed: a checksum that no longer matches. */
function breakSha256(hex: string): string {
  return hex.slice(0, -1) + (hex.endsWith('0') ? '1' : '0');
}

/**
 * A copy of the package (its zip volumes, in order) with four different DICOM entries altered, the
 * first four in path order: burned-in text, a name in a private element, a broken checksum, a
 * removed file. The checksums of the two rewritten files are updated in manifest.json, so each
 * alteration is the only thing wrong with its file. Real zip bytes and real DICOM edits.
 */
export async function alterPackageCopy(
  volumes: readonly PackageVolume[],
  options: AlterOptions = {},
): Promise<AlteredCopy> {
  const contents = await Promise.all(volumes.map(readVolume));
  const entry = (name: string): Entry | undefined => contents.flat().find((e) => e.name === name);
  const manifest = entry('manifest.json');
  if (!manifest) throw new Error('alterPackageCopy: the package has no manifest.json');
  const json = JSON.parse(new TextDecoder().decode(manifest.data)) as {
    files: { path: string; size: number; sha256: string }[];
  };
  // The manifest's files are the DICOM instances (documents such as DICOMDIR are listed apart).
  const instances = json.files.map((f) => f.path).filter((p) => entry(p) !== undefined);
  instances.sort();
  if (instances.length < 4) throw new Error('alterPackageCopy: needs at least four DICOM entries');
  const [burnedText, privateName, brokenChecksum, removed] = instances;

  const burnedBox = await burnText(entry(burnedText)!.data, options.text ?? '12/03/1961');
  const named = entry(privateName)!;
  named.data = await addPrivateName(named.data, options.name ?? 'Doe^Jane');

  const listed = (path: string) => json.files.find((f) => f.path === path)!;
  for (const path of [burnedText, privateName]) {
    listed(path).size = entry(path)!.data.length;
    listed(path).sha256 = await sha256Hex(entry(path)!.data);
  }
  listed(brokenChecksum).sha256 = breakSha256(listed(brokenChecksum).sha256);
  manifest.data = new TextEncoder().encode(`${JSON.stringify(json, null, 2)}\n`);

  const out: PackageVolume[] = [];
  for (const [i, volume] of volumes.entries()) {
    const kept = contents[i].filter((e) => e.name !== removed);
    out.push({ name: volume.name, data: await writeVolume(kept) });
  }
  return { volumes: out, privateName, brokenChecksum, removed, burnedText, burnedBox };
}
