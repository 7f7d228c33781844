// Loads the wasm pixel codecs in the browser (page or module worker) from the app's own origin:
// Vite bundles each emscripten glue as a lazy chunk and copies each .wasm into the build (?url),
// and the glue is told where its .wasm is (locateFile) so it never guesses a path or a CDN.
import charlsWasm from '@cornerstonejs/codec-charls/decodewasm?url';
import openjpegWasm from '@cornerstonejs/codec-openjpeg/decodewasm?url';
import libjpegTurboWasm from '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasm?url';
import { codecSetFromModules } from '../../core/pixels/decode/wasm-codecs';
import type { CodecModules } from '../../core/pixels/decode/wasm-codecs';
import type { CodecSet } from '../../core/pixels/types';

type Factory = (options: {
  locateFile: (path: string) => string;
  print: () => void;
  printErr: () => void;
}) => Promise<unknown>;

async function instantiate<T>(
  load: () => Promise<{ default: unknown }>,
  wasmUrl: string,
): Promise<T> {
  const factory = (await load()).default as Factory;
  // The codecs print progress through print/printErr: silence them.
  return (await factory({ locateFile: () => wasmUrl, print: () => {}, printErr: () => {} })) as T;
}

let loaded: Promise<CodecSet> | undefined;

/** The JPEG-LS, JPEG 2000 and 8-bit JPEG decoders, loaded once per page or worker. */
export function loadCodecs(): Promise<CodecSet> {
  loaded ??= (async () => {
    const [charls, openjpeg, libjpegTurbo] = await Promise.all([
      instantiate<CodecModules['charls']>(
        () => import('@cornerstonejs/codec-charls/decodewasmjs'),
        charlsWasm,
      ),
      instantiate<CodecModules['openjpeg']>(
        () => import('@cornerstonejs/codec-openjpeg/decodewasmjs'),
        openjpegWasm,
      ),
      instantiate<CodecModules['libjpegTurbo']>(
        () => import('@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs'),
        libjpegTurboWasm,
      ),
    ]);
    return codecSetFromModules({ charls, openjpeg, libjpegTurbo });
  })();
  // A failed load (network, CSP) may be retried by the next caller.
  loaded.catch(() => (loaded = undefined));
  return loaded;
}
