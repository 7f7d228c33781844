// Opens a scanned file again by its path inside a kept folder handle (picked folder or OPFS sample).
import { SAMPLE_FOLDER } from './sample-opfs';

/** The File at `path` ('/' separators) under `dir`; rejects with NotFoundError when it is gone. */
export async function fileAt(dir: FileSystemDirectoryHandle, path: string): Promise<File> {
  const parts = path.split('/');
  const name = parts.pop()!;
  let folder = dir;
  for (const part of parts) folder = await folder.getDirectoryHandle(part);
  return (await folder.getFileHandle(name)).getFile();
}

/** The OPFS folder the sample set was written to, without writing it (NotFoundError if absent). */
export async function openSampleFolder(): Promise<FileSystemDirectoryHandle> {
  return (await navigator.storage.getDirectory()).getDirectoryHandle(SAMPLE_FOLDER);
}
