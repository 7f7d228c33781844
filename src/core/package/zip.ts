// Streaming, deterministic, ZIP64-correct zip writer and its split into self-contained volumes.
//
// Memory: the data of an entry is passed through chunk by chunk (a Blob is read as a stream, never
// as a whole); only the central directory grows, about 60 bytes plus the name per entry.

import { crc32Update } from './crc32';
import {
  type CentralRecord,
  type ZipCompression,
  centralExtraSize,
  centralHeader,
  dataBound,
  dataDescriptor,
  descriptorSize,
  endRecords,
  endSize,
  localHeader,
  LOCAL_HEADER_SIZE,
  CENTRAL_HEADER_SIZE,
  MAX_16,
  MAX_32,
  METHOD_DEFLATE,
  METHOD_STORE,
  needsZip64Local,
  ZIP64_LOCAL_EXTRA_SIZE,
} from './zip-format';

export type { ZipCompression } from './zip-format';

export interface ZipEntryInput {
  /** Path inside the zip, '/'-separated, relative, no '.' or '..' segments. */
  name: string;
  data: Blob | Uint8Array | ReadableStream<Uint8Array>;
  /** Required for a ReadableStream that goes into volumes; checked against the bytes read. */
  size?: number;
  /**
   * The CRC-32 of the bytes when the caller already computed it (the de-identification worker
   * does, off the main thread); only used for Uint8Array data with 'store', where it saves a pass.
   */
  crc32?: number;
}

export interface ZipOptions {
  /** 'store' (default) is byte-identical across runtimes; 'deflate' only within one runtime. */
  compression?: ZipCompression;
}

export class ZipWriteError extends Error {
  constructor(
    readonly code:
      'bad-name' | 'duplicate-name' | 'size-mismatch' | 'missing-size' | 'bad-volume-size',
    message: string,
    readonly entryIndex?: number,
  ) {
    super(message);
    this.name = 'ZipWriteError';
  }
}

const utf8 = new TextEncoder();

function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

/** Encodes and checks an entry name; errors name the entry index, never the name (it may be PHI). */
export function encodeEntryName(name: string, index: number): Uint8Array {
  const bytes = utf8.encode(name);
  const segments = name.split('/');
  const bad =
    name.length === 0 ||
    bytes.length > MAX_16 ||
    name.includes('\\') ||
    hasControlCharacter(name) ||
    segments.some((s) => s === '' || s === '.' || s === '..');
  if (bad) {
    throw new ZipWriteError(
      'bad-name',
      `Entry ${index}: the name must be a relative '/'-separated path without empty, '.' or '..' segments, backslashes or control characters, and at most 65535 bytes.`,
      index,
    );
  }
  return bytes;
}

/** The size an entry declares: its own for bytes and Blobs, else the `size` field. */
export function declaredSize(entry: ZipEntryInput): number | undefined {
  if (entry.data instanceof Uint8Array) return entry.data.length;
  if (isBlob(entry.data)) return entry.data.size;
  return entry.size;
}

function isBlob(data: ZipEntryInput['data']): data is Blob {
  return typeof Blob !== 'undefined' && data instanceof Blob;
}

async function* readChunks(data: ZipEntryInput['data']): AsyncGenerator<Uint8Array> {
  if (data instanceof Uint8Array) {
    yield data;
    return;
  }
  const stream = isBlob(data) ? data.stream() : data;
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      if (value.length > 0) yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

/** Reads the entry, updating the CRC and size on the uncompressed bytes, and yields what goes in the zip. */
async function* entryData(
  data: ZipEntryInput['data'],
  compression: ZipCompression,
  tally: { crc: number; size: number; compressedSize: number },
): AsyncGenerator<Uint8Array> {
  const source = readChunks(data);
  if (compression === 'store') {
    for await (const chunk of source) {
      tally.crc = crc32Update(tally.crc, chunk);
      tally.size += chunk.length;
      tally.compressedSize += chunk.length;
      yield chunk;
    }
    return;
  }
  const plain = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await source.next();
      if (next.done) {
        controller.close();
        return;
      }
      tally.crc = crc32Update(tally.crc, next.value);
      tally.size += next.value.length;
      controller.enqueue(next.value);
    },
    async cancel() {
      await source.return(undefined);
    },
  });
  // The DOM typings pin CompressionStream to ArrayBuffer-backed views; any Uint8Array works at run time.
  const deflate = new CompressionStream('deflate-raw') as unknown as TransformStream<
    Uint8Array,
    Uint8Array
  >;
  for await (const chunk of readChunks(plain.pipeThrough(deflate))) {
    tally.compressedSize += chunk.length;
    yield chunk;
  }
}

/**
 * Writes a zip as a sequence of chunks, in the order entries are given. Pull-driven: nothing is
 * read before the consumer asks for it. Throws ZipWriteError on a bad or duplicate name and when
 * an entry's bytes disagree with its declared size.
 */
export async function* zipEntries(
  entries: AsyncIterable<ZipEntryInput> | Iterable<ZipEntryInput>,
  options: ZipOptions = {},
): AsyncGenerator<Uint8Array, void, undefined> {
  const compression = options.compression ?? 'store';
  const method = compression === 'store' ? METHOD_STORE : METHOD_DEFLATE;
  const central: CentralRecord[] = [];
  // Lower-cased, so that two names differing only in case cannot overwrite each other on unpacking.
  const seen = new Set<string>();
  let offset = 0;
  let index = 0;
  for await (const entry of entries) {
    const name = encodeEntryName(entry.name, index);
    const key = entry.name.toLowerCase();
    if (seen.has(key)) {
      throw new ZipWriteError(
        'duplicate-name',
        `Entry ${index}: the name is already used by an earlier entry.`,
        index,
      );
    }
    seen.add(key);
    const declared = declaredSize(entry);
    if (entry.size !== undefined && declared !== entry.size) {
      throw new ZipWriteError(
        'size-mismatch',
        `Entry ${index}: 'size' disagrees with the data.`,
        index,
      );
    }
    const zip64Local = needsZip64Local(declared, compression);
    const header = localHeader(name, method, zip64Local, offset);
    yield header;
    const tally = { crc: 0, size: 0, compressedSize: 0 };
    if (entry.crc32 !== undefined && entry.data instanceof Uint8Array && compression === 'store') {
      tally.crc = entry.crc32 >>> 0;
      tally.size = tally.compressedSize = entry.data.length;
      yield entry.data;
    } else {
      for await (const chunk of entryData(entry.data, compression, tally)) yield chunk;
    }
    if (
      (declared !== undefined && tally.size !== declared) ||
      (!zip64Local && tally.compressedSize >= MAX_32)
    ) {
      throw new ZipWriteError(
        'size-mismatch',
        `Entry ${index}: read ${tally.size} bytes, expected ${declared}.`,
        index,
      );
    }
    yield dataDescriptor(tally.crc, tally.compressedSize, tally.size, zip64Local);
    central.push({
      name,
      method,
      crc: tally.crc,
      compressedSize: tally.compressedSize,
      size: tally.size,
      offset,
      zip64Local,
    });
    offset += header.length + tally.compressedSize + descriptorSize(zip64Local);
    index++;
  }
  const cdOffset = offset;
  let cdSize = 0;
  // Central records are yielded in batches so a directory of 100,000 entries is not 100,000 chunks.
  let batch: Uint8Array[] = [];
  let batchBytes = 0;
  for (const record of central) {
    const bytes = centralHeader(record);
    batch.push(bytes);
    batchBytes += bytes.length;
    cdSize += bytes.length;
    if (batchBytes >= 1 << 20) {
      yield concatBytes(batch, batchBytes);
      batch = [];
      batchBytes = 0;
    }
  }
  if (batchBytes > 0) yield concatBytes(batch, batchBytes);
  yield endRecords(central.length, cdSize, cdOffset);
}

function concatBytes(parts: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Turns an async generator of chunks into a pull-driven ReadableStream (cancel stops the generator). */
export function toReadableStream(
  chunks: AsyncGenerator<Uint8Array, void, undefined>,
): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      },
      async cancel() {
        await chunks.return(undefined);
      },
    },
    { highWaterMark: 0 },
  );
}

/** The zip as a ReadableStream, e.g. to `pipeTo` a FileSystemWritableFileStream. */
export function zipStream(
  entries: AsyncIterable<ZipEntryInput> | Iterable<ZipEntryInput>,
  options: ZipOptions = {},
): ReadableStream<Uint8Array> {
  return toReadableStream(zipEntries(entries, options));
}

// ---------------------------------------------------------------------------------------------
// Volumes

export interface VolumeOptions extends ZipOptions {
  /** Upper bound of each volume file in bytes (except a volume holding one oversized entry). */
  maxBytes: number;
  /** Volumes are named `${baseName}-001.zip`, `-002.zip`, …; four digits from volume 1000 on. */
  baseName: string;
  /**
   * Index of the first volume (default 1). A resumed export starts the planner afresh at the first
   * unfinished volume: a volume boundary carries no state over, so the split is the same.
   */
  firstIndex?: number;
}

/** Which entries go into one volume, decided from names and sizes only. */
export interface VolumePlan {
  /** 1-based. */
  index: number;
  name: string;
  /** Index of the first entry (in the order given) and how many follow it. */
  firstEntry: number;
  entryCount: number;
  /** Exact file size for 'store'; an upper bound for 'deflate'. */
  plannedBytes: number;
  /** True when the volume holds a single entry that alone exceeds maxBytes. */
  oversized: boolean;
}

export function volumeName(baseName: string, index: number): string {
  return `${baseName}-${String(index).padStart(3, '0')}.zip`;
}

/** Sizes one entry adds to a volume when written at `offset`: its local part and its central record. */
function entryFootprint(
  nameLength: number,
  size: number,
  offset: number,
  compression: ZipCompression,
) {
  const zip64Local = needsZip64Local(size, compression);
  const bound = dataBound(size, compression);
  const local =
    LOCAL_HEADER_SIZE +
    nameLength +
    (zip64Local ? ZIP64_LOCAL_EXTRA_SIZE : 0) +
    bound +
    descriptorSize(zip64Local);
  const centralBytes = CENTRAL_HEADER_SIZE + nameLength + centralExtraSize(size, bound, offset);
  return { local, central: centralBytes };
}

/**
 * Plans volumes greedily in entry order: an entry goes into the current volume when the volume,
 * closed right after it, would stay within maxBytes; otherwise it opens the next volume. An entry
 * too large for any volume gets a volume of its own. The plan depends only on names and sizes, so
 * a resumed export rewrites every volume identically.
 */
export class VolumePlanner {
  private readonly plans: VolumePlan[] = [];
  private current: VolumePlan | undefined;
  private local = 0;
  private centralBytes = 0;
  private entries = 0;
  private readonly firstIndex: number;

  constructor(private readonly options: VolumeOptions) {
    if (!(Number.isSafeInteger(options.maxBytes) && options.maxBytes > 0)) {
      throw new ZipWriteError('bad-volume-size', 'maxBytes must be a positive integer.');
    }
    const first = options.firstIndex ?? 1;
    if (!(Number.isSafeInteger(first) && first >= 1)) {
      throw new ZipWriteError('bad-volume-size', 'firstIndex must be an integer from 1.');
    }
    this.firstIndex = first;
  }

  /** Places the next entry; returns the plan of the volume it went into (opened when it changes). */
  add(nameLength: number, size: number): { plan: VolumePlan; opened: boolean } {
    const compression = this.options.compression ?? 'store';
    const fits = (p: VolumePlan) => {
      const f = entryFootprint(nameLength, size, this.local, compression);
      const local = this.local + f.local;
      const central = this.centralBytes + f.central;
      const total = local + central + endSize(p.entryCount + 1, central, local);
      return total <= this.options.maxBytes ? { local, central, total } : undefined;
    };
    const current = this.current;
    const placed = current && !current.oversized ? fits(current) : undefined;
    if (current && placed) {
      current.entryCount++;
      current.plannedBytes = placed.total;
      this.local = placed.local;
      this.centralBytes = placed.central;
      this.entries++;
      return { plan: current, opened: false };
    }
    const index = this.firstIndex + this.plans.length;
    const plan: VolumePlan = {
      index,
      name: volumeName(this.options.baseName, index),
      firstEntry: this.entries,
      entryCount: 1,
      plannedBytes: 0,
      oversized: false,
    };
    const f = entryFootprint(nameLength, size, 0, compression);
    plan.plannedBytes = f.local + f.central + endSize(1, f.central, f.local);
    plan.oversized = plan.plannedBytes > this.options.maxBytes;
    this.local = f.local;
    this.centralBytes = f.central;
    this.entries++;
    this.plans.push(plan);
    this.current = plan;
    return { plan, opened: true };
  }

  get volumes(): readonly VolumePlan[] {
    return this.plans;
  }
}

/** The whole plan for a list of entry names and sizes (e.g. to resume at a given volume). */
export function planVolumes(
  entries: Iterable<{ name: string; size: number }>,
  options: VolumeOptions,
): VolumePlan[] {
  const planner = new VolumePlanner(options);
  let i = 0;
  for (const e of entries) planner.add(encodeEntryName(e.name, i++).length, e.size);
  return [...planner.volumes];
}

export interface ZipVolume {
  index: number;
  name: string;
  /** The volume's bytes; read it to the end before asking for the next volume. */
  chunks: AsyncGenerator<Uint8Array, void, undefined>;
  /** The same bytes as a ReadableStream (use one of `chunks` or `stream`). */
  stream: () => ReadableStream<Uint8Array>;
  /** Names of the entries written so far into this volume (complete once its bytes are read). */
  entryNames: string[];
}

/**
 * Splits entries into volumes, each a complete zip, following the same rule as `planVolumes`.
 * Entries are pulled lazily: each volume's bytes must be read to the end before the next volume
 * is requested. Every entry needs a known size (Blob, Uint8Array, or `size`).
 */
export async function* zipVolumes(
  entries: AsyncIterable<ZipEntryInput> | Iterable<ZipEntryInput>,
  options: VolumeOptions,
): AsyncGenerator<ZipVolume, void, undefined> {
  const planner = new VolumePlanner(options);
  const source = toAsyncIterator(entries);
  let pending: { entry: ZipEntryInput; plan: VolumePlan } | undefined;
  let index = 0;
  const pull = async () => {
    const next = await source.next();
    if (next.done) return undefined;
    const entry = next.value;
    const size = declaredSize(entry);
    if (size === undefined) {
      throw new ZipWriteError(
        'missing-size',
        `Entry ${index}: a stream entry needs 'size' to be split into volumes.`,
        index,
      );
    }
    const { plan } = planner.add(encodeEntryName(entry.name, index).length, size);
    index++;
    return { entry, plan };
  };
  pending = await pull();
  while (pending) {
    const volumePlan = pending.plan;
    const entryNames: string[] = [];
    let finished = false;
    async function* volumeEntries(): AsyncGenerator<ZipEntryInput> {
      while (pending && pending.plan === volumePlan) {
        const { entry } = pending;
        entryNames.push(entry.name);
        yield entry;
        pending = await pull();
      }
      finished = true;
    }
    const chunks = zipEntries(volumeEntries(), options);
    yield {
      index: volumePlan.index,
      name: volumePlan.name,
      chunks,
      stream: () => toReadableStream(chunks),
      entryNames,
    };
    if (!finished) {
      throw new Error(
        `Volume ${volumePlan.index} was not read to the end before the next volume was requested.`,
      );
    }
  }
}

function toAsyncIterator<T>(items: AsyncIterable<T> | Iterable<T>): AsyncIterator<T> {
  if (Symbol.asyncIterator in items) return (items as AsyncIterable<T>)[Symbol.asyncIterator]();
  const it = (items as Iterable<T>)[Symbol.iterator]();
  return { next: async () => it.next() };
}
