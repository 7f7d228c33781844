// What the browser and Node OCR engines share: starting a tesseract.js worker against a timeout
// (without leaving a late one alive), and turning it into core's OcrEngine.
import { PSM, type Worker } from 'tesseract.js';
import { encodePgm } from '../core/pixels/detect/pgm';
import { wordsFromPage, type TesseractPageLike } from '../core/pixels/detect/tesseract-page';
import type { OcrEngine, OcrInput, OcrWord } from '../core/pixels/detect/types';

/** Waits for `starting`; after `timeoutMs` throws `timedOut()` and terminates the worker if it comes later. */
export async function startWithTimeout(
  starting: Promise<Worker>,
  timeoutMs: number,
  timedOut: () => Error,
): Promise<Worker> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timedOut()), timeoutMs);
  });
  try {
    return await Promise.race([starting, timeout]);
  } catch (error) {
    // A late start must not leave a live worker behind.
    void starting.then((w) => w.terminate()).catch(() => undefined);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The engine over one started worker: page segmentation 3 (automatic; 6, the library's default,
 * reads ultrasound speckle as words), 11 for inputs marked sparse. Images go in as PGM bytes,
 * which the engine reads without a DOM; `image` wraps them as the platform's worker wants them.
 */
export async function engineOver(
  worker: Worker,
  image: (pgm: Uint8Array) => Parameters<Worker['recognize']>[0],
): Promise<OcrEngine> {
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
      const result = await worker.recognize(
        image(encodePgm(input.image)),
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
