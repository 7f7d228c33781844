// Permission on a kept folder handle: ask only when needed, and tell "needs a click" from "gone".

/**
 * True when `mode` access is granted, asking the user if needed (requestPermission needs a user
 * gesture: call this from a click handler). Handles without the permission API (OPFS in some
 * browsers) are treated as granted.
 */
export async function ensurePermission(
  handle: FileSystemHandle,
  mode: FileSystemPermissionMode,
): Promise<boolean> {
  if (typeof handle.queryPermission !== 'function') return true;
  if ((await handle.queryPermission({ mode })) === 'granted') return true;
  if (typeof handle.requestPermission !== 'function') return false;
  return (await handle.requestPermission({ mode })) === 'granted';
}

export type HandleState = 'ready' | 'needs-permission' | 'gone';

/**
 * Whether a handle kept from an earlier visit can be used now, without prompting: 'needs-permission'
 * means a click on "resume" can ask; 'gone' means the folder was moved or deleted.
 */
export async function probeHandle(
  handle: FileSystemDirectoryHandle,
  mode: FileSystemPermissionMode = 'read',
): Promise<HandleState> {
  if (
    typeof handle.queryPermission === 'function' &&
    (await handle.queryPermission({ mode })) !== 'granted'
  ) {
    return 'needs-permission';
  }
  try {
    await handle.keys().next();
    return 'ready';
  } catch (error) {
    if (error instanceof DOMException && error.name === 'NotAllowedError')
      return 'needs-permission';
    return 'gone';
  }
}
