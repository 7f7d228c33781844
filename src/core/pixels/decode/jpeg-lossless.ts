// Lossless JPEG scans, process 14, selection values 1..7 with point transform (ITU-T T.81 annex H).
import type { BitReader } from './jpeg-huffman';
import type { JpegComponent, JpegFrame, JpegTables, ScanHeader } from './jpeg-frame';
import { PixelError } from './pixel-error';

/**
 * The prediction Px of T.81 table H.1 from the reconstructed neighbours Ra (left), Rb (above) and
 * Rc (above left). Arithmetic is on plain integers; the sum with the difference is taken modulo 2^16.
 */
export function predictSample(k: number, ra: number, rb: number, rc: number): number {
  switch (k) {
    case 1:
      return ra;
    case 2:
      return rb;
    case 3:
      return rc;
    case 4:
      return ra + rb - rc;
    case 5:
      return ra + ((rb - rc) >> 1);
    case 6:
      return rb + ((ra - rc) >> 1);
    case 7:
      return (ra + rb) >> 1;
    default:
      throw new PixelError('codec-failed', `JPEG lossless: selection value ${k} is not 1..7.`);
  }
}

interface Part {
  comp: JpegComponent;
  table: NonNullable<JpegTables['dc'][number]>;
  /** True until the first sample of the scan or restart interval is decoded. */
  first: boolean;
  /** The line on which the current restart interval began: it is predicted like a first line. */
  startRow: number;
}

/** Decodes one lossless scan into the components' planes (values before the point transform). */
export function decodeLosslessScan(
  reader: BitReader,
  frame: JpegFrame,
  tables: JpegTables,
  scan: ScanHeader,
): void {
  const k = scan.ss;
  const pt = scan.al;
  if (k < 1 || k > 7) {
    throw new PixelError('codec-failed', `JPEG lossless: selection value ${k} is not 1..7.`);
  }
  const initial = 1 << (frame.precision - pt - 1);
  const parts: Part[] = scan.components.map(({ comp, td }) => {
    const table = tables.dc[td];
    if (!table)
      throw new PixelError('codec-failed', 'JPEG lossless: a scan uses an undefined table.');
    return { comp, table, first: true, startRow: 0 };
  });

  const decodeSample = (p: Part, x: number, y: number): void => {
    const { plane, stride } = p.comp;
    const i = y * stride + x;
    let px: number;
    if (p.first) {
      px = initial;
      p.first = false;
      p.startRow = y;
    } else if (y === p.startRow) px = x > 0 ? plane[i - 1] : plane[i - stride];
    else if (x === 0) px = plane[i - stride];
    else px = predictSample(k, plane[i - 1], plane[i - stride], plane[i - stride - 1]);
    const diff = reader.receiveExtend(reader.decode(p.table));
    plane[i] = (px + diff) & 0xffff;
  };

  const ri = tables.restartInterval;
  let mcu = 0;
  const restartIfDue = (): void => {
    if (ri > 0 && mcu > 0 && mcu % ri === 0) {
      reader.restart();
      for (const p of parts) p.first = true;
    }
  };

  if (parts.length === 1) {
    const p = parts[0];
    for (let y = 0; y < p.comp.height; y++) {
      for (let x = 0; x < p.comp.width; x++, mcu++) {
        restartIfDue();
        decodeSample(p, x, y);
      }
    }
  } else {
    for (let my = 0; my < frame.mcusY; my++) {
      for (let mx = 0; mx < frame.mcusX; mx++, mcu++) {
        restartIfDue();
        for (const p of parts) {
          for (let v = 0; v < p.comp.v; v++) {
            for (let h = 0; h < p.comp.h; h++)
              decodeSample(p, mx * p.comp.h + h, my * p.comp.v + v);
          }
        }
      }
    }
  }
  if (pt > 0) {
    for (const p of parts) {
      const plane = p.comp.plane;
      for (let i = 0; i < plane.length; i++) plane[i] = (plane[i] << pt) & 0xffff;
    }
  }
}
