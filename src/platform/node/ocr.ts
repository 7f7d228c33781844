// OCR in Node with tesseract.js 7, fully offline: the engine, wasm core and English data from node_modules.

import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createWorker, OEM, PSM } from 'tesseract.js';
import { encodePgm } from '../../core/pixels/detect/pgm';
import { wordsFromPage, type TesseractPageLike } from '../../core/pixels/detect/tesseract-page';
import type { OcrEngine, OcrInput, OcrWord } from '../../core/pixels/detect/types';

export interface NodeOcrOptions {
  /** Folder holding eng.traineddata.gz; default: @tesseract.js-data/eng's 4.0.0_best_int. */
  langPath?: string;
  /** Give up starting the engine after this long (ms). */
  startTimeoutMs?: number;
}

/** The folder of the LSTM-only English data shipped by @tesseract.js-data/eng. */
export function defaultLangPath(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@tesseract.js-data/eng/package.json')), '4.0.0_best_int');
}

/**
 * One tesseract.js worker (a worker_thread) in LSTM-only mode, page segmentation 3 (automatic):
 * mode 6, tesseract.js's default, reads ultrasound speckle as text. Images go in as PGM bytes.
 */
export async function createNodeOcr(options: NodeOcrOptions = {}): Promise<OcrEngine> {
  const timeoutMs = options.startTimeoutMs ?? 60_000;
  const starting = createWorker('eng', OEM.LSTM_ONLY, {
    langPath: options.langPath ?? defaultLangPath(),
    cacheMethod: 'none',
    gzip: true,
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`the OCR engine did not start within ${timeoutMs / 1000} s`)),
      timeoutMs,
    );
  });
  const worker = await Promise.race([starting, timeout]).finally(() => clearTimeout(timer));
  // debug_file: tesseract's notes ("Estimating resolution as ...") would go to stderr, which the
  // page shows as console errors; they carry no text from the image, but they are noise.
  await worker.setParameters({ tessedit_pageseg_mode: PSM.AUTO, debug_file: '/dev/null' });
  let layout: OcrInput['layout'] = 'page';
  return {
    async recognize(input: OcrInput): Promise<OcrWord[]> {
      // Calls to one worker run one at a time, so the mode set here holds for this image.
      const wanted = input.layout ?? 'page';
      if (wanted !== layout) {
        await worker.setParameters({
          tessedit_pageseg_mode: wanted === 'sparse' ? PSM.SPARSE_TEXT : PSM.AUTO,
        });
        layout = wanted;
      }
      const bytes = encodePgm(input.image);
      const result = await worker.recognize(
        Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
        {},
        { blocks: true, text: false },
      );
      return wordsFromPage(result.data as unknown as TesseractPageLike, input);
    },
    async terminate(): Promise<void> {
      await worker.terminate();
    },
  };
}
