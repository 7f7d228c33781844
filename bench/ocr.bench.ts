// OCR throughput: images/s through findBurnedInText with 1 and 2 tesseract.js workers (each a
// worker_thread), PSM 3, after warm-up; worker start time; per-input ms by input size.
import { report, sampleRss } from './harness';
import { createNodeOcr } from '../src/platform/node/ocr';
import { findBurnedInText } from '../src/core/pixels/detect/find-burned-in-text';
import { defaultSafeTokens } from '../src/core/pixels/detect/safe-tokens';
import type { OcrEngine } from '../src/core/pixels/detect/types';
import { generateBurnedTextSet } from '../src/core/sample/burned-text';

const COUNT = Number(process.env.BENCH_IMAGES ?? 40);
const images = generateBurnedTextSet(31, COUNT).filter((s) => !s.textFree);

async function run(engines: OcrEngine[]): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    engines.map(async (ocr) => {
      while (next < images.length) {
        const s = images[next++];
        await findBurnedInText(
          [s.image],
          {
            mode: 'all-text',
            identifiers: s.identifiers,
            safeTokens: defaultSafeTokens(s.modality),
          },
          ocr,
          { alwaysRead: true },
        );
      }
    }),
  );
  return (performance.now() - t0) / 1000;
}

const rss = sampleRss();
for (const workers of [1, 2]) {
  const t0 = performance.now();
  const engines = await Promise.all(Array.from({ length: workers }, () => createNodeOcr()));
  const start = (performance.now() - t0) / 1000;
  // Warm-up: one image per worker.
  await Promise.all(
    engines.map((e, i) =>
      findBurnedInText(
        [images[i].image],
        { mode: 'all-text', identifiers: [], safeTokens: [] },
        e,
        { alwaysRead: true },
      ),
    ),
  );
  const seconds = await run(engines);
  await Promise.all(engines.map((e) => e.terminate()));
  const perS = images.length / seconds;
  console.log(
    `${workers} worker(s): ${perS.toFixed(2)} images/s (${images.length} images, ${seconds.toFixed(1)} s; start ${start.toFixed(1)} s)`,
  );
  report({
    name: `OCR findBurnedInText, ${workers} worker(s)`,
    files: images.length,
    bytes: images.reduce((n, s) => n + s.image.data.length, 0),
    seconds,
    peak_mb: rss.stop(),
    floor_mb_per_s: null,
    notes: `worker start ${start.toFixed(1)} s`,
    extra: { images_per_s: Math.round(perS * 100) / 100, start_s: Math.round(start * 10) / 10 },
  });
}
