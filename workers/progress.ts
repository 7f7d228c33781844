// Coalesces progress reports so a worker sends at most one message per interval, plus a final one.

export interface ThrottledProgress<A extends unknown[]> {
  report(...args: A): void;
  /**
   * Sends the last report now if one is waiting and resolves once it was delivered. Await it before
   * returning: a proxy callback travels on its own port, so it could otherwise arrive after the result.
   */
  flush(): Promise<void>;
}

export function throttleProgress<A extends unknown[]>(
  send: ((...args: A) => unknown) | undefined,
  intervalMs = 100,
  now: () => number = () => Date.now(),
): ThrottledProgress<A> {
  let last = -Infinity;
  let waiting: A | undefined;
  const emit = (args: A): Promise<void> => {
    last = now();
    waiting = undefined;
    // A progress callback that fails (the page went away) must not fail the work.
    return Promise.resolve(send?.(...args)).then(
      () => undefined,
      () => undefined,
    );
  };
  return {
    report(...args) {
      if (!send) return;
      if (now() - last >= intervalMs) void emit(args);
      else waiting = args;
    },
    async flush() {
      if (waiting) await emit(waiting);
    },
  };
}
