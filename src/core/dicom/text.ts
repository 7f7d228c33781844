// Decodes stored text values by Specific Character Set (PS3.5 section 6.1, PS3.3 C.12.1.1.2) and encodes new ones as UTF-8.
import { FREE_TEXT_VRS } from './vr-classes';
import type { Dataset, VR } from './types';

export const SPECIFIC_CHARACTER_SET = 0x00080005;

/** VRs whose values use the Specific Character Set; every other text VR is the default repertoire. */

type Codec = 'latin1' | 'jisx0201' | string;

/** Defined terms without code extensions → a decoder (WHATWG encoding label, or one of our own). */
const SINGLE_BYTE: Record<string, Codec> = {
  '': 'latin1',
  ISO_IR_6: 'latin1',
  'ISO_IR 6': 'latin1',
  'ISO_IR 100': 'latin1',
  'ISO_IR 101': 'iso-8859-2',
  'ISO_IR 109': 'iso-8859-3',
  'ISO_IR 110': 'iso-8859-4',
  'ISO_IR 144': 'iso-8859-5',
  'ISO_IR 127': 'iso-8859-6',
  'ISO_IR 126': 'iso-8859-7',
  'ISO_IR 138': 'iso-8859-8',
  'ISO_IR 148': 'iso-8859-9',
  'ISO_IR 166': 'windows-874',
  'ISO_IR 13': 'jisx0201',
  'ISO_IR 192': 'utf-8',
  GB18030: 'gb18030',
  GBK: 'gbk',
};

/** G1 sets designated by ESC 2/13 F (96-character sets, ISO 2022 IR 100 and friends). */
const G1_96: Record<number, Codec> = {
  0x41: 'latin1', // ISO 2022 IR 100
  0x42: 'iso-8859-2', // IR 101
  0x43: 'iso-8859-3', // IR 109
  0x44: 'iso-8859-4', // IR 110
  0x4c: 'iso-8859-5', // IR 144
  0x47: 'iso-8859-6', // IR 127
  0x46: 'iso-8859-7', // IR 126
  0x48: 'iso-8859-8', // IR 138
  0x4d: 'iso-8859-9', // IR 148
  0x54: 'windows-874', // IR 166
};

type G0 = 'ascii' | 'romaji' | 'jisx0208' | 'jisx0212';
type G1 = 'none' | 'katakana' | 'ksx1001' | 'gb2312' | Codec;

interface State {
  g0: G0;
  g1: G1;
}

/** The state a value (and each line, value and PN component) starts in, from value 1 of the charset. */
function initialState(term: string): State {
  const t = term.replace('ISO_IR', 'ISO 2022 IR');
  switch (t) {
    case 'ISO 2022 IR 13':
      return { g0: 'romaji', g1: 'katakana' };
    case 'ISO 2022 IR 87':
      return { g0: 'jisx0208', g1: 'none' };
    case 'ISO 2022 IR 159':
      return { g0: 'jisx0212', g1: 'none' };
    case 'ISO 2022 IR 149':
      return { g0: 'ascii', g1: 'ksx1001' };
    case 'ISO 2022 IR 58':
      return { g0: 'ascii', g1: 'gb2312' };
  }
  const single = SINGLE_BYTE[t.replace('ISO 2022 IR', 'ISO_IR')];
  if (!single || t === '' || t === 'ISO 2022 IR 6') return { g0: 'ascii', g1: 'none' };
  return { g0: 'ascii', g1: single };
}

const decoders = new Map<string, TextDecoder | null>();
function decoderFor(label: string): TextDecoder | null {
  let d = decoders.get(label);
  if (d === undefined) {
    try {
      d = new TextDecoder(label);
    } catch {
      d = null; // the runtime lacks this encoding: fall back to Latin-1 below
    }
    decoders.set(label, d);
  }
  return d;
}

function decodeLatin1(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 4096) {
    s += String.fromCharCode(...bytes.subarray(i, i + 4096));
  }
  return s;
}

/** JIS X 0201: ASCII with the yen sign left as backslash, plus half-width katakana at A1-DF. */
function decodeJisX0201(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes)
    s += b >= 0xa1 && b <= 0xdf ? String.fromCharCode(0xff61 + b - 0xa1) : String.fromCharCode(b);
  return s;
}

function decodeWith(codec: Codec, bytes: Uint8Array): string {
  if (bytes.length === 0) return '';
  if (codec === 'latin1') return decodeLatin1(bytes);
  if (codec === 'jisx0201') return decodeJisX0201(bytes);
  const d = decoderFor(codec);
  return d ? d.decode(bytes) : decodeLatin1(bytes);
}

/** Default repertoire: ASCII; bytes above 127 (invalid, but seen) are read as Latin-1 so nothing is lost. */
export function decodeAscii(bytes: Uint8Array): string {
  return decodeLatin1(bytes);
}

function isDelimiter(b: number, vr: VR): boolean {
  return (
    b === 0x0a ||
    b === 0x0c ||
    b === 0x0d ||
    b === 0x09 ||
    b === 0x5c ||
    (vr === 'PN' && (b === 0x5e || b === 0x3d))
  );
}

/** ISO 2022 with code extensions: escape sequences switch G0/G1; delimiters return to the initial state. */
function decodeIso2022(bytes: Uint8Array, charsets: string[], vr: VR): string {
  const initial = initialState(charsets[0] ?? '');
  let state: State = { ...initial };
  let out = '';
  let run: number[] = [];
  let runCodec: Codec = 'latin1';
  const flush = (): void => {
    if (run.length > 0) out += decodeWith(runCodec, Uint8Array.from(run));
    run = [];
  };
  const push = (codec: Codec, ...bs: number[]): void => {
    if (codec !== runCodec) {
      flush();
      runCodec = codec;
    }
    run.push(...bs);
  };
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    if (b === 0x1b) {
      const b1 = bytes[i + 1];
      const b2 = bytes[i + 2];
      const b3 = bytes[i + 3];
      if (b1 === 0x28 && (b2 === 0x42 || b2 === 0x4a)) {
        state.g0 = b2 === 0x42 ? 'ascii' : 'romaji';
        i += 3;
      } else if (b1 === 0x29 && b2 === 0x49) {
        state.g1 = 'katakana';
        i += 3;
      } else if (b1 === 0x24 && (b2 === 0x42 || b2 === 0x40)) {
        state.g0 = 'jisx0208';
        i += 3;
      } else if (b1 === 0x24 && b2 === 0x28 && b3 === 0x44) {
        state.g0 = 'jisx0212';
        i += 4;
      } else if (b1 === 0x24 && b2 === 0x29 && (b3 === 0x43 || b3 === 0x41)) {
        state.g1 = b3 === 0x43 ? 'ksx1001' : 'gb2312';
        i += 4;
      } else if (b1 === 0x2d && b2 !== undefined && G1_96[b2]) {
        state.g1 = G1_96[b2];
        i += 3;
      } else {
        i += 1; // an escape we do not know: drop ESC, keep the rest as text
      }
      continue;
    }
    if (b < 0x80) {
      const multiByte = state.g0 === 'jisx0208' || state.g0 === 'jisx0212';
      if (
        multiByte &&
        b >= 0x21 &&
        i + 1 < bytes.length &&
        bytes[i + 1] >= 0x21 &&
        bytes[i + 1] < 0x80
      ) {
        const pair = [b | 0x80, bytes[i + 1] | 0x80];
        if (state.g0 === 'jisx0212') push('euc-jp', 0x8f, ...pair);
        else push('euc-jp', ...pair);
        i += 2;
        continue;
      }
      if (isDelimiter(b, vr)) {
        state = { ...initial };
        push('latin1', b);
        i += 1;
        continue;
      }
      push(state.g0 === 'romaji' ? 'jisx0201' : 'latin1', b);
      i += 1;
      continue;
    }
    switch (state.g1) {
      case 'katakana':
        push('euc-jp', 0x8e, b);
        break;
      case 'ksx1001':
        push('euc-kr', b);
        break;
      case 'gb2312':
        push('gbk', b);
        break;
      case 'none':
        push('latin1', b);
        break;
      default:
        push(state.g1, b);
    }
    i += 1;
  }
  flush();
  return out;
}

/**
 * Decodes a stored text value. `charsets` are the values of Specific Character Set (0008,0005) in
 * force (see charsetsOf); they apply to SH, LO, ST, LT, UT, PN and UC. Other VRs are the default
 * repertoire. Padding is not stripped here (getText does that).
 */
export function decodeText(bytes: Uint8Array, charsets: string[], vr: VR): string {
  if (!FREE_TEXT_VRS.has(vr)) return decodeAscii(bytes);
  const terms = charsets.map((c) => c.trim());
  if (terms.length === 0) return decodeAscii(bytes);
  if (terms.some((t) => t.startsWith('ISO 2022'))) return decodeIso2022(bytes, terms, vr);
  const codec =
    SINGLE_BYTE[terms[0]] ?? SINGLE_BYTE[terms[0].replace(/^ISO-IR /, 'ISO_IR ')] ?? 'latin1';
  return decodeWith(codec, bytes);
}

const encoder = new TextEncoder();

/**
 * Encodes a new value as UTF-8, padded to even length with a space (NUL for UI). A data set that
 * receives such values must say Specific Character Set 'ISO_IR 192' unless every value is ASCII.
 */
export function encodeText(value: string, vr: VR): Uint8Array {
  const raw = encoder.encode(value);
  if (raw.length % 2 === 0) return raw;
  const padded = new Uint8Array(raw.length + 1);
  padded.set(raw);
  padded[raw.length] = vr === 'UI' ? 0x00 : 0x20;
  return padded;
}

/**
 * The Specific Character Set values in force for a data set: its own (0008,0005) when present
 * (a sequence item may carry one), else the inherited one from the enclosing data set; [] means the
 * default repertoire. Value 1 may be '' (default repertoire for G0 with code extensions).
 */
export function charsetsOf(ds: Dataset, inherited?: string[]): string[] {
  const el = ds.get(SPECIFIC_CHARACTER_SET);
  if (!el || !el.bytes) return inherited ?? [];
  const text = decodeAscii(el.bytes).replace(/[\0 ]+$/, '');
  if (text.trim() === '') return [];
  return text.split('\\').map((t) => t.trim());
}
