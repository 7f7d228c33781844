// Writes package volumes and small files into the output folder the user chose, so that a volume
// that did not finish never looks complete: it is written as NAME.partial and renamed at the end.

/** Chromium's FileSystemFileHandle.move (not yet in TypeScript's DOM lib). */
interface MovableFileHandle extends FileSystemFileHandle {
  move?(newName: string): Promise<void>;
}

/** Why writing stopped, in plain words. */
export class OutputWriteError extends Error {
  constructor(
    message: string,
    /** The DOMException's name (QuotaExceededError, NotAllowedError, ...). */
    readonly reason: string,
  ) {
    super(message);
    this.name = 'OutputWriteError';
  }
}

/** Plain words for a write failure: a full disk and a withdrawn permission are the usual ones. */
export function describeWriteError(error: unknown): OutputWriteError {
  if (error instanceof OutputWriteError) return error;
  const name = error instanceof Error || error instanceof DOMException ? error.name : 'error';
  switch (name) {
    case 'QuotaExceededError':
      return new OutputWriteError(
        'The disk (or the browser storage) is full. Free some space and export again.',
        name,
      );
    case 'NotAllowedError':
    case 'SecurityError':
      return new OutputWriteError(
        'The browser no longer allows writing to the output folder. Choose the folder again and allow editing.',
        name,
      );
    case 'NotFoundError':
      return new OutputWriteError(
        'The output folder was moved or deleted while writing. Choose a folder and export again.',
        name,
      );
    case 'NoModificationAllowedError':
    case 'InvalidStateError':
      return new OutputWriteError(
        'Another program is using a file in the output folder. Close it, or choose another folder.',
        name,
      );
    default:
      return new OutputWriteError(`Writing to the output folder failed (${name}).`, name);
  }
}

async function removeQuietly(dir: FileSystemDirectoryHandle, name: string): Promise<void> {
  try {
    await dir.removeEntry(name);
  } catch {
    // Already gone, or never created: nothing to clean up.
  }
}

/** How writeFileAtomically writes. */
export interface WriteFileOptions {
  /**
   * Stops the write: checked before every write, while a write or the next chunk is awaited, and
   * before the file is closed. The writable is aborted and the file removed (nothing half-written
   * is left), and the call rejects with the signal's reason.
   */
  signal?: AbortSignal;
  /**
   * Bytes handed to the browser per write (default WRITE_BYTES). Each write is a round trip to the
   * browser's file system process, and a zip is many small pieces (a header and a descriptor around
   * every entry), so small chunks are gathered into one buffer of this size, reused for every write.
   */
  writeBytes?: number;
}

/**
 * Measured in Chromium (bench/export-chromium.bench.ts): writing each chunk as it comes was clearly
 * slower; 1, 4 and 8 MiB could not be told apart on a loaded machine, and 4 MiB keeps memory small.
 */
export const WRITE_BYTES = 4 * 1024 * 1024;

/** The signal's reason as an error to reject with (an AbortError when the caller gave none). */
function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('Writing was cancelled.', 'AbortError');
}

/**
 * Settles with `work`, or rejects as soon as `signal` aborts; `work` is then left to settle on its
 * own (its rejection is swallowed: the caller has already moved on to abort the writable).
 */
function unlessAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) {
    work.catch(() => undefined);
    return Promise.reject(abortReason(signal));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      work.catch(() => undefined);
      reject(abortReason(signal));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/**
 * Streams `chunks` into `dir/name`. Where the browser can rename a file, the bytes go to
 * `name.partial` first and are renamed when complete; elsewhere the file is written under its
 * name and removed on failure. Either way a failed or cancelled volume leaves nothing behind.
 * Small chunks are gathered into writes of `writeBytes`; a chunk at least that large when the
 * buffer is empty is written as it is (no copy).
 */
export async function writeFileAtomically(
  dir: FileSystemDirectoryHandle,
  name: string,
  chunks: AsyncIterable<Uint8Array>,
  options: WriteFileOptions = {},
): Promise<void> {
  const { signal } = options;
  const writeBytes = Math.max(1, options.writeBytes ?? WRITE_BYTES);
  signal?.throwIfAborted();
  const probe = (await dir.getFileHandle(`${name}.partial`, { create: true })) as MovableFileHandle;
  const canMove = typeof probe.move === 'function';
  const target = canMove ? probe : await dir.getFileHandle(name, { create: true });
  const written = canMove ? `${name}.partial` : name;
  if (!canMove) await removeQuietly(dir, `${name}.partial`);
  let writable: FileSystemWritableFileStream | undefined;
  const source = chunks[Symbol.asyncIterator]();
  let sourceDone = false;
  try {
    writable = await unlessAborted(target.createWritable(), signal);
    const out = writable;
    // One buffer for the whole file, made when the first small chunk comes.
    let buffer: Uint8Array<ArrayBuffer> | undefined;
    let filled = 0;
    const write = async (bytes: Uint8Array): Promise<void> => {
      signal?.throwIfAborted();
      await unlessAborted(out.write(bytes as Uint8Array<ArrayBuffer>), signal);
    };
    for (;;) {
      const next = await unlessAborted(source.next(), signal);
      if (next.done) {
        sourceDone = true;
        break;
      }
      let chunk = next.value;
      if (filled === 0 && chunk.length >= writeBytes) {
        await write(chunk);
        continue;
      }
      while (chunk.length > 0) {
        buffer ??= new Uint8Array(writeBytes);
        const n = Math.min(chunk.length, writeBytes - filled);
        buffer.set(n === chunk.length ? chunk : chunk.subarray(0, n), filled);
        filled += n;
        chunk = chunk.subarray(n);
        if (filled === writeBytes) {
          await write(buffer);
          filled = 0;
        }
      }
    }
    if (filled > 0) await write(buffer!.subarray(0, filled));
    signal?.throwIfAborted();
    await out.close();
    writable = undefined;
    // A cancel that came while the file was closing still wins: the .partial file is removed.
    signal?.throwIfAborted();
    if (canMove) {
      await removeQuietly(dir, name);
      await probe.move!(name);
    }
  } catch (error) {
    // Stop the producer (a zip generator holding files in flight) unless it ended or failed.
    if (!sourceDone) void source.return?.(undefined)?.catch(() => undefined);
    if (writable) await writable.abort().catch(() => undefined);
    await removeQuietly(dir, written);
    throw error;
  }
}

/** Writes a small text file (report.json) whole. */
export async function writeTextFile(
  dir: FileSystemDirectoryHandle,
  name: string,
  text: string,
): Promise<void> {
  const bytes = new TextEncoder().encode(text);
  await writeFileAtomically(
    dir,
    name,
    (async function* () {
      yield bytes;
    })(),
  );
}
