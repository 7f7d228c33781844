// Streaming zip reader for verification: walks the central directory (ZIP64 too) in bounded slices
// and reads an entry's data only when asked.

import { crc32Update } from './crc32';

export interface ZipEntryInfo {
  name: string;
  /** Uncompressed size. */
  size: number;
  compressedSize: number;
  crc32: number;
  /** 0 store, 8 deflate; other methods cannot be read. */
  method: number;
  /** Offset of the local header in the zip. */
  offset: number;
  /** The whole uncompressed entry, CRC-checked (ZipReadError 'crc-mismatch' otherwise). */
  data: () => Promise<Uint8Array>;
  /** The uncompressed entry as a stream, CRC-checked at its end: memory bounded for large entries. */
  stream: () => ReadableStream<Uint8Array>;
}

/**
 * Random access to the zip bytes. A Blob or File is one; so is a small wrapper over a Node file
 * handle, which matters because Node 20's fs.openAsBlob reports a wrong size past 4 GiB.
 */
export interface ZipSource {
  readonly size: number;
  slice(
    start: number,
    end: number,
  ): { arrayBuffer(): Promise<ArrayBuffer>; stream(): ReadableStream<Uint8Array> };
}

export class ZipReadError extends Error {
  constructor(
    readonly code:
      | 'not-zip'
      | 'truncated'
      | 'bad-record'
      | 'unsupported-method'
      | 'crc-mismatch'
      | 'size-mismatch',
    message: string,
    readonly offset?: number,
  ) {
    super(message);
    this.name = 'ZipReadError';
  }
}

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_END = 0x06054b50;
const SIG_ZIP64_END = 0x06064b50;
const SIG_ZIP64_LOCATOR = 0x07064b50;
const MAX_32 = 0xffffffff;
const MAX_16 = 0xffff;
/** The central directory is read in slices of this size, so memory does not grow with it. */
const SLICE = 1 << 20;

async function readBytes(source: ZipSource, start: number, end: number): Promise<Uint8Array> {
  if (start < 0 || end > source.size)
    throw new ZipReadError('truncated', 'A record points outside the file.', start);
  return new Uint8Array(await source.slice(start, end).arrayBuffer());
}

function u64(v: DataView, at: number): number {
  const value = v.getUint32(at, true) + v.getUint32(at + 4, true) * 0x100000000;
  if (!Number.isSafeInteger(value))
    throw new ZipReadError('bad-record', 'A 64-bit value is too large.', at);
  return value;
}

interface Directory {
  count: number;
  cdOffset: number;
  cdSize: number;
}

async function readDirectoryLocation(source: ZipSource): Promise<Directory> {
  const tailStart = Math.max(0, source.size - (22 + MAX_16));
  const tail = await readBytes(source, tailStart, source.size);
  const tv = new DataView(tail.buffer, tail.byteOffset, tail.byteLength);
  let at = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tv.getUint32(i, true) === SIG_END) {
      at = i;
      break;
    }
  }
  if (at < 0) throw new ZipReadError('not-zip', 'No end of central directory record found.');
  let count = tv.getUint16(at + 10, true);
  let cdSize = tv.getUint32(at + 12, true);
  let cdOffset = tv.getUint32(at + 16, true);
  const endOffset = tailStart + at;
  if (endOffset >= 20) {
    const loc = await readBytes(source, endOffset - 20, endOffset);
    const lv = new DataView(loc.buffer);
    if (lv.getUint32(0, true) === SIG_ZIP64_LOCATOR) {
      const z64At = u64(lv, 8);
      const rec = await readBytes(source, z64At, z64At + 56);
      const rv = new DataView(rec.buffer);
      if (rv.getUint32(0, true) !== SIG_ZIP64_END) {
        throw new ZipReadError(
          'bad-record',
          'The ZIP64 locator does not point at a ZIP64 end record.',
          z64At,
        );
      }
      count = u64(rv, 32);
      cdSize = u64(rv, 40);
      cdOffset = u64(rv, 48);
    } else if (count === MAX_16 || cdSize === MAX_32 || cdOffset === MAX_32) {
      throw new ZipReadError(
        'bad-record',
        'The end record overflows but there is no ZIP64 locator.',
        endOffset,
      );
    }
  }
  if (cdOffset + cdSize > source.size)
    throw new ZipReadError('truncated', 'The central directory is outside the file.', cdOffset);
  return { count, cdOffset, cdSize };
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

/**
 * Lists a zip's entries in central-directory order. Memory: one 1 MiB slice of the directory at a
 * time; entry data is read only through `data()` or `stream()`.
 */
export async function* readZipEntries(
  source: ZipSource,
): AsyncGenerator<ZipEntryInfo, void, undefined> {
  const dir = await readDirectoryLocation(source);
  const end = dir.cdOffset + dir.cdSize;
  let buf: Uint8Array = new Uint8Array(0);
  let bufStart = dir.cdOffset;
  let pos = dir.cdOffset;
  const ensure = async (n: number) => {
    if (pos + n <= bufStart + buf.length) return;
    if (pos + n > end)
      throw new ZipReadError('truncated', 'A central record runs past the directory.', pos);
    const from = pos;
    const to = Math.min(end, Math.max(pos + n, pos + SLICE));
    buf = await readBytes(source, from, to);
    bufStart = from;
  };
  for (let i = 0; i < dir.count; i++) {
    await ensure(46);
    let v = new DataView(buf.buffer, buf.byteOffset + (pos - bufStart));
    if (v.getUint32(0, true) !== SIG_CENTRAL)
      throw new ZipReadError('bad-record', `Central record ${i} has a bad signature.`, pos);
    const method = v.getUint16(10, true);
    const crc = v.getUint32(16, true);
    let compressedSize = v.getUint32(20, true);
    let size = v.getUint32(24, true);
    const nameLength = v.getUint16(28, true);
    const extraLength = v.getUint16(30, true);
    const commentLength = v.getUint16(32, true);
    let offset = v.getUint32(42, true);
    const total = 46 + nameLength + extraLength + commentLength;
    await ensure(total);
    const at = pos - bufStart;
    v = new DataView(buf.buffer, buf.byteOffset + at, total);
    const name = utf8.decode(buf.subarray(at + 46, at + 46 + nameLength));
    // ZIP64 extra (APPNOTE 4.5.3): only the fields whose 32-bit value overflowed, in order.
    let e = 46 + nameLength;
    const extraEnd = e + extraLength;
    while (e + 4 <= extraEnd) {
      const id = v.getUint16(e, true);
      const len = v.getUint16(e + 2, true);
      if (id === 0x0001) {
        let f = e + 4;
        if (size === MAX_32) {
          size = u64(v, f);
          f += 8;
        }
        if (compressedSize === MAX_32) {
          compressedSize = u64(v, f);
          f += 8;
        }
        if (offset === MAX_32) offset = u64(v, f);
      }
      e += 4 + len;
    }
    pos += total;
    yield makeEntry(source, { name, method, crc32: crc, size, compressedSize, offset });
  }
}

/**
 * Bytes read past a local header's fixed 30 for its name and extra field, so that a stored entry
 * is one read: in Chromium each Blob read costs milliseconds whatever its size, and a package of
 * small files spent more time on the separate header read and stream than on the data.
 */
const LOCAL_HEADER_ROOM = 30 + 1024;

/** A stored (uncompressed) entry whole, header and data in one read; undefined if they do not fit. */
async function storedEntryData(
  source: ZipSource,
  e: Omit<ZipEntryInfo, 'data' | 'stream'>,
): Promise<Uint8Array | undefined> {
  const end = Math.min(source.size, e.offset + LOCAL_HEADER_ROOM + e.compressedSize);
  const bytes = await readBytes(source, e.offset, end);
  if (bytes.length < 30) throw new ZipReadError('truncated', 'Local header is cut off.', e.offset);
  const hv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (hv.getUint32(0, true) !== SIG_LOCAL)
    throw new ZipReadError('bad-record', 'Local header has a bad signature.', e.offset);
  const dataStart = 30 + hv.getUint16(26, true) + hv.getUint16(28, true);
  if (dataStart + e.compressedSize > bytes.length) return undefined;
  const data = bytes.subarray(dataStart, dataStart + e.compressedSize);
  if (data.length !== e.size)
    throw new ZipReadError(
      'size-mismatch',
      `Entry at offset ${e.offset} has ${data.length} bytes, expected ${e.size}.`,
      e.offset,
    );
  if (crc32Update(0, data) !== e.crc32)
    throw new ZipReadError(
      'crc-mismatch',
      `Entry at offset ${e.offset} fails its CRC-32 check.`,
      e.offset,
    );
  return data;
}

function makeEntry(source: ZipSource, e: Omit<ZipEntryInfo, 'data' | 'stream'>): ZipEntryInfo {
  const stream = () => entryStream(source, e);
  return {
    ...e,
    stream,
    data: async () => {
      if (e.method === 0) {
        const whole = await storedEntryData(source, e);
        if (whole) return whole;
      }
      const out = new Uint8Array(e.size);
      let at = 0;
      const reader = stream().getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (at + value.length > out.length)
          throw new ZipReadError('size-mismatch', 'Entry data is longer than declared.', e.offset);
        out.set(value, at);
        at += value.length;
      }
      return out;
    },
  };
}

function entryStream(
  source: ZipSource,
  e: Omit<ZipEntryInfo, 'data' | 'stream'>,
): ReadableStream<Uint8Array> {
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  let crc = 0;
  let size = 0;
  return new ReadableStream<Uint8Array>({
    async start() {
      if (e.method !== 0 && e.method !== 8) {
        throw new ZipReadError(
          'unsupported-method',
          `Entry at offset ${e.offset} uses compression method ${e.method}.`,
          e.offset,
        );
      }
      const head = await readBytes(source, e.offset, e.offset + 30);
      const hv = new DataView(head.buffer);
      if (hv.getUint32(0, true) !== SIG_LOCAL)
        throw new ZipReadError('bad-record', 'Local header has a bad signature.', e.offset);
      const dataStart = e.offset + 30 + hv.getUint16(26, true) + hv.getUint16(28, true);
      if (dataStart + e.compressedSize > source.size)
        throw new ZipReadError('truncated', 'Entry data runs past the file.', e.offset);
      const raw = source.slice(dataStart, dataStart + e.compressedSize).stream();
      const plain =
        e.method === 8
          ? raw.pipeThrough(
              new DecompressionStream('deflate-raw') as unknown as TransformStream<
                Uint8Array,
                Uint8Array
              >,
            )
          : raw;
      reader = plain.getReader();
    },
    async pull(controller) {
      const { done, value } = await reader!.read();
      if (done) {
        if (size !== e.size)
          throw new ZipReadError(
            'size-mismatch',
            `Entry at offset ${e.offset} has ${size} bytes, expected ${e.size}.`,
            e.offset,
          );
        if (crc !== e.crc32)
          throw new ZipReadError(
            'crc-mismatch',
            `Entry at offset ${e.offset} fails its CRC-32 check.`,
            e.offset,
          );
        controller.close();
        return;
      }
      crc = crc32Update(crc, value);
      size += value.length;
      controller.enqueue(value);
    },
    async cancel(reason) {
      await reader?.cancel(reason);
    },
  });
}
