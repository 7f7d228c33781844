// The Node walker and slice reader over a temporary folder: sorted relative paths, rejections, slices.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSlice } from './read-slice';
import { scanSource } from './scan-source';
import { comparePaths, reasonForError, walkDirectory, type NodeWalkEntry } from './walk';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cleanroom-walk-'));
  await mkdir(join(dir, 'b/sub'), { recursive: true });
  await mkdir(join(dir, 'a'));
  await writeFile(join(dir, 'b/sub/z.dcm'), 'zz');
  await writeFile(join(dir, 'b/Y.dcm'), 'y');
  await writeFile(join(dir, 'a/x.dcm'), '0123456789');
  await writeFile(join(dir, 'c.txt'), 'c');
  await symlink(join(dir, 'missing-target'), join(dir, 'dangling'));
  await symlink(join(dir, 'a'), join(dir, 'loop-to-a'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function collect(): Promise<NodeWalkEntry[]> {
  const out: NodeWalkEntry[] = [];
  for await (const entry of walkDirectory(dir)) out.push(entry);
  return out;
}

describe('node walkDirectory', () => {
  test('yields relative paths with / separators, in sorted order, with size and time', async () => {
    const files = (await collect()).filter((e) => !('reason' in e));
    expect(files.map((f) => f.path)).toEqual(['a/x.dcm', 'b/Y.dcm', 'b/sub/z.dcm', 'c.txt']);
    expect(files[0]).toMatchObject({ size: 10, absolutePath: join(dir, 'a/x.dcm') });
    expect((files[0] as { lastModified: number }).lastModified).toBeGreaterThan(0);
  });

  test('entries it cannot open become rejections with a plain reason, and the walk goes on', async () => {
    const rejected = (await collect()).filter((e) => 'reason' in e);
    expect(rejected).toEqual([
      expect.objectContaining({
        path: 'dangling',
        reason: 'vanished during the walk',
        code: 'enoent',
      }),
      expect.objectContaining({ path: 'loop-to-a', code: 'symlink-dir' }),
    ]);
  });

  test('permission errors read as "no permission"', () => {
    expect(reasonForError(Object.assign(new Error('x'), { code: 'EACCES' }))).toEqual({
      reason: 'no permission',
      code: 'eacces',
    });
    expect(reasonForError(Object.assign(new Error('x'), { code: 'EWHAT' }))).toEqual({
      reason: 'could not be opened (EWHAT)',
      code: 'ewhat',
    });
  });

  test('sorting is by code unit, the same in every runtime', () => {
    expect(['b', 'B', 'a', 'é', 'Z'].sort(comparePaths)).toEqual(['B', 'Z', 'a', 'b', 'é']);
  });

  test('a missing folder fails the walk itself', async () => {
    await expect(walkDirectory(join(dir, 'nope')).next()).rejects.toThrow();
  });
});

describe('node readSlice and scanSource', () => {
  test('readSlice reads [start, end) and stops at the end of the file', async () => {
    expect(new TextDecoder().decode(await readSlice(join(dir, 'a/x.dcm'), 2, 5))).toBe('234');
    expect((await readSlice(join(dir, 'a/x.dcm'), 8, 100)).length).toBe(2);
  });

  test('scanSource gives lazy Blobs for files and passes rejections on', async () => {
    const items = [];
    for await (const item of scanSource(dir)) items.push(item);
    const first = items[0];
    expect(first.path).toBe('a/x.dcm');
    expect('file' in first && (await first.file.slice(0, 3).text())).toBe('012');
    expect(items.filter((i) => 'reason' in i).map((i) => i.path)).toEqual([
      'dangling',
      'loop-to-a',
    ]);
  });
});
