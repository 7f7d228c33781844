// Types for the @cornerstonejs codec packages, which ship emscripten glue without declarations.
// The glue exports a factory: options in (wasmBinary or locateFile, print), the ready module out.

interface CleanroomCodecFactoryOptions {
  wasmBinary?: Uint8Array;
  locateFile?: (path: string, prefix: string) => string;
  print?: (text: string) => void;
  printErr?: (text: string) => void;
}
type CleanroomCodecFactory = (options?: CleanroomCodecFactoryOptions) => Promise<unknown>;

declare module '@cornerstonejs/codec-charls/decodewasmjs' {
  const factory: CleanroomCodecFactory;
  export default factory;
}
declare module '@cornerstonejs/codec-openjpeg/decodewasmjs' {
  const factory: CleanroomCodecFactory;
  export default factory;
}
declare module '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs' {
  const factory: CleanroomCodecFactory;
  export default factory;
}
declare module '@cornerstonejs/codec-charls/decodewasm?url' {
  const url: string;
  export default url;
}
declare module '@cornerstonejs/codec-openjpeg/decodewasm?url' {
  const url: string;
  export default url;
}
declare module '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasm?url' {
  const url: string;
  export default url;
}
