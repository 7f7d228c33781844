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

/**
 * Streams `chunks` into `dir/name`. Where the browser can rename a file, the bytes go to
 * `name.partial` first and are renamed when complete; elsewhere the file is written under its
 * name and removed on failure. Either way a failed volume leaves nothing behind.
 */
export async function writeFileAtomically(
  dir: FileSystemDirectoryHandle,
  name: string,
  chunks: AsyncIterable<Uint8Array>,
): Promise<void> {
  const probe = (await dir.getFileHandle(`${name}.partial`, { create: true })) as MovableFileHandle;
  const canMove = typeof probe.move === 'function';
  const target = canMove ? probe : await dir.getFileHandle(name, { create: true });
  const written = canMove ? `${name}.partial` : name;
  if (!canMove) await removeQuietly(dir, `${name}.partial`);
  let writable: FileSystemWritableFileStream | undefined;
  try {
    writable = await target.createWritable();
    for await (const chunk of chunks) await writable.write(chunk as Uint8Array<ArrayBuffer>);
    await writable.close();
    writable = undefined;
    if (canMove) {
      await removeQuietly(dir, name);
      await probe.move!(name);
    }
  } catch (error) {
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
