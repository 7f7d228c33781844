// writeFileAtomically over an in-memory stand-in for a picked folder (Node has no File System Access
// API): gathering small chunks into large writes, and a cancel that leaves nothing behind.
import { describe, expect, test } from 'vitest';
import { writeFileAtomically, writeTextFile } from './write-output';

/** A promise the test settles by hand. */
function gate(): { promise: Promise<void>; open(): void } {
  let open = (): void => undefined;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

interface FolderOptions {
  /** Whether file handles have Chromium's move() (rename). */
  canMove?: boolean;
  /** Awaited inside every write before it is taken (a slow disk). */
  beforeWrite?: () => Promise<void>;
  /** Awaited inside close before the bytes are committed. */
  beforeClose?: () => Promise<void>;
}

/**
 * Just enough of FileSystemDirectoryHandle for the writer: files by name, a writable that copies
 * each write when it is made (as Chromium does) and commits on close, abort, removeEntry, move.
 */
function memoryFolder(options: FolderOptions = {}) {
  const files = new Map<string, Uint8Array>();
  const writes: Uint8Array[] = [];
  const log: string[] = [];
  const fileHandle = (name: string) => {
    const handle = {
      kind: 'file',
      name,
      async createWritable() {
        const parts: Uint8Array[] = [];
        let state: 'open' | 'closed' | 'aborted' = 'open';
        return {
          async write(chunk: Uint8Array) {
            if (state !== 'open') throw new TypeError('the stream is not writable');
            writes.push(chunk);
            parts.push(chunk.slice());
            await options.beforeWrite?.();
          },
          async close() {
            if (state !== 'open') throw new TypeError('the stream is not writable');
            await options.beforeClose?.();
            state = 'closed';
            files.set(handle.name, new Uint8Array(Buffer.concat(parts)));
            log.push(`close ${handle.name}`);
          },
          async abort() {
            state = 'aborted';
            log.push(`abort ${handle.name}`);
          },
        };
      },
      ...(options.canMove === false
        ? {}
        : {
            async move(to: string) {
              files.set(to, files.get(handle.name)!);
              files.delete(handle.name);
              handle.name = to;
            },
          }),
    };
    return handle;
  };
  const dir = {
    kind: 'directory',
    name: 'out',
    async getFileHandle(name: string, o?: { create?: boolean }) {
      if (!files.has(name)) {
        if (!o?.create) throw new DOMException('no such file', 'NotFoundError');
        files.set(name, new Uint8Array());
      }
      return fileHandle(name);
    },
    async removeEntry(name: string) {
      if (!files.delete(name)) throw new DOMException('no such file', 'NotFoundError');
    },
  } as unknown as FileSystemDirectoryHandle;
  return { dir, files, writes, log };
}

/** Deterministic chunks of the given sizes, each byte its offset in the file mod 251. */
function chunksOf(sizes: number[]): Uint8Array[] {
  let offset = 0;
  return sizes.map((size) => Uint8Array.from({ length: size }, () => offset++ % 251));
}

async function* from(chunks: Uint8Array[]): AsyncGenerator<Uint8Array> {
  yield* chunks;
}

const concat = (chunks: Uint8Array[]): Uint8Array => new Uint8Array(Buffer.concat(chunks));

describe('writeFileAtomically', () => {
  test('small chunks are gathered into writes of writeBytes and the bytes are unchanged', async () => {
    const { dir, files, writes } = memoryFolder();
    const sizes = [30, 1, 200, 999, 0, 17, 400, 400, 400, 5, 123, 640, 2];
    const chunks = chunksOf(sizes);
    await writeFileAtomically(dir, 'a.zip', from(chunks), { writeBytes: 1000 });
    const total = sizes.reduce((a, b) => a + b, 0);
    expect(files.get('a.zip')).toEqual(concat(chunks));
    expect([...files.keys()]).toEqual(['a.zip']);
    expect(writes.map((w) => w.length)).toEqual([1000, 1000, 1000, total - 3000]);
  });

  test('a chunk of at least writeBytes that meets an empty buffer is written as it is, without a copy', async () => {
    const { dir, files, writes } = memoryFolder();
    const chunks = chunksOf([1500, 10, 2000, 990, 3000]);
    await writeFileAtomically(dir, 'b.zip', from(chunks), { writeBytes: 1000 });
    expect(files.get('b.zip')).toEqual(concat(chunks));
    expect(writes[0]).toBe(chunks[0]);
    // 10 bytes wait in the buffer, so the 2,000 bytes after them are copied in; then 3,000 pass as is.
    expect(writes.map((w) => w.length)).toEqual([1500, 1000, 1000, 1000, 3000]);
    expect(writes[4]).toBe(chunks[4]);
  });

  test('one buffer is reused for every gathered write', async () => {
    const { dir, writes } = memoryFolder();
    await writeFileAtomically(dir, 'c.zip', from(chunksOf(Array(40).fill(100))), {
      writeBytes: 1000,
    });
    expect(writes).toHaveLength(4);
    expect(new Set(writes.map((w) => w.buffer)).size).toBe(1);
  });

  test('without a rename the file is written under its name and no .partial stays', async () => {
    const { dir, files } = memoryFolder({ canMove: false });
    const chunks = chunksOf([10, 20]);
    await writeFileAtomically(dir, 'd.zip', from(chunks));
    expect([...files.keys()]).toEqual(['d.zip']);
    expect(files.get('d.zip')).toEqual(concat(chunks));
  });

  test('a source that fails leaves nothing behind', async () => {
    const { dir, files, log } = memoryFolder();
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield new Uint8Array(5000);
      throw new Error('a worker failed');
    }
    await expect(
      writeFileAtomically(dir, 'e.zip', failing(), { writeBytes: 1000 }),
    ).rejects.toThrow('a worker failed');
    expect([...files.keys()]).toEqual([]);
    expect(log).toEqual(['abort e.zip.partial']);
  });

  test('writeTextFile writes a small file whole', async () => {
    const { dir, files } = memoryFolder();
    await writeTextFile(dir, 'report.json', '{"ok":true}\n');
    expect(new TextDecoder().decode(files.get('report.json'))).toBe('{"ok":true}\n');
  });
});

describe('writeFileAtomically with a cancel signal', () => {
  test('a cancel between writes aborts the writable, stops the source, leaves no file and rejects with the reason', async () => {
    const { dir, files, log, writes } = memoryFolder();
    const controller = new AbortController();
    const reason = new DOMException('The export was cancelled.', 'AbortError');
    let stopped = false;
    async function* source(): AsyncGenerator<Uint8Array> {
      try {
        for (let i = 0; ; i++) {
          if (i === 25) controller.abort(reason);
          yield new Uint8Array(100);
        }
      } finally {
        stopped = true;
      }
    }
    await expect(
      writeFileAtomically(dir, 'f.zip', source(), { signal: controller.signal, writeBytes: 1000 }),
    ).rejects.toBe(reason);
    expect(writes).toHaveLength(2);
    expect(log).toEqual(['abort f.zip.partial']);
    expect([...files.keys()]).toEqual([]);
    await Promise.resolve();
    expect(stopped).toBe(true);
  });

  test('a cancel during a slow write rejects at once, without waiting for the write', async () => {
    const slow = gate();
    const { dir, files, log } = memoryFolder({ beforeWrite: () => slow.promise });
    const controller = new AbortController();
    const done = writeFileAtomically(dir, 'g.zip', from(chunksOf([4000])), {
      signal: controller.signal,
      writeBytes: 1000,
    });
    await new Promise((r) => setTimeout(r, 10));
    controller.abort();
    await expect(done).rejects.toMatchObject({ name: 'AbortError' });
    expect(log).toEqual(['abort g.zip.partial']);
    expect([...files.keys()]).toEqual([]);
    slow.open();
  });

  test('a cancel while the next chunk is awaited rejects without waiting for it', async () => {
    const never = gate();
    const { dir, files } = memoryFolder();
    const controller = new AbortController();
    async function* stuck(): AsyncGenerator<Uint8Array> {
      yield new Uint8Array(10);
      await never.promise;
      yield new Uint8Array(10);
    }
    const done = writeFileAtomically(dir, 'h.zip', stuck(), { signal: controller.signal });
    await new Promise((r) => setTimeout(r, 10));
    controller.abort();
    await expect(done).rejects.toMatchObject({ name: 'AbortError' });
    expect([...files.keys()]).toEqual([]);
    never.open();
  });

  test('a cancel that comes while the file is closing removes the finished .partial', async () => {
    const closing = gate();
    const { dir, files } = memoryFolder({ beforeClose: () => closing.promise });
    const controller = new AbortController();
    const done = writeFileAtomically(dir, 'i.zip', from(chunksOf([10])), {
      signal: controller.signal,
    });
    await new Promise((r) => setTimeout(r, 10));
    controller.abort();
    closing.open();
    await expect(done).rejects.toMatchObject({ name: 'AbortError' });
    expect([...files.keys()]).toEqual([]);
  });

  test('an already cancelled signal creates no file', async () => {
    const { dir, files } = memoryFolder();
    const controller = new AbortController();
    controller.abort();
    await expect(
      writeFileAtomically(dir, 'j.zip', from(chunksOf([10])), { signal: controller.signal }),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect([...files.keys()]).toEqual([]);
  });
});
