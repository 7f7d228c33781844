// Byte layouts of the zip records we write (APPNOTE.TXT 6.3.x) and their sizes, as pure functions.
//
// Every field that could carry a time, a user or a host is fixed here, so two runs with the same
// entries write the same bytes: DOS time 1980-01-01 00:00, no extended-timestamp or unix extra
// fields, permissions 0644, data descriptors always (bit 3) and UTF-8 names always (bit 11).

export type ZipCompression = 'store' | 'deflate';

export const METHOD_STORE = 0;
export const METHOD_DEFLATE = 8;
const SIG_LOCAL = 0x04034b50;
const SIG_DESCRIPTOR = 0x08074b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_END = 0x06054b50;
const SIG_ZIP64_END = 0x06064b50;
const SIG_ZIP64_LOCATOR = 0x07064b50;

/** 1980-01-01 00:00:00, the earliest MS-DOS date: carries no information about the run. */
export const DOS_TIME = 0x0000;
export const DOS_DATE = (0 << 9) | (1 << 5) | 1;
/** Bit 3: sizes and CRC follow the data; bit 11: the name is UTF-8. */
export const FLAGS = 0x0808;
/** Made by: UNIX (3), spec version 4.5, so that the external attributes below mean 0644. */
const VERSION_MADE_BY = (3 << 8) | 45;
const EXTERNAL_ATTRIBUTES = (0o100644 << 16) >>> 0;
const VERSION_DEFAULT = 20;
const VERSION_ZIP64 = 45;

/** Values at or above this do not fit a 32-bit field and go to the ZIP64 extra field. */
export const MAX_32 = 0xffffffff;
/** Entry counts at or above this need the ZIP64 end record. */
export const MAX_16 = 0xffff;

export const LOCAL_HEADER_SIZE = 30;
export const CENTRAL_HEADER_SIZE = 46;
export const END_SIZE = 22;
export const ZIP64_END_SIZE = 56;
export const ZIP64_LOCATOR_SIZE = 20;
export const ZIP64_LOCAL_EXTRA_SIZE = 20;

/** What the central directory needs to know about one written entry. */
export interface CentralRecord {
  name: Uint8Array;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  offset: number;
  zip64Local: boolean;
}

/**
 * Worst-case deflate-raw output for `n` input bytes (zlib's deflateBound with the stored-block
 * overhead), so a local header can commit to 32- or 64-bit sizes before compressing.
 */
export function deflateBound(n: number): number {
  return (
    n +
    Math.floor(n / 4096) +
    Math.floor(n / 16384) +
    Math.floor(n / 33554432) +
    13 +
    5 * Math.ceil(n / 16383)
  );
}

/** The largest number of bytes the entry's data can take in the zip. */
export function dataBound(size: number, compression: ZipCompression): number {
  return compression === 'store' ? size : deflateBound(size);
}

/** True when the local header must announce 64-bit sizes (unknown size, or one that may pass 4 GiB). */
export function needsZip64Local(size: number | undefined, compression: ZipCompression): boolean {
  return size === undefined || dataBound(size, compression) >= MAX_32;
}

function writeU64(view: DataView, at: number, value: number): void {
  view.setUint32(at, value % 0x100000000, true);
  view.setUint32(at + 4, Math.floor(value / 0x100000000), true);
}

export function localHeader(
  name: Uint8Array,
  method: number,
  zip64Local: boolean,
  offset: number,
): Uint8Array {
  const extra = zip64Local ? ZIP64_LOCAL_EXTRA_SIZE : 0;
  const out = new Uint8Array(LOCAL_HEADER_SIZE + name.length + extra);
  const v = new DataView(out.buffer);
  v.setUint32(0, SIG_LOCAL, true);
  v.setUint16(4, zip64Local || offset >= MAX_32 ? VERSION_ZIP64 : VERSION_DEFAULT, true);
  v.setUint16(6, FLAGS, true);
  v.setUint16(8, method, true);
  v.setUint16(10, DOS_TIME, true);
  v.setUint16(12, DOS_DATE, true);
  // CRC and sizes are zero here: bit 3 puts them in the data descriptor after the data.
  v.setUint32(18, zip64Local ? MAX_32 : 0, true);
  v.setUint32(22, zip64Local ? MAX_32 : 0, true);
  v.setUint16(26, name.length, true);
  v.setUint16(28, extra, true);
  out.set(name, LOCAL_HEADER_SIZE);
  if (zip64Local) {
    const at = LOCAL_HEADER_SIZE + name.length;
    v.setUint16(at, 0x0001, true);
    v.setUint16(at + 2, 16, true);
    // The two 64-bit sizes stay zero, like the 32-bit ones without ZIP64.
  }
  return out;
}

export function dataDescriptor(
  crc: number,
  compressedSize: number,
  size: number,
  zip64Local: boolean,
): Uint8Array {
  const out = new Uint8Array(zip64Local ? 24 : 16);
  const v = new DataView(out.buffer);
  v.setUint32(0, SIG_DESCRIPTOR, true);
  v.setUint32(4, crc, true);
  if (zip64Local) {
    writeU64(v, 8, compressedSize);
    writeU64(v, 16, size);
  } else {
    v.setUint32(8, compressedSize, true);
    v.setUint32(12, size, true);
  }
  return out;
}

export function descriptorSize(zip64Local: boolean): number {
  return zip64Local ? 24 : 16;
}

/** Size of the ZIP64 extra field of a central record: 8 bytes for each value that overflows. */
export function centralExtraSize(size: number, compressedSize: number, offset: number): number {
  const n =
    (size >= MAX_32 ? 1 : 0) + (compressedSize >= MAX_32 ? 1 : 0) + (offset >= MAX_32 ? 1 : 0);
  return n === 0 ? 0 : 4 + 8 * n;
}

export function centralHeader(r: CentralRecord): Uint8Array {
  const extra = centralExtraSize(r.size, r.compressedSize, r.offset);
  const out = new Uint8Array(CENTRAL_HEADER_SIZE + r.name.length + extra);
  const v = new DataView(out.buffer);
  v.setUint32(0, SIG_CENTRAL, true);
  v.setUint16(4, VERSION_MADE_BY, true);
  v.setUint16(6, r.zip64Local || extra > 0 ? VERSION_ZIP64 : VERSION_DEFAULT, true);
  v.setUint16(8, FLAGS, true);
  v.setUint16(10, r.method, true);
  v.setUint16(12, DOS_TIME, true);
  v.setUint16(14, DOS_DATE, true);
  v.setUint32(16, r.crc, true);
  v.setUint32(20, Math.min(r.compressedSize, MAX_32), true);
  v.setUint32(24, Math.min(r.size, MAX_32), true);
  v.setUint16(28, r.name.length, true);
  v.setUint16(30, extra, true);
  // comment length, disk number start, internal attributes: zero.
  v.setUint32(38, EXTERNAL_ATTRIBUTES, true);
  v.setUint32(42, Math.min(r.offset, MAX_32), true);
  out.set(r.name, CENTRAL_HEADER_SIZE);
  if (extra > 0) {
    let at = CENTRAL_HEADER_SIZE + r.name.length;
    v.setUint16(at, 0x0001, true);
    v.setUint16(at + 2, extra - 4, true);
    at += 4;
    // APPNOTE 4.5.3: only the overflowing values, in this order.
    for (const value of [r.size, r.compressedSize, r.offset]) {
      if (value >= MAX_32) {
        writeU64(v, at, value);
        at += 8;
      }
    }
  }
  return out;
}

export function needsZip64End(count: number, cdSize: number, cdOffset: number): boolean {
  return count >= MAX_16 || cdSize >= MAX_32 || cdOffset >= MAX_32;
}

export function endSize(count: number, cdSize: number, cdOffset: number): number {
  return (
    (needsZip64End(count, cdSize, cdOffset) ? ZIP64_END_SIZE + ZIP64_LOCATOR_SIZE : 0) + END_SIZE
  );
}

/** The end of the archive: ZIP64 end record and locator when needed, then the classic end record. */
export function endRecords(count: number, cdSize: number, cdOffset: number): Uint8Array {
  const zip64 = needsZip64End(count, cdSize, cdOffset);
  const out = new Uint8Array(endSize(count, cdSize, cdOffset));
  const v = new DataView(out.buffer);
  let at = 0;
  if (zip64) {
    v.setUint32(0, SIG_ZIP64_END, true);
    writeU64(v, 4, ZIP64_END_SIZE - 12);
    v.setUint16(12, VERSION_MADE_BY, true);
    v.setUint16(14, VERSION_ZIP64, true);
    // this disk, disk with the central directory: zero.
    writeU64(v, 24, count);
    writeU64(v, 32, count);
    writeU64(v, 40, cdSize);
    writeU64(v, 48, cdOffset);
    v.setUint32(56, SIG_ZIP64_LOCATOR, true);
    writeU64(v, 64, cdOffset + cdSize);
    v.setUint32(72, 1, true);
    at = ZIP64_END_SIZE + ZIP64_LOCATOR_SIZE;
  }
  v.setUint32(at, SIG_END, true);
  v.setUint16(at + 8, Math.min(count, MAX_16), true);
  v.setUint16(at + 10, Math.min(count, MAX_16), true);
  v.setUint32(at + 12, Math.min(cdSize, MAX_32), true);
  v.setUint32(at + 16, Math.min(cdOffset, MAX_32), true);
  return out;
}
