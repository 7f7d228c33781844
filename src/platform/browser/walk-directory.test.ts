// The browser walk over an in-memory stand-in for directory handles (Node has no File System Access API).
import { describe, expect, test } from 'vitest';
import { filesFromInput } from './file-input';
import { walkDirectory, walkDirectoryInBatches, type BrowserWalkEntry } from './walk-directory';

type Tree = { [name: string]: string | Tree | Error };

/** Just enough of FileSystemDirectoryHandle / FileSystemFileHandle for the walk: kind, name, entries, getFile. */
function handleFor(name: string, tree: Tree): FileSystemDirectoryHandle {
  return {
    kind: 'directory',
    name,
    async *entries() {
      // Unsorted on purpose: the walk must sort.
      for (const key of Object.keys(tree).reverse()) {
        const node = tree[key];
        if (typeof node === 'string' || node instanceof Error) {
          yield [
            key,
            {
              kind: 'file',
              name: key,
              getFile: async () => {
                if (node instanceof Error) throw node;
                return new File([node], key, { lastModified: 7 });
              },
            },
          ];
        } else yield [key, handleFor(key, node)];
      }
    },
  } as unknown as FileSystemDirectoryHandle;
}

async function collect(it: AsyncIterable<BrowserWalkEntry>): Promise<BrowserWalkEntry[]> {
  const out: BrowserWalkEntry[] = [];
  for await (const entry of it) out.push(entry);
  return out;
}

const denied = () => new DOMException('denied', 'NotAllowedError');

describe('browser walkDirectory', () => {
  test('yields sorted relative paths with their File, depth first', async () => {
    const root = handleFor('root', {
      b: { 'y.dcm': 'y', a: { 'x.dcm': 'x' } },
      'a.dcm': 'a',
      C: 'c',
    });
    const entries = await collect(walkDirectory(root));
    expect(entries.map((e) => e.path)).toEqual(['C', 'a.dcm', 'b/a/x.dcm', 'b/y.dcm']);
    const first = entries[0];
    expect('file' in first && (await first.file.text())).toBe('c');
  });

  test('an unreadable file becomes a "no permission" rejection and the walk goes on', async () => {
    const root = handleFor('root', { 'a.dcm': 'a', 'locked.dcm': denied(), 'z.dcm': 'z' });
    const entries = await collect(walkDirectory(root));
    expect(entries).toEqual([
      expect.objectContaining({ path: 'a.dcm' }),
      { path: 'locked.dcm', reason: 'no permission', code: 'no-permission' },
      expect.objectContaining({ path: 'z.dcm' }),
    ]);
  });

  test('batches carry every entry once, in order', async () => {
    const tree: Tree = {};
    for (let i = 0; i < 10; i++) tree[`f${i}.dcm`] = String(i);
    const batches: string[][] = [];
    const summary = await walkDirectoryInBatches(
      handleFor('root', tree),
      (batch) => void batches.push(batch.map((e) => e.path)),
      4,
    );
    expect(batches.map((b) => b.length)).toEqual([4, 4, 2]);
    expect(batches.flat()).toEqual(Object.keys(tree).sort());
    expect(summary).toEqual({ files: 10, rejected: 0 });
  });
});

describe('filesFromInput', () => {
  test('paths drop the chosen folder name and come out sorted', async () => {
    const file = (path: string) => {
      const f = new File(['x'], path.split('/').at(-1)!);
      Object.defineProperty(f, 'webkitRelativePath', { value: path });
      return f;
    };
    const entries = await collect(
      filesFromInput([file('Top/b/2.dcm'), file('Top/a.dcm'), file('Top/b/1.dcm')]),
    );
    expect(entries.map((e) => e.path)).toEqual(['a.dcm', 'b/1.dcm', 'b/2.dcm']);
  });
});
