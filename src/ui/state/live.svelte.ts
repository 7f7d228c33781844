// Reads the store through Dexie liveQuery into a rune, so a screen shows the store and never a copy.
import Dexie, { liveQuery } from 'dexie';

export interface Live<T> {
  readonly current: T;
  /** Why the last read failed (no values from the data), or undefined. */
  readonly error: string | undefined;
}

export interface LiveOptions {
  /**
   * Re-read at most once per this many ms after the store changes (the last change is always read).
   * For queries that read many rows: a scan commits a batch every few ms, and re-reading on each
   * one would keep the main thread busy for the whole scan.
   */
  throttleMs?: number;
  /**
   * With throttleMs: re-read only when one of these tables changes (a settings write must not
   * re-read 100,000 instances). All tables when absent.
   */
  tables?: readonly string[];
}

/**
 * Subscribes while the calling component is mounted. `query` must read only the store: reactive
 * state read inside it is not tracked (Dexie calls it asynchronously), so filter in a `$derived`.
 */
export function live<T>(query: () => Promise<T>, initial: T, options: LiveOptions = {}): Live<T> {
  const box = $state<{ current: T; error: string | undefined }>({
    current: initial,
    error: undefined,
  });
  const next = (value: T) => {
    box.current = value;
    box.error = undefined;
  };
  const fail = (e: unknown) => {
    box.error = e instanceof Error ? e.name : 'read failed';
  };
  $effect(() => {
    if (options.throttleMs === undefined) {
      const subscription = liveQuery(query).subscribe({ next, error: fail });
      return () => subscription.unsubscribe();
    }
    return throttledQuery(query, options.throttleMs, next, fail, options.tables);
  });
  return box;
}

/** True when Dexie's changed parts (keys `idb://<db>/<table>/<index>`) touch one of `tables`. */
export function touchesTables(
  parts: Readonly<Record<string, unknown>>,
  tables: readonly string[],
): boolean {
  return Object.keys(parts).some((part) => tables.includes(part.split('/')[3] ?? ''));
}

/**
 * Runs `query` now and again after store changes (of `tables`, or of any table), at most once per
 * `ms`; a change during a read schedules one more. Returns the unsubscribe function.
 */
export function throttledQuery<T>(
  query: () => Promise<T>,
  ms: number,
  next: (value: T) => void,
  fail: (e: unknown) => void = () => undefined,
  tables?: readonly string[],
): () => void {
  let stopped = false;
  let running = false;
  let dirty = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastRun = 0;
  const run = async () => {
    timer = undefined;
    if (stopped) return;
    running = true;
    dirty = false;
    lastRun = Date.now();
    try {
      const value = await query();
      if (!stopped) next(value);
    } catch (e) {
      if (!stopped) fail(e);
    } finally {
      running = false;
    }
    if (dirty) schedule();
  };
  const schedule = () => {
    if (stopped) return;
    if (running) {
      dirty = true;
      return;
    }
    if (timer !== undefined) return;
    timer = setTimeout(() => void run(), Math.max(0, lastRun + ms - Date.now()));
  };
  // Fired by Dexie after every committed write, from this page, its workers and other tabs.
  const onChange = (parts: Readonly<Record<string, unknown>>) => {
    if (!tables || touchesTables(parts, tables)) schedule();
  };
  Dexie.on.storagemutated.subscribe(onChange);
  void run();
  return () => {
    stopped = true;
    clearTimeout(timer);
    Dexie.on.storagemutated.unsubscribe(onChange);
  };
}
