// TEMPORARY stand-in for src/platform/browser until it lands; removed once it does.
import type { ScanSourceItem } from '../../pipeline/scan';

export async function pickDirectory(
  mode: 'read' | 'readwrite',
): Promise<FileSystemDirectoryHandle | undefined> {
  const picker = (
    window as unknown as { showDirectoryPicker: (o: object) => Promise<FileSystemDirectoryHandle> }
  ).showDirectoryPicker;
  try {
    return await picker({ mode });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') return undefined;
    throw e;
  }
}

export async function* walkDirectory(
  dir: FileSystemDirectoryHandle,
  prefix = '',
): AsyncIterable<ScanSourceItem> {
  const entries: [string, FileSystemHandle][] = [];
  for await (const entry of (
    dir as unknown as { entries(): AsyncIterable<[string, FileSystemHandle]> }
  ).entries())
    entries.push(entry);
  entries.sort((a, b) => (a[0] < b[0] ? -1 : 1));
  for (const [name, handle] of entries) {
    const path = prefix + name;
    if (handle.kind === 'directory')
      yield* walkDirectory(handle as FileSystemDirectoryHandle, path + '/');
    else yield { path, file: await (handle as FileSystemFileHandle).getFile() };
  }
}

export async function* filesFromInput(files: File[]): AsyncIterable<ScanSourceItem> {
  for (const file of files) {
    const path = file.webkitRelativePath.split('/').slice(1).join('/') || file.name;
    yield { path, file };
  }
}

export async function writeSampleToOpfs(
  files: { path: string; bytes: Uint8Array }[],
): Promise<FileSystemDirectoryHandle> {
  const root = await navigator.storage.getDirectory();
  await root.removeEntry('sample', { recursive: true }).catch(() => undefined);
  const top = await root.getDirectoryHandle('sample', { create: true });
  for (const f of files) {
    let dir = top;
    const parts = f.path.split('/');
    const name = parts.pop()!;
    for (const p of parts) dir = await dir.getDirectoryHandle(p, { create: true });
    const w = await (await dir.getFileHandle(name, { create: true })).createWritable();
    await w.write(f.bytes as Uint8Array<ArrayBuffer>);
    await w.close();
  }
  return top;
}
