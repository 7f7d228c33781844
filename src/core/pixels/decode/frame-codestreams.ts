// Splits encapsulated PixelData into one byte stream per frame (PS3.5 A.4): Extended Offset Table,
// Basic Offset Table, one fragment per frame, or frame starts found from codestream markers.
import type { DataElement } from '../../dicom/types';
import { PixelError } from './pixel-error';

/** Offsets (and optionally lengths) of each frame's first fragment, from ExtendedOffsetTable (7FE0,0001/0002). */
export interface ExtendedOffsets {
  offsets: number[];
  lengths?: number[];
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** True when a fragment begins a codestream: JPEG/JPEG-LS SOI (FFD8) or JPEG 2000 SOC+SIZ / a JP2 signature box. */
function startsCodestream(f: Uint8Array): boolean {
  if (f.length < 4) return false;
  if (f[0] === 0xff && f[1] === 0xd8) return true;
  if (f[0] === 0xff && f[1] === 0x4f && f[2] === 0xff && f[3] === 0x51) return true;
  return f[0] === 0 && f[1] === 0 && f[2] === 0 && f[3] === 0x0c && f.length >= 8 && f[4] === 0x6a;
}

/** Groups fragments by the byte offsets (from the first fragment's item tag) at which frames start. */
function groupByOffsets(fragments: Uint8Array[], offsets: number[], what: string): Uint8Array[] {
  const starts: number[] = [];
  let pos = 0;
  for (const f of fragments) {
    starts.push(pos);
    pos += 8 + f.length;
  }
  const frames: Uint8Array[] = [];
  for (let i = 0; i < offsets.length; i++) {
    const from = starts.indexOf(offsets[i]);
    if (from < 0) {
      throw new PixelError(
        'bad-pixel-module',
        `The ${what} of PixelData (7FE0,0010) points between fragments (frame ${i}).`,
      );
    }
    const end = i + 1 < offsets.length ? offsets[i + 1] : Infinity;
    const parts: Uint8Array[] = [];
    for (let k = from; k < fragments.length && starts[k] < end; k++) parts.push(fragments[k]);
    frames.push(concat(parts));
  }
  return frames;
}

/**
 * The codestream of every frame of encapsulated PixelData (`element.fragments`: Basic Offset
 * Table first, then the fragments). One frame takes every fragment. With several frames: the
 * Extended Offset Table when given, else the Basic Offset Table when filled, else one fragment per
 * frame when the counts match, else a new frame at each fragment that starts a codestream (SOI).
 */
export function frameCodestreams(
  element: DataElement,
  numberOfFrames: number,
  extended?: ExtendedOffsets,
): Uint8Array[] {
  if (!element.fragments || element.fragments.length === 0) {
    throw new PixelError('bad-pixel-module', 'PixelData (7FE0,0010) is not encapsulated.');
  }
  const [bot, ...fragments] = element.fragments;
  if (fragments.length === 0)
    throw new PixelError('truncated-pixels', 'PixelData (7FE0,0010) has no fragments.');
  if (numberOfFrames <= 1) return [concat(fragments)];

  if (extended && extended.offsets.length === numberOfFrames) {
    return groupByOffsets(fragments, extended.offsets, 'Extended Offset Table (7FE0,0001)');
  }
  if (bot.length >= 4 * numberOfFrames) {
    const view = new DataView(bot.buffer, bot.byteOffset, bot.byteLength);
    const offsets = Array.from({ length: numberOfFrames }, (_, i) => view.getUint32(i * 4, true));
    return groupByOffsets(fragments, offsets, 'Basic Offset Table');
  }
  if (fragments.length === numberOfFrames) return fragments;
  if (fragments.length < numberOfFrames) {
    throw new PixelError(
      'truncated-pixels',
      `PixelData (7FE0,0010) has fewer fragments than NumberOfFrames (0028,0008).`,
    );
  }
  const frames: Uint8Array[][] = [];
  for (const f of fragments) {
    if (frames.length === 0 || startsCodestream(f)) frames.push([f]);
    else frames[frames.length - 1].push(f);
  }
  if (frames.length !== numberOfFrames) {
    throw new PixelError(
      'bad-pixel-module',
      'The fragments of PixelData (7FE0,0010) cannot be assigned to frames (no offset table, and the codestream starts do not match NumberOfFrames (0028,0008)).',
    );
  }
  return frames.map(concat);
}
