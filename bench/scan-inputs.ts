// Input of the scan benchmark: small 64x64 CT slices (~10 KB each) from the seeded generator,
// split into several series, each in its own nested patient/series folder.
import { generateCtSeries } from '../src/core/sample/ct-series';

export const SCAN_SERIES = 5;

/** `total` files over SCAN_SERIES series: `patient-N/BENCH_CT_<seed>/IM00001.dcm`, ... */
export function* scanBenchFiles(
  total: number,
  seed = 101,
): Generator<{ path: string; bytes: Uint8Array }> {
  const per = Math.ceil(total / SCAN_SERIES);
  for (let s = 0; s < SCAN_SERIES && s * per < total; s++) {
    const slices = Math.min(per, total - s * per);
    for (const file of generateCtSeries({ slices, rows: 64, columns: 64, seed: seed + s })) {
      yield { path: `patient-${s + 1}/${file.path}`, bytes: file.bytes };
    }
  }
}
