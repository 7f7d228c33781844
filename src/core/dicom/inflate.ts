// Inflates a deflated data set (Deflated Explicit VR Little Endian) with the platform's DecompressionStream.
import { DicomReadError } from './types';

export async function inflateRaw(
  deflated: Uint8Array,
  maxBytes: number,
  prefix: boolean,
  offset: number,
): Promise<{ bytes: Uint8Array; partial: boolean }> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let partial = false;
  const input = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(deflated);
      controller.close();
    },
  });
  const reader = input
    .pipeThrough(
      new DecompressionStream('deflate-raw') as unknown as TransformStream<Uint8Array, Uint8Array>,
    )
    .getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw new DicomReadError(
          'too-large',
          `The inflated data set exceeds the limit of ${maxBytes} bytes.`,
          offset,
        );
      }
      chunks.push(value);
    }
  } catch (e) {
    if (e instanceof DicomReadError) throw e;
    if (!prefix) {
      throw new DicomReadError(
        'inflate-failed',
        `The deflated data set starting at offset ${offset} could not be inflated.`,
        offset,
      );
    }
    partial = true; // a prefix of a deflate stream ends early: parse what came out
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return { bytes: out, partial };
}
