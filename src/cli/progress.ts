// Progress on stderr: a redrawn bar on a terminal, a plain line every few seconds otherwise.

export interface ProgressUpdate {
  step: string;
  done: number;
  total: number;
  bytes?: number;
}

export interface ProgressReporter {
  update(p: ProgressUpdate): void;
  finish(summary: string): void;
}

function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.max(0, Math.round(seconds));
  const m = Math.floor(s / 60);
  return m > 0 ? `${m}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

export function createProgress(
  stream: NodeJS.WriteStream = process.stderr,
  quiet = false,
): ProgressReporter {
  const started = performance.now();
  const tty = stream.isTTY === true;
  let lastPrint = 0;
  let lastLine = '';
  const line = (p: ProgressUpdate): string => {
    const elapsed = (performance.now() - started) / 1000;
    const rate = elapsed > 0 ? p.done / elapsed : 0;
    const eta = rate > 0 ? (p.total - p.done) / rate : Infinity;
    const mb =
      p.bytes !== undefined && elapsed > 0 ? `, ${(p.bytes / 1e6 / elapsed).toFixed(1)} MB/s` : '';
    const pct = p.total > 0 ? Math.floor((100 * p.done) / p.total) : 100;
    const width = 24;
    const filled = Math.round((width * pct) / 100);
    const bar = tty ? `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ` : '';
    return `${p.step}: ${bar}${p.done}/${p.total} files (${pct}%), ${rate.toFixed(0)} files/s${mb}, ETA ${formatDuration(eta)}`;
  };
  return {
    update(p) {
      if (quiet) return;
      const now = performance.now();
      const interval = tty ? 100 : 2000;
      if (now - lastPrint < interval && p.done < p.total) return;
      lastPrint = now;
      lastLine = line(p);
      stream.write(tty ? `\r\x1b[2K${lastLine}` : `${lastLine}\n`);
    },
    finish(summary) {
      if (quiet) return;
      if (tty && lastLine) stream.write('\n');
      stream.write(`${summary}\n`);
    },
  };
}
