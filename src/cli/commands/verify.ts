// `cleanroom verify <zip-or-dir>... --report report.json [--recipe r.json]`: the organizer's checks.
import { UsageError } from '../args';

export async function runVerify(argv: string[]): Promise<number> {
  if (argv.length === 0) throw new UsageError('verify takes one or more package zips or folders');
  throw new UsageError('verify is not available yet');
}
