// Benchmark inputs, made by the same seeded generator the tests use: ~0.5 MB 512x512 CT slices.
import { generateCtSeries } from '../src/core/sample/ct-series';

export function benchSlices(
  count: number,
  seed = 7,
): Iterable<{ path: string; bytes: Uint8Array }> {
  return generateCtSeries({ slices: count, rows: 512, columns: 512, seed });
}
