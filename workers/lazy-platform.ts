// What a worker starts only when a job needs it: the wasm codecs and the OCR engine (tesseract
// costs about a second and 150 MB to start). A start that fails is tried again next time.
import type { OcrEngine } from '../src/core/pixels/detect/types';
import type { CodecSet } from '../src/core/pixels/types';

/** Loads the codecs on the first call; later calls share that load. */
export function lazyCodecs(load: () => Promise<CodecSet>): () => Promise<CodecSet> {
  let codecs: Promise<CodecSet> | undefined;
  return () => {
    codecs ??= load().catch((error: unknown) => {
      codecs = undefined;
      throw error;
    });
    return codecs;
  };
}

/** An OCR engine that starts on the first image it reads; `terminate` frees it until the next. */
export function lazyOcrEngine(create: () => Promise<OcrEngine>): OcrEngine {
  let engine: Promise<OcrEngine> | undefined;
  return {
    async recognize(input) {
      engine ??= create().catch((error: unknown) => {
        engine = undefined;
        throw error;
      });
      return (await engine).recognize(input);
    },
    async terminate() {
      const started = engine;
      engine = undefined;
      if (started) await (await started).terminate();
    },
  };
}
