// Loads the wasm pixel codecs in Node (CLI, node workers, tests, benchmarks): glue and .wasm
// straight from node_modules. Node's modules are reached through process.getBuiltinModule (as in
// workers/node-runtime.ts) so that node worker entries still type-check without Node types.
import { codecSetFromModules } from '../../core/pixels/decode/wasm-codecs';
import type { CodecModules } from '../../core/pixels/decode/wasm-codecs';
import type { CodecSet } from '../../core/pixels/types';

interface NodeRequire {
  (id: string): unknown;
  resolve(id: string): string;
}
interface NodeModules {
  'node:module': { createRequire(from: string): NodeRequire };
  'node:fs/promises': { readFile(path: string): Promise<Uint8Array> };
}

function builtin<K extends keyof NodeModules>(id: K): NodeModules[K] {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  if (!proc?.getBuiltinModule)
    throw new Error('Loading the pixel codecs needs Node 20.16 or newer.');
  return proc.getBuiltinModule(id) as NodeModules[K];
}

type Factory = (options: {
  wasmBinary: Uint8Array;
  print: () => void;
  printErr: () => void;
}) => Promise<unknown>;

/** Instantiates one emscripten module with its .wasm passed in (the glue looks up no files). */
async function instantiate<T>(require: NodeRequire, glue: string, wasm: string): Promise<T> {
  const factory = require(glue) as Factory;
  const wasmBinary = new Uint8Array(
    await builtin('node:fs/promises').readFile(require.resolve(wasm)),
  );
  // The codecs print progress on stdout; silence them.
  return (await factory({ wasmBinary, print: () => {}, printErr: () => {} })) as T;
}

let loaded: Promise<CodecSet> | undefined;

/** The JPEG-LS, JPEG 2000 and 8-bit JPEG decoders, loaded once per process (or thread). */
export function loadCodecs(): Promise<CodecSet> {
  loaded ??= (async () => {
    const require = builtin('node:module').createRequire(import.meta.url);
    const [charls, openjpeg, libjpegTurbo] = await Promise.all([
      instantiate<CodecModules['charls']>(
        require,
        '@cornerstonejs/codec-charls/decodewasmjs',
        '@cornerstonejs/codec-charls/decodewasm',
      ),
      instantiate<CodecModules['openjpeg']>(
        require,
        '@cornerstonejs/codec-openjpeg/decodewasmjs',
        '@cornerstonejs/codec-openjpeg/decodewasm',
      ),
      instantiate<CodecModules['libjpegTurbo']>(
        require,
        '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs',
        '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasm',
      ),
    ]);
    return codecSetFromModules({ charls, openjpeg, libjpegTurbo });
  })();
  loaded.catch(() => (loaded = undefined));
  return loaded;
}
