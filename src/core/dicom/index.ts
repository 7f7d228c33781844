// The DICOM byte layer's public surface: read, write, build and inspect elements, text, dictionary.
export * from './types';
export * from './read';
export * from './write';
export * from './element';
export * from './text';
export * from './syntax';
export {
  tagForKeyword,
  keywordForTag,
  vrForTag,
  vrsForTag,
  vmForTag,
  isRetired,
} from './dictionary';
