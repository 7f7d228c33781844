// Parses DICOM Part 10 files (and bare data sets) into tag-keyed elements whose values are views of the input bytes.
import { inflateRaw } from './inflate';
import { Parser } from './parse-dataset';
import type { Encoding } from './parse-dataset';
import { readHead, TRANSFER_SYNTAX_UID } from './read-head';
import type { Head } from './read-head';
import type { DicomFile } from './types';
import { DicomReadError } from './types';

export interface ReadOptions {
  /** Stop at PixelData (7FE0,0010): a header-only read. `bytes` may then be a prefix of the file. */
  untilPixelData?: boolean;
  /** Refuse files (or inflated data sets) larger than this many bytes ('too-large'). */
  maxBytes?: number;
  /**
   * Size of the whole file when `bytes` is only its first part. With `untilPixelData`, running out
   * of bytes before PixelData is then 'need-more-bytes' while bytes.length < fileSize, and
   * 'truncated' once the whole file was given. Without it, a header-only read treats `bytes` as a
   * possible prefix: an incomplete element is 'need-more-bytes', a clean end is the end.
   */
  fileSize?: number;
  /** Deepest sequence nesting accepted (default 64): deeper is 'bad-sequence', never a stack overflow. */
  maxDepth?: number;
}

function checkSize(size: number, maxBytes: number | undefined): void {
  if (maxBytes !== undefined && size > maxBytes) {
    throw new DicomReadError(
      'too-large',
      `The file is ${size} bytes, more than the limit of ${maxBytes}.`,
      0,
    );
  }
}

function isPrefixRead(bytes: Uint8Array, options: ReadOptions): boolean {
  return (
    !!options.untilPixelData && (options.fileSize === undefined || bytes.length < options.fileSize)
  );
}

function readBody(
  head: Head,
  source: Uint8Array,
  start: number,
  options: ReadOptions,
  prefix: boolean,
): DicomFile {
  const parser = new Parser(source, prefix, !!options.untilPixelData, options.maxDepth ?? 64);
  const enc: Encoding = head.syntax.deflated
    ? { explicitVR: true, littleEndian: true }
    : { explicitVR: head.syntax.explicitVR, littleEndian: head.syntax.littleEndian };
  const r = parser.dataset(start, source.length, enc, 0, 'top');
  if (options.untilPixelData && !parser.stopped && prefix && options.fileSize !== undefined) {
    throw new DicomReadError(
      'need-more-bytes',
      `The first ${source.length} bytes hold no PixelData yet; the file has ${options.fileSize}.`,
      r.pos,
      undefined,
      source.length + 1,
    );
  }
  return {
    hasPreamble: head.hasPreamble,
    meta: head.meta,
    dataset: r.dataset,
    syntax: head.syntax,
    pixelData: parser.pixelData,
    stoppedAtPixelData: parser.stopped,
    source,
  };
}

/**
 * Reads a DICOM file (or a bare data set) synchronously. Throws DicomReadError, never anything
 * else, for any input. Deflated files need readDicomFile ('unsupported-syntax' here).
 */
export function readDicom(bytes: Uint8Array, options: ReadOptions = {}): DicomFile {
  checkSize(options.fileSize ?? bytes.length, options.maxBytes);
  const prefix = isPrefixRead(bytes, options);
  try {
    const head = readHead(bytes, prefix, options.maxDepth ?? 64);
    if (head.syntax.deflated) {
      throw new DicomReadError(
        'unsupported-syntax',
        `Transfer syntax ${head.syntax.transferSyntaxUID} is deflated; read it with readDicomFile.`,
        head.datasetStart,
        TRANSFER_SYNTAX_UID,
      );
    }
    return readBody(head, bytes, head.datasetStart, options, prefix);
  } catch (e) {
    throw asReadError(e);
  }
}

/** Anything unexpected (a RangeError from a view past the end, say) still surfaces as a DicomReadError. */
function asReadError(e: unknown): DicomReadError {
  if (e instanceof DicomReadError) return e;
  if (e instanceof RangeError) {
    return new DicomReadError('truncated', 'The file ends inside an element (out-of-range read).');
  }
  return new DicomReadError(
    'bad-length',
    `The file could not be parsed (${e instanceof Error ? e.name : 'error'}).`,
  );
}

/**
 * Reads a DICOM file like readDicom, and also Deflated Explicit VR Little Endian: the data set is
 * inflated first and `source` is then the inflated data set (offsets refer to it).
 */
export async function readDicomFile(
  bytes: Uint8Array,
  options: ReadOptions = {},
): Promise<DicomFile> {
  checkSize(options.fileSize ?? bytes.length, options.maxBytes);
  const prefix = isPrefixRead(bytes, options);
  let head: Head;
  try {
    head = readHead(bytes, prefix, options.maxDepth ?? 64);
  } catch (e) {
    throw asReadError(e);
  }
  if (!head.syntax.deflated) return readDicom(bytes, options);
  const inflated = await inflateRaw(
    bytes.subarray(head.datasetStart),
    options.maxBytes ?? 0x7fffffff,
    prefix,
    head.datasetStart,
  );
  try {
    // The inflated data set is complete unless the deflate stream itself was cut short.
    return readBody(head, inflated.bytes, 0, { ...options, fileSize: undefined }, inflated.partial);
  } catch (e) {
    throw asReadError(e);
  }
}
