// A seeded set of images with burned-in text (and text-free CT/MR slices) to measure text detection on.

import type { Box, Gray8 } from '../pixels/types';
import { FONT, GLYPH_HEIGHT, GLYPH_WIDTH, canDraw } from './font';
import { ctSliceBytes, mrSliceBytes } from './pixels';
import { createPrng, type Prng } from './prng';

/** How glyph dots are drawn: the 5×7 font as squares, widened by one dot, or as round dots. */
export type GlyphStyle = 'plain' | 'bold' | 'dot-matrix';
/** 'chroma': coloured text whose luminance is within a few levels of its background's. */
export type TextContrast = 'white' | 'grey' | 'dim' | 'colour' | 'chroma';
export type TextPosition =
  'top-left' | 'top-right' | 'bottom-left' | 'bottom-right' | 'top-centre' | 'middle-band';
export type Background =
  | 'black'
  | 'grey'
  | 'ultrasound'
  | 'colour'
  | 'ct'
  | 'mr'
  | 'colour-panel'
  | 'colour-panel-ultrasound';

/** One string drawn into an image: PHI (name, id, date), a label beside it, or a safe token. */
export interface PlantedText {
  box: Box;
  text: string;
  kind: 'name' | 'id' | 'date' | 'label' | 'safe';
  /** Glyph height in pixels. */
  height: number;
  style: GlyphStyle;
  contrast: TextContrast;
  position: TextPosition;
}

export interface BurnedTextImage {
  id: string;
  modality: 'US' | 'SC' | 'OT' | 'CT' | 'MR';
  background: Background;
  bitsAllocated: 8 | 16;
  samplesPerPixel: 1 | 3;
  /** Stored samples: 8-bit (RGB interleaved when 3 samples) or 16-bit unsigned grey. */
  stored: Uint8Array | Uint16Array;
  /** The VOI window that maps 16-bit stored values to grey (center, width). */
  window?: { center: number; width: number };
  /** What OCR sees: grey (1 sample a pixel) or RGBA (4), 8-bit. */
  image: Gray8;
  planted: PlantedText[];
  /** The patient's original values as a header holds them (PatientName, PatientID, dates, accession). */
  identifiers: string[];
  textFree: boolean;
}

/** Text heights (glyph cap height in pixels) the set cycles through. */
export const TEXT_HEIGHTS = [8, 9, 10, 12, 14, 16, 18, 20, 24, 28, 32, 40] as const;

const FAMILIES = [
  'QUIXOTEHART',
  'ZEPHYRINE',
  'OAKENSHIELD',
  'MARBLEWOOD',
  'FENWICKE',
  'ALDERGROVE',
  'PEMBERLY',
  'CASTELLANE',
  'HOLLOWAYNE',
  'TREMAINEX',
  'VANTERPOOL',
  'BRIGHTWATER',
];
const GIVENS = [
  'ALBERTO',
  'MARIGOLD',
  'BARNABY',
  'ROSALIND',
  'THADDEUS',
  'IMOGEN',
  'CORNELIUS',
  'WILHELMINA',
  'OSWALD',
  'PERPETUA',
  'LEOPOLD',
  'GWENDOLYN',
];
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const SAFE_LINES = ['GAIN 50', 'DEPTH 12 CM', '5 MHZ', 'FPS 30', '10 CM', 'L', 'R', '120 KV'];
const POSITIONS: TextPosition[] = [
  'top-left',
  'top-right',
  'bottom-left',
  'bottom-right',
  'top-centre',
  'middle-band',
];
const CONTRASTS: TextContrast[] = ['white', 'grey', 'dim', 'colour'];
const STYLES: GlyphStyle[] = ['plain', 'plain', 'bold', 'dot-matrix'];
const INKS_RGB: [number, number, number][] = [
  [255, 230, 0],
  [0, 230, 0],
  [0, 220, 255],
  [255, 150, 0],
  [255, 255, 255],
  [240, 60, 60],
];

/**
 * `count` images from a seed: about one in five is a text-free CT or MR slice, the rest carry a
 * block of 2–3 PHI lines (name, ID, date in one of many formats) at one position and a block of
 * safe labels at another, at glyph heights 8–40 px (cycling through TEXT_HEIGHTS), three glyph
 * styles with area-sampled non-integer scaling, four contrasts, mono and RGB, 8- and 16-bit,
 * on black, grey, colour, ultrasound speckle, CT and MR backgrounds. Deterministic for a seed.
 */
export function generateBurnedTextSet(seed: number, count: number): BurnedTextImage[] {
  const prng = createPrng(seed);
  const out: BurnedTextImage[] = [];
  let textIndex = 0;
  for (let i = 0; i < count; i++) {
    const id = `bt-${String(i).padStart(4, '0')}`;
    if (i % 5 === 4) out.push(textFreeSlice(id, prng, i));
    else out.push(textImage(id, prng, textIndex++));
  }
  return out;
}

/** A plain CT or MR slice, windowed the way a viewer would, with no text. */
export function textFreeSlice(id: string, prng: Prng, i: number): BurnedTextImage {
  const size = [512, 256, 384][prng.int(3)];
  const ct = i % 2 === 0;
  const bytes = ct
    ? ctSliceBytes(size, size, prng.int(200), prng)
    : mrSliceBytes(size, size, prng.int(100), prng);
  const stored = new Uint16Array(size * size);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let k = 0; k < stored.length; k++) stored[k] = view.getUint16(k * 2, true);
  // CT stored = HU + 1024: soft tissue (40/400) or lung (-600/1500) windows; MR: its full range.
  const window = ct
    ? prng.int(2) === 0
      ? { center: 1064, width: 400 }
      : { center: 424, width: 1500 }
    : { center: 520, width: 1040 };
  return {
    id,
    modality: ct ? 'CT' : 'MR',
    background: ct ? 'ct' : 'mr',
    bitsAllocated: 16,
    samplesPerPixel: 1,
    stored,
    window,
    image: windowToGray8(stored, size, size, window),
    planted: [],
    identifiers: [],
    textFree: true,
  };
}

interface Patient {
  family: string;
  given: string;
  id: string;
  birthDate: string;
  studyDate: string;
  accession: string;
}

function drawPatient(prng: Prng): Patient {
  const digits = (n: number): string =>
    Array.from({ length: n }, () => String(prng.int(10))).join('');
  const date = (from: number, span: number): string =>
    `${from + prng.int(span)}${String(1 + prng.int(12)).padStart(2, '0')}${String(1 + prng.int(28)).padStart(2, '0')}`;
  const idShape = prng.int(3);
  const id =
    idShape === 0 ? `00${digits(6)}` : idShape === 1 ? digits(7) : `MRN-${digits(2)}-${digits(6)}`;
  return {
    family: FAMILIES[prng.int(FAMILIES.length)],
    given: GIVENS[prng.int(GIVENS.length)],
    id,
    birthDate: date(1930, 70),
    studyDate: date(2005, 20),
    accession: `A${digits(8)}`,
  };
}

/** The date as a device might print it. */
function formatDate(da: string, shape: number): string {
  const [y, m, d] = [da.slice(0, 4), da.slice(4, 6), da.slice(6, 8)];
  switch (shape % 6) {
    case 0:
      return `${y}-${m}-${d}`;
    case 1:
      return `${d}/${m}/${y}`;
    case 2:
      return `${d}.${m}.${y}`;
    case 3:
      return `${d}-${MONTHS[Number(m) - 1]}-${y}`;
    case 4:
      return da;
    default:
      return `${m}/${d}/${y}`;
  }
}

/** PHI lines: segments of [text, kind], so that labels ('DOB') and values get boxes of their own. */
function phiLines(p: Patient, prng: Prng): [string, PlantedText['kind']][][] {
  const nameShape = prng.int(4);
  const name =
    nameShape === 0
      ? `${p.family} ${p.given}`
      : nameShape === 1
        ? `${p.family}, ${p.given}`
        : nameShape === 2
          ? `${p.given} ${p.family}`
          : p.family;
  const idText = p.id.startsWith('00') && prng.int(2) === 0 ? p.id.replace(/^0+/, '') : p.id;
  const lines: [string, PlantedText['kind']][][] = [[[name, 'name']]];
  lines.push(
    prng.int(2) === 0
      ? [
          ['ID', 'label'],
          [idText, 'id'],
        ]
      : [[idText, 'id']],
  );
  const third = prng.int(3);
  if (third === 0)
    lines.push([
      ['DOB', 'label'],
      [formatDate(p.birthDate, prng.int(6)), 'date'],
    ]);
  else if (third === 1) lines.push([[formatDate(p.studyDate, prng.int(6)), 'date']]);
  else
    lines.push([
      ['ACC', 'label'],
      [p.accession, 'id'],
    ]);
  return lines;
}

interface Canvas {
  width: number;
  height: number;
  channels: 1 | 3;
  /** Values in stored units (0..max). */
  data: Float32Array;
  max: number;
}

function textImage(id: string, prng: Prng, n: number): BurnedTextImage {
  const height = TEXT_HEIGHTS[n % TEXT_HEIGHTS.length];
  const style = STYLES[(n + Math.floor(n / TEXT_HEIGHTS.length)) % STYLES.length];
  const contrast = CONTRASTS[(n + Math.floor(n / 7)) % CONTRASTS.length];
  const backgrounds: Background[] =
    contrast === 'colour'
      ? ['colour', 'ultrasound', 'black']
      : ['black', 'grey', 'ultrasound', 'ct', 'mr', 'colour'];
  const background = backgrounds[prng.int(backgrounds.length)];
  const rgb =
    background === 'colour' ||
    contrast === 'colour' ||
    (background === 'ultrasound' && prng.int(2) === 0);
  const sixteen = background === 'ct' || background === 'mr';
  const [width, imgHeight] =
    height >= 28
      ? [1024, 768]
      : height >= 18
        ? [800, 600]
        : height <= 10 && n % 3 === 0
          ? [320, 256]
          : [
              [512, 512],
              [640, 480],
            ][prng.int(2)];
  const canvas: Canvas = {
    width,
    height: imgHeight,
    channels: rgb ? 3 : 1,
    data: new Float32Array(width * imgHeight * (rgb ? 3 : 1)),
    max: sixteen ? 4095 : 255,
  };
  paintBackground(canvas, background, prng);

  const patient = drawPatient(prng);
  const position = POSITIONS[n % POSITIONS.length];
  const safePosition = POSITIONS[(n + 3) % POSITIONS.length];
  const ink = inkFor(contrast, canvas, prng);
  const planted: PlantedText[] = [];
  const lines = phiLines(patient, prng).map((segs) => fitLine(segs, height, style, width));
  placeBlock(canvas, lines, height, style, position, ink, planted, contrast);
  const safe = SAFE_LINES[prng.int(SAFE_LINES.length)];
  const safeHeight = Math.max(8, Math.min(height, 16));
  placeBlock(canvas, [[[safe, 'safe']]], safeHeight, 'plain', safePosition, ink, planted, contrast);

  const window = sixteen ? { center: 2048, width: 4096 } : undefined;
  const stored = quantize(canvas);
  const image =
    sixteen && stored instanceof Uint16Array
      ? windowToGray8(stored, width, imgHeight, window!)
      : toGray8View(stored as Uint8Array, width, imgHeight, canvas.channels);
  const modality =
    background === 'ultrasound'
      ? 'US'
      : sixteen
        ? background === 'ct'
          ? 'CT'
          : 'MR'
        : rgb
          ? 'SC'
          : 'OT';
  return {
    id,
    modality,
    background,
    bitsAllocated: sixteen ? 16 : 8,
    samplesPerPixel: canvas.channels,
    stored,
    window,
    image,
    planted,
    identifiers: [
      `${patient.family}^${patient.given}`,
      patient.id,
      patient.birthDate,
      patient.studyDate,
      patient.accession,
    ],
    textFree: false,
  };
}

/** Shortens a line (drops the given name, then characters) until it fits 90% of the width. */
function fitLine(
  segs: [string, PlantedText['kind']][],
  height: number,
  style: GlyphStyle,
  width: number,
): [string, PlantedText['kind']][] {
  const fits = (s: [string, PlantedText['kind']][]): boolean =>
    lineWidth(s.map(([t]) => t).join(' '), height, style) <= width * 0.9;
  let out = segs;
  if (!fits(out) && out.length > 1) out = out.slice(-1);
  while (!fits(out) && out[0][0].length > 4) {
    const [text, kind] = out[0];
    const cut = text.includes(' ') ? text.slice(0, text.lastIndexOf(' ')) : text.slice(0, -1);
    out = [[cut.replace(/,$/, ''), kind]];
  }
  return out;
}

function lineWidth(text: string, height: number, style: GlyphStyle): number {
  const { adv, glyph } = cellOf(style);
  return Math.round(((text.length * adv - (adv - glyph)) * height) / GLYPH_HEIGHT);
}

function cellOf(style: GlyphStyle): { adv: number; glyph: number } {
  return style === 'bold' ? { adv: 7, glyph: 6 } : { adv: GLYPH_WIDTH + 1, glyph: GLYPH_WIDTH };
}

function placeBlock(
  c: Canvas,
  lines: [string, PlantedText['kind']][][],
  height: number,
  style: GlyphStyle,
  position: TextPosition,
  ink: number[],
  planted: PlantedText[],
  contrast: TextContrast,
): void {
  const gap = Math.round(height * 0.6);
  const widths = lines.map((segs) => lineWidth(segs.map(([t]) => t).join(' '), height, style));
  const blockW = Math.max(...widths);
  const blockH = lines.length * height + (lines.length - 1) * gap;
  const margin = Math.max(6, Math.round(height * 0.5));
  const left = position.endsWith('left')
    ? margin
    : position.endsWith('right')
      ? c.width - blockW - margin
      : Math.round((c.width - blockW) / 2);
  const top = position.startsWith('top')
    ? margin
    : position.startsWith('bottom')
      ? c.height - blockH - margin
      : Math.round((c.height - blockH) / 2);
  lines.forEach((segs, li) => {
    let x = left;
    const y = top + li * (height + gap);
    for (const [text, kind] of segs) {
      const cov = renderTextCoverage(text, style, height);
      blend(c, x, y, cov, ink);
      planted.push({
        box: { x, y, w: cov.w, h: cov.h },
        text,
        kind,
        height,
        style,
        contrast,
        position,
      });
      x += cov.w + lineWidth('  ', height, style) - lineWidth(' ', height, style);
    }
  });
}

/** Coverage 0..1 of one line of text at a glyph height, area-sampled from 4 sub-pixels per dot. */
export function renderTextCoverage(
  text: string,
  style: GlyphStyle,
  height: number,
): { w: number; h: number; cov: Float32Array } {
  if (!canDraw(text))
    throw new Error('renderTextCoverage: the text holds a character the font lacks');
  const SS = 4;
  const { adv, glyph } = cellOf(style);
  const sw = (text.length * adv - (adv - glyph)) * SS;
  const sh = GLYPH_HEIGHT * SS;
  const src = new Float32Array(sw * sh);
  [...text].forEach((ch, i) => {
    const rows = FONT.get(ch)!;
    rows.forEach((row, gy) =>
      row.forEach((on, gx) => {
        if (!on) return;
        const spans = style === 'bold' ? [gx, gx + 1] : [gx];
        for (const sx of spans)
          for (let yy = 0; yy < SS; yy++)
            for (let xx = 0; xx < SS; xx++) {
              if (style === 'dot-matrix') {
                const dx = xx + 0.5 - SS / 2;
                const dy = yy + 0.5 - SS / 2;
                if (dx * dx + dy * dy > (SS * 0.5) ** 2) continue;
              }
              src[(gy * SS + yy) * sw + (i * adv + sx) * SS + xx] = 1;
            }
      }),
    );
  });
  const w = Math.max(1, Math.round((sw * height) / sh));
  const across = new Float32Array(w * sh);
  for (let y = 0; y < sh; y++) areaResample(src, y * sw, sw, 1, across, y * w, w, 1);
  const cov = new Float32Array(w * height);
  for (let x = 0; x < w; x++) areaResample(across, x, sh, w, cov, x, height, w);
  return { w, h: height, cov };
}

/** Box-filter resampling of n samples (stride a) into m samples (stride b), partial pixels weighted. */
function areaResample(
  src: Float32Array,
  s0: number,
  n: number,
  sa: number,
  dst: Float32Array,
  d0: number,
  m: number,
  db: number,
): void {
  const step = n / m;
  for (let j = 0; j < m; j++) {
    const lo = j * step;
    const hi = lo + step;
    let sum = 0;
    for (let k = Math.floor(lo); k < Math.min(n, Math.ceil(hi)); k++) {
      const weight = Math.min(hi, k + 1) - Math.max(lo, k);
      sum += weight * src[s0 + k * sa];
    }
    dst[d0 + j * db] = sum / step;
  }
}

function blend(
  c: Canvas,
  x0: number,
  y0: number,
  t: { w: number; h: number; cov: Float32Array },
  ink: number[],
): void {
  for (let y = 0; y < t.h; y++)
    for (let x = 0; x < t.w; x++) {
      const a = t.cov[y * t.w + x];
      if (a === 0) continue;
      const at = ((y0 + y) * c.width + x0 + x) * c.channels;
      for (let ch = 0; ch < c.channels; ch++)
        c.data[at + ch] = c.data[at + ch] * (1 - a) + ink[ch % ink.length] * a;
    }
}

function inkFor(contrast: TextContrast, c: Canvas, prng: Prng): number[] {
  const k = c.max / 255;
  if (contrast === 'colour') {
    const rgb = INKS_RGB[prng.int(INKS_RGB.length)];
    return c.channels === 3
      ? rgb.map((v) => v * k)
      : [Math.round((0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2]) * k)];
  }
  const level = contrast === 'white' ? 255 : contrast === 'grey' ? 175 : 120;
  return [level * k];
}

function paintBackground(c: Canvas, bg: Background, prng: Prng): void {
  const { width: w, height: h, channels: ch, data } = c;
  const k = c.max / 255;
  if (bg === 'ct' || bg === 'mr') {
    // 12-bit stored values: the phantom slice scaled into 0..4095, text later drawn near the top.
    const bytes =
      bg === 'ct'
        ? ctSliceBytes(h, w, prng.int(200), prng)
        : mrSliceBytes(h, w, prng.int(100), prng);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const gain = bg === 'ct' ? 1 : 2;
    for (let i = 0; i < w * h; i++) data[i] = Math.min(3000, view.getUint16(i * 2, true) * gain);
    return;
  }
  const base =
    bg === 'black'
      ? [4, 4, 4]
      : bg === 'grey'
        ? [45, 45, 45]
        : bg === 'colour'
          ? [18, 30, 88]
          : [0, 0, 0];
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const noise = (prng.uint32() % 7) - 3;
      for (let j = 0; j < ch; j++) data[(y * w + x) * ch + j] = Math.max(0, (base[j] + noise) * k);
    }
  if (bg === 'ultrasound') paintSpeckle(c, prng);
}

/** A sector of speckle (never above 180) from the top centre, like drawUltrasoundFan, on any canvas. */
function paintSpeckle(c: Canvas, prng: Prng): void {
  const { width: w, height: h, channels: ch, data } = c;
  const apexX = w / 2;
  const apexY = h * 0.12;
  const half = (35 * Math.PI) / 180;
  for (let y = Math.ceil(apexY); y < h; y++)
    for (let x = 0; x < w; x++) {
      const dx = x - apexX;
      const dy = y - apexY;
      const r = Math.hypot(dx, dy);
      if (r < 30 || r > h - apexY - 4 || Math.abs(Math.atan2(dx, dy)) > half) continue;
      const tissue = 60 + 50 * Math.sin(r / 17) * Math.cos(dx / 23);
      const grey = Math.max(0, Math.min(180, Math.round(tissue + (prng.uint32() % 70) - 35)));
      for (let j = 0; j < ch; j++) data[(y * w + x) * ch + j] = grey;
    }
}

function quantize(c: Canvas): Uint8Array | Uint16Array {
  const out = c.max > 255 ? new Uint16Array(c.data.length) : new Uint8Array(c.data.length);
  for (let i = 0; i < c.data.length; i++)
    out[i] = Math.max(0, Math.min(c.max, Math.round(c.data[i])));
  return out;
}

/** Stored 16-bit grey through a linear VOI window (PS3.3 C.11.2.1.2) to 8-bit grey. */
export function windowToGray8(
  stored: Uint16Array,
  width: number,
  height: number,
  window: { center: number; width: number },
): Gray8 {
  const out = new Uint8Array(width * height);
  const lo = window.center - 0.5 - (window.width - 1) / 2;
  const span = window.width - 1;
  for (let i = 0; i < out.length; i++) {
    const v = ((stored[i] - lo) / span) * 255;
    out[i] = v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v);
  }
  return { width, height, data: out };
}

/** 8-bit stored samples as a Gray8: grey stays 1 sample, RGB becomes RGBA. */
function toGray8View(stored: Uint8Array, width: number, height: number, channels: 1 | 3): Gray8 {
  if (channels === 1) return { width, height, data: stored };
  const out = new Uint8Array(width * height * 4);
  for (let i = 0, j = 0; i < width * height; i++, j += 3) {
    out[i * 4] = stored[j];
    out[i * 4 + 1] = stored[j + 1];
    out[i * 4 + 2] = stored[j + 2];
    out[i * 4 + 3] = 255;
  }
  return { width, height, data: out };
}

/**
 * Background and ink pairs of equal luminance (Rec. 601, within 5 levels) but different colour:
 * what a luminance-only reader cannot see. Red on a grey overlay, yellow on white-ish, red on a
 * green overlay, magenta on dark grey, orange on blue.
 */
export const ISO_LUMINANT_PAIRS: { name: string; background: number[]; ink: number[] }[] = [
  { name: 'red on grey', background: [128, 128, 128], ink: [255, 80, 60] },
  { name: 'yellow on white-ish', background: [228, 228, 228], ink: [255, 255, 0] },
  { name: 'red on green', background: [0, 150, 0], ink: [240, 25, 40] },
  { name: 'magenta on dark grey', background: [90, 90, 90], ink: [190, 30, 140] },
  { name: 'orange on blue', background: [40, 60, 160], ink: [150, 40, 0] },
];

/** Rec. 601 luma of an RGB triple. */
export function lumaOf(rgb: readonly number[]): number {
  return 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2];
}

/**
 * `count` RGB images (8-bit) whose PHI lines and safe label are drawn in a colour of the same
 * luminance as the flat panel behind them (ISO_LUMINANT_PAIRS, cycling), at heights 10–24 px,
 * every other one with an ultrasound fan below the text. Deterministic for a seed.
 */
export function generateChromaTextSet(seed: number, count: number): BurnedTextImage[] {
  const prng = createPrng(seed);
  const heights = [10, 12, 14, 16, 18, 20, 24];
  const positions: TextPosition[] = ['top-left', 'top-right', 'bottom-left', 'bottom-right'];
  const out: BurnedTextImage[] = [];
  for (let n = 0; n < count; n++) {
    const pair = ISO_LUMINANT_PAIRS[n % ISO_LUMINANT_PAIRS.length];
    const height = heights[(n + Math.floor(n / ISO_LUMINANT_PAIRS.length)) % heights.length];
    const withFan = n % 2 === 1;
    const [width, imgHeight] = height >= 18 ? [800, 600] : [640, 480];
    const canvas: Canvas = {
      width,
      height: imgHeight,
      channels: 3,
      data: new Float32Array(width * imgHeight * 3),
      max: 255,
    };
    for (let i = 0; i < width * imgHeight; i++) {
      const noise = (prng.uint32() % 7) - 3;
      for (let j = 0; j < 3; j++)
        canvas.data[i * 3 + j] = Math.max(0, Math.min(255, pair.background[j] + noise));
    }
    if (withFan) paintSpeckle(canvas, prng);
    const patient = drawPatient(prng);
    const position = positions[n % positions.length];
    const planted: PlantedText[] = [];
    const style: GlyphStyle = n % 3 === 2 ? 'bold' : 'plain';
    const lines = phiLines(patient, prng).map((segs) => fitLine(segs, height, style, width));
    placeBlock(canvas, lines, height, style, position, pair.ink, planted, 'chroma');
    const safe = SAFE_LINES[prng.int(SAFE_LINES.length)];
    placeBlock(
      canvas,
      [[[safe, 'safe']]],
      Math.min(height, 16),
      'plain',
      positions[(n + 1) % positions.length],
      pair.ink,
      planted,
      'chroma',
    );
    const stored = quantize(canvas) as Uint8Array;
    out.push({
      id: `ct-${String(n).padStart(4, '0')}`,
      modality: withFan ? 'US' : 'SC',
      background: withFan ? 'colour-panel-ultrasound' : 'colour-panel',
      bitsAllocated: 8,
      samplesPerPixel: 3,
      stored,
      image: toGray8View(stored, width, imgHeight, 3),
      planted,
      identifiers: [
        `${patient.family}^${patient.given}`,
        patient.id,
        patient.birthDate,
        patient.studyDate,
        patient.accession,
      ],
      textFree: false,
    });
  }
  return out;
}

/** A multi-frame image: the same PHI block on every frame, one more PHI line on one frame only. */
export interface MultiFrameTextImage {
  id: string;
  modality: 'US';
  frames: Gray8[];
  /** `box.frame` undefined: on every frame; a number: on that frame only. */
  planted: PlantedText[];
  identifiers: string[];
}

/**
 * A grey ultrasound cine of `frameCount` frames (fresh speckle on each, so no two frames are
 * identical): name and ID at the top left of every frame at `height` px, and the study date at
 * the bottom right of frame `frameCount - 1` only. Deterministic for a seed.
 */
export function generateMultiFrameText(
  seed: number,
  frameCount = 4,
  height = 14,
): MultiFrameTextImage {
  const prng = createPrng(seed);
  const patient = drawPatient(prng);
  const [width, imgHeight] = [640, 480];
  const frames: Gray8[] = [];
  const planted: PlantedText[] = [];
  for (let f = 0; f < frameCount; f++) {
    const canvas: Canvas = {
      width,
      height: imgHeight,
      channels: 1,
      data: new Float32Array(width * imgHeight),
      max: 255,
    };
    paintBackground(canvas, 'ultrasound', prng);
    const here: PlantedText[] = [];
    placeBlock(
      canvas,
      [[[`${patient.family} ${patient.given}`, 'name']], [[patient.id, 'id']]],
      height,
      'plain',
      'top-left',
      [255],
      here,
      'white',
    );
    if (f === 0) planted.push(...here);
    if (f === frameCount - 1) {
      const own: PlantedText[] = [];
      placeBlock(
        canvas,
        [[[formatDate(patient.studyDate, 1), 'date']]],
        height,
        'plain',
        'bottom-right',
        [200],
        own,
        'grey',
      );
      planted.push(...own.map((p) => ({ ...p, box: { ...p.box, frame: f } })));
    }
    frames.push({ width, height: imgHeight, data: quantize(canvas) as Uint8Array });
  }
  return {
    id: `mf-${seed}`,
    modality: 'US',
    frames,
    planted,
    identifiers: [
      `${patient.family}^${patient.given}`,
      patient.id,
      patient.birthDate,
      patient.studyDate,
      patient.accession,
    ],
  };
}
