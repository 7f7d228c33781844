// Huffman tables and the entropy-coded bit reader shared by the DCT and lossless JPEG decoders (ITU-T T.81 annex C, F.2.2).
import { PixelError } from './pixel-error';

const LOOKAHEAD = 9;

export interface HuffmanTable {
  /** For codes of at most LOOKAHEAD bits: (length << 8) | value, indexed by the next LOOKAHEAD bits; 0 = longer code. */
  fast: Uint16Array;
  /** Largest code of each length 1..16, -1 when there is none (T.81 F.2.2.3 MAXCODE). */
  maxcode: Int32Array;
  /** First code of each length (MINCODE) and where its values start in `values` (VALPTR). */
  mincode: Int32Array;
  valptr: Int32Array;
  values: Uint8Array;
}

/** Builds a decoding table from a DHT's BITS (16 counts) and HUFFVAL (T.81 C.2, F.2.2.3). */
export function buildHuffmanTable(counts: Uint8Array, values: Uint8Array): HuffmanTable {
  const maxcode = new Int32Array(18).fill(-1);
  const mincode = new Int32Array(17);
  const valptr = new Int32Array(17);
  const fast = new Uint16Array(1 << LOOKAHEAD);
  let code = 0;
  let k = 0;
  for (let len = 1; len <= 16; len++) {
    const n = counts[len - 1];
    if (n > 0) {
      valptr[len] = k;
      mincode[len] = code;
      for (let i = 0; i < n; i++, k++, code++) {
        if (len <= LOOKAHEAD) {
          const shift = LOOKAHEAD - len;
          const base = code << shift;
          for (let j = 0; j < 1 << shift; j++) fast[base + j] = (len << 8) | values[k];
        }
      }
      maxcode[len] = code - 1;
    }
    code <<= 1;
  }
  // Sentinel so the slow path always stops (F.2.2.3: MAXCODE(17) = X'FFFFF').
  maxcode[17] = 0x7fffffff;
  return { fast, maxcode, mincode, valptr, values };
}

/** Reads entropy-coded bits, removing stuffed zero bytes and stopping (feeding zeros) at a marker. */
export class BitReader {
  private buf = 0;
  private count = 0;
  /** True once a marker (0xFF then a non-zero byte) was met; `pos` then points at its 0xFF. */
  private atMarker = false;

  constructor(
    private readonly data: Uint8Array,
    public pos: number,
  ) {}

  private fill(): void {
    const data = this.data;
    while (this.count <= 16) {
      let b = 0;
      if (!this.atMarker && this.pos < data.length) {
        b = data[this.pos];
        if (b === 0xff) {
          const next = this.pos + 1 < data.length ? data[this.pos + 1] : 0xd9;
          if (next === 0x00) this.pos += 2;
          else {
            this.atMarker = true;
            b = 0;
          }
        } else this.pos++;
      }
      this.buf = ((this.buf << 8) | b) & 0xffffff;
      this.count += 8;
    }
  }

  /** The next `n` (1..16) bits as an unsigned number. */
  bits(n: number): number {
    if (this.count < n) this.fill();
    this.count -= n;
    return (this.buf >>> this.count) & ((1 << n) - 1);
  }

  /** One Huffman-coded value (T.81 F.2.2.3 DECODE, with a lookahead table). */
  decode(table: HuffmanTable): number {
    if (this.count < 16) this.fill();
    const peek = (this.buf >>> (this.count - LOOKAHEAD)) & ((1 << LOOKAHEAD) - 1);
    const hit = table.fast[peek];
    if (hit !== 0) {
      this.count -= hit >> 8;
      return hit & 0xff;
    }
    for (let len = LOOKAHEAD + 1; len <= 16; len++) {
      const code = (this.buf >>> (this.count - len)) & ((1 << len) - 1);
      if (code <= table.maxcode[len]) {
        this.count -= len;
        return table.values[table.valptr[len] + code - table.mincode[len]];
      }
    }
    throw new PixelError('codec-failed', `JPEG: invalid Huffman code at byte offset ${this.pos}.`);
  }

  /** RECEIVE then EXTEND (T.81 F.2.2.1): `s` magnitude bits as a signed difference; 16 means 32768 (H.1.2.2). */
  receiveExtend(s: number): number {
    if (s === 0) return 0;
    if (s === 16) return 32768;
    const v = this.bits(s);
    return v < 1 << (s - 1) ? v - (1 << s) + 1 : v;
  }

  /** Skips to just past the next RSTm marker and empties the bit buffer (T.81 E.2.4). */
  restart(): void {
    this.buf = 0;
    this.count = 0;
    this.atMarker = false;
    const data = this.data;
    let p = this.pos;
    while (p + 1 < data.length && !(data[p] === 0xff && data[p + 1] >= 0xd0 && data[p + 1] <= 0xd7))
      p++;
    this.pos = Math.min(p + 2, data.length);
  }

  /** Offset of the marker that ends this entropy-coded segment (not an RSTm). */
  endOfSegment(): number {
    const data = this.data;
    let p = this.atMarker ? this.pos : Math.max(0, this.pos - 4);
    while (p + 1 < data.length) {
      if (data[p] === 0xff) {
        const m = data[p + 1];
        if (m !== 0x00 && m !== 0xff && !(m >= 0xd0 && m <= 0xd7)) return p;
      }
      p++;
    }
    return data.length;
  }
}
