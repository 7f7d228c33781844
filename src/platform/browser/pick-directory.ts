// Asks the user for a folder with the File System Access picker (looked up at call time: e2e tests replace it).

export class PickerUnavailableError extends Error {
  constructor() {
    super(
      'this browser has no folder picker: choose the folder with the file input or drop it instead',
    );
    this.name = 'PickerUnavailableError';
  }
}

export function canPickDirectory(): boolean {
  return typeof window !== 'undefined' && typeof window.showDirectoryPicker === 'function';
}

/** The picked folder, or undefined when the user closed the picker. */
export async function pickDirectory(
  mode: FileSystemPermissionMode,
): Promise<FileSystemDirectoryHandle | undefined> {
  // Read from window on every call, never captured at load: the e2e seam swaps it for OPFS handles.
  if (!canPickDirectory()) throw new PickerUnavailableError();
  try {
    return await window.showDirectoryPicker({
      id: mode === 'read' ? 'cleanroom-input' : 'cleanroom-output',
      mode,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') return undefined;
    throw error;
  }
}
