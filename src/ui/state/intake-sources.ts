// Turns what the user gave (a picked folder, files from the fallback input, a drop, the sample) into a scan request.
import {
  directoryHandleFromDrop,
  ensurePermission,
  filesFromDrop,
  filesFromInput,
  pickDirectory,
  walkDirectory,
  writeSampleToOpfs,
} from '../../platform/browser';
import type { RootRow } from '../../store';
import type { ScanSourceItem } from '../../pipeline/scan';
import type { ScanRequest } from './scan.svelte';
import { keepVisitFiles } from './visit-files';

/** The sample set always scans into this root, so trying it twice resumes instead of doubling it. */
export const SAMPLE_ROOT_ID = 'sample';

export { canPickDirectory } from '../../platform/browser';

function fromHandle(handle: FileSystemDirectoryHandle): ScanRequest {
  return { name: handle.name, kind: 'picked', handle, walk: () => walkDirectory(handle) };
}

/** Opens the folder picker; undefined when the user closes it. */
export async function requestFromPicker(): Promise<ScanRequest | undefined> {
  const handle = await pickDirectory('read');
  return handle ? fromHandle(handle) : undefined;
}

/** Files chosen with `<input type="file" webkitdirectory>` (read-only, no handle to keep). */
export function requestFromFiles(files: FileList | File[]): ScanRequest | undefined {
  const list = [...files];
  if (list.length === 0) return undefined;
  const top = list[0].webkitRelativePath.split('/')[0] || 'Selected files';
  return handleless(top, () => filesFromInput(list));
}

/** Files without a folder handle: a root id of their own, and the File objects kept for the export. */
function handleless(name: string, walk: () => AsyncIterable<ScanSourceItem>): ScanRequest {
  const rootId = crypto.randomUUID();
  return {
    name,
    kind: 'files',
    rootId,
    walk: () => keepVisitFiles(rootId, walk()),
  };
}

/**
 * A drop: a folder handle where the browser gives one (Chromium, kept for a later rescan), else
 * the dropped entries. Both are captured before the first await: the DataTransfer empties after.
 */
export function requestFromDrop(data: DataTransfer): () => Promise<ScanRequest | undefined> {
  const handle = directoryHandleFromDrop(data);
  const walk = filesFromDrop(data);
  const name = data.files[0]?.name ?? 'Dropped files';
  return async () => {
    const folder = await handle;
    if (folder) return fromHandle(folder);
    return handleless(name, () => walk);
  };
}

/** Writes the generated sample set into the origin private file system and scans it like a folder. */
export async function requestFromSample(): Promise<ScanRequest> {
  const { generateSampleSet } = await import('../../core/sample/sample-set');
  const handle = await writeSampleToOpfs(generateSampleSet(1).files);
  return {
    name: 'Sample data',
    kind: 'sample',
    rootId: SAMPLE_ROOT_ID,
    walk: () => walkDirectory(handle),
  };
}

/**
 * Scans a stored root again (resumes: unchanged files are skipped). A kept folder handle asks for
 * permission first, which needs the click that called this; a file set has nothing to rescan.
 */
export async function requestFromRoot(root: RootRow): Promise<ScanRequest | undefined> {
  if (root.kind === 'sample') return requestFromSample();
  if (!root.handle) return undefined;
  if (!(await ensurePermission(root.handle, 'read'))) return undefined;
  return fromHandle(root.handle);
}
