// The one error type of pixel decoding: a code a program can act on and a message that names tags, never values.

export type PixelErrorCode =
  | 'no-pixels'
  | 'unsupported-syntax'
  | 'bad-pixel-module'
  | 'truncated-pixels'
  | 'codec-failed'
  | 'codec-missing';

export class PixelError extends Error {
  constructor(
    readonly code: PixelErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'PixelError';
  }
}
