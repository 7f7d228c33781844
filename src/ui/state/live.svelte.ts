// Reads the store through Dexie liveQuery into a rune, so a screen shows the store and never a copy.
import { liveQuery } from 'dexie';

export interface Live<T> {
  readonly current: T;
  /** Why the last read failed (no values from the data), or undefined. */
  readonly error: string | undefined;
}

/**
 * Subscribes while the calling component is mounted. `query` must read only the store: reactive
 * state read inside it is not tracked (Dexie calls it asynchronously), so filter in a `$derived`.
 */
export function live<T>(query: () => Promise<T>, initial: T): Live<T> {
  const box = $state<{ current: T; error: string | undefined }>({
    current: initial,
    error: undefined,
  });
  $effect(() => {
    const subscription = liveQuery(query).subscribe({
      next: (value) => {
        box.current = value;
        box.error = undefined;
      },
      error: (e: unknown) => {
        box.error = e instanceof Error ? e.name : 'read failed';
      },
    });
    return () => subscription.unsubscribe();
  });
  return box;
}
