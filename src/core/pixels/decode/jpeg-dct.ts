// Sequential DCT-based JPEG scans, 8- and 12-bit sample precision (ITU-T T.81 annex F, processes 1, 2 and 4).
import type { BitReader } from './jpeg-huffman';
import type { JpegFrame, JpegTables, ScanHeader } from './jpeg-frame';
import { PixelError } from './pixel-error';

/** Zig-zag index → natural (row-major) index of the 8×8 block (T.81 figure A.6). */
export const ZIGZAG = Int32Array.from([
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20,
  13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52,
  45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
]);

/** COS[x * 8 + u] = C(u)/2 · cos((2x+1)uπ/16), the basis of the inverse DCT (T.81 A.3.3). */
const COS = (() => {
  const t = new Float64Array(64);
  for (let x = 0; x < 8; x++) {
    for (let u = 0; u < 8; u++) {
      const cu = u === 0 ? Math.SQRT1_2 : 1;
      t[x * 8 + u] = (cu / 2) * Math.cos(((2 * x + 1) * u * Math.PI) / 16);
    }
  }
  return t;
})();

/**
 * Inverse DCT of one block of dequantized coefficients (natural order) into `out` at `offset`
 * with line length `stride`: level shift by 2^(P-1) and clamp to 0..2^P-1 (T.81 A.3.1, F.2.1.5).
 * Floating point and separable: exact to well within the ±1 that IEEE 1180 allows.
 */
export function inverseDct(
  coef: Int32Array,
  tmp: Float64Array,
  out: Uint16Array,
  offset: number,
  stride: number,
  precision: number,
): void {
  const shift = 1 << (precision - 1);
  const max = (1 << precision) - 1;
  // Rows: tmp[v*8+x] = Σu COS[x,u]·F[v,u]; a row with only a DC term is constant.
  for (let v = 0; v < 8; v++) {
    const r = v * 8;
    let acZero = true;
    for (let u = 1; u < 8; u++) {
      if (coef[r + u] !== 0) {
        acZero = false;
        break;
      }
    }
    if (acZero) {
      const dc = coef[r] * COS[0];
      for (let x = 0; x < 8; x++) tmp[r + x] = dc;
      continue;
    }
    for (let x = 0; x < 8; x++) {
      const c = x * 8;
      tmp[r + x] =
        coef[r] * COS[c] +
        coef[r + 1] * COS[c + 1] +
        coef[r + 2] * COS[c + 2] +
        coef[r + 3] * COS[c + 3] +
        coef[r + 4] * COS[c + 4] +
        coef[r + 5] * COS[c + 5] +
        coef[r + 6] * COS[c + 6] +
        coef[r + 7] * COS[c + 7];
    }
  }
  // Columns: f[y,x] = Σv COS[y,v]·tmp[v,x].
  for (let y = 0; y < 8; y++) {
    const c = y * 8;
    const o = offset + y * stride;
    for (let x = 0; x < 8; x++) {
      const s =
        tmp[x] * COS[c] +
        tmp[8 + x] * COS[c + 1] +
        tmp[16 + x] * COS[c + 2] +
        tmp[24 + x] * COS[c + 3] +
        tmp[32 + x] * COS[c + 4] +
        tmp[40 + x] * COS[c + 5] +
        tmp[48 + x] * COS[c + 6] +
        tmp[56 + x] * COS[c + 7];
      const val = Math.round(s) + shift;
      out[o + x] = val < 0 ? 0 : val > max ? max : val;
    }
  }
}

/**
 * Decodes one sequential DCT scan into the components' planes. Ss/Se are ignored: a sequential
 * scan always codes all 64 coefficients (some encoders write Se = 0 here by mistake).
 */
export function decodeDctScan(
  reader: BitReader,
  frame: JpegFrame,
  tables: JpegTables,
  scan: ScanHeader,
): void {
  const coef = new Int32Array(64);
  const tmp = new Float64Array(64);
  const parts = scan.components.map(({ comp, td, ta }) => {
    const dc = tables.dc[td];
    const ac = tables.ac[ta];
    const q = tables.quant[comp.tq];
    if (!dc || !ac || !q) {
      throw new PixelError('codec-failed', 'JPEG: a scan uses a table that was never defined.');
    }
    comp.pred = 0;
    return { comp, dc, ac, q };
  });

  const decodeBlock = (p: (typeof parts)[number], blockRow: number, blockCol: number): void => {
    coef.fill(0);
    const t = reader.decode(p.dc);
    p.comp.pred += reader.receiveExtend(t);
    coef[0] = p.comp.pred * p.q[0];
    for (let k = 1; k < 64;) {
      const rs = reader.decode(p.ac);
      const r = rs >> 4;
      const s = rs & 15;
      if (s === 0) {
        if (r !== 15) break;
        k += 16;
        continue;
      }
      k += r;
      if (k > 63) break;
      coef[ZIGZAG[k]] = reader.receiveExtend(s) * p.q[k];
      k++;
    }
    const comp = p.comp;
    if (blockRow * 8 >= comp.rows || blockCol * 8 >= comp.stride) return;
    inverseDct(
      coef,
      tmp,
      comp.plane,
      blockRow * 8 * comp.stride + blockCol * 8,
      comp.stride,
      frame.precision,
    );
  };

  const ri = tables.restartInterval;
  let mcu = 0;
  const restartIfDue = (): void => {
    if (ri > 0 && mcu > 0 && mcu % ri === 0) {
      reader.restart();
      for (const p of parts) p.comp.pred = 0;
    }
  };

  if (parts.length === 1) {
    // Non-interleaved: one block per MCU, over the component's own size (T.81 A.2.2).
    const p = parts[0];
    const bw = Math.ceil(p.comp.width / 8);
    const bh = Math.ceil(p.comp.height / 8);
    for (let row = 0; row < bh; row++) {
      for (let col = 0; col < bw; col++, mcu++) {
        restartIfDue();
        decodeBlock(p, row, col);
      }
    }
    return;
  }
  for (let my = 0; my < frame.mcusY; my++) {
    for (let mx = 0; mx < frame.mcusX; mx++, mcu++) {
      restartIfDue();
      for (const p of parts) {
        for (let v = 0; v < p.comp.v; v++) {
          for (let h = 0; h < p.comp.h; h++) decodeBlock(p, my * p.comp.v + v, mx * p.comp.h + h);
        }
      }
    }
  }
}
