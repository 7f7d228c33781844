// How many worker threads a command uses: --workers N, else the machine's cores (at least 2).
import { availableParallelism } from 'node:os';
import { flagString, UsageError, type ParsedArgs } from './args';

export function workerCount(args: ParsedArgs): number {
  const text = flagString(args, 'workers');
  if (text === undefined) return Math.max(2, availableParallelism());
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 64)
    throw new UsageError(`--workers takes a whole number from 1 to 64, not "${text}"`);
  return n;
}
