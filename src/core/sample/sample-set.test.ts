import { describe, expect, it } from 'vitest';
import { readDicom } from '../dicom/read';
import { DicomReadError, type DicomFile } from '../dicom/types';
import { FONT, GLYPH_ADVANCE, GLYPH_HEIGHT, GLYPH_WIDTH } from './font';
import type { TextBox } from './pixels';
import { generateSampleSet, type SampleSet } from './sample-set';

const set = generateSampleSet();

async function hashSet(s: SampleSet): Promise<string> {
  const enc = new TextEncoder();
  const parts = s.files.flatMap((f) => [enc.encode(f.path), f.bytes]);
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', all));
  return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function fileAt(path: string): Uint8Array {
  const file = set.files.find((f) => f.path === path);
  if (!file) throw new Error(`no file ${path}`);
  return file.bytes;
}

function contains(bytes: Uint8Array, text: string): boolean {
  return Buffer.from(bytes).includes(Buffer.from(text, 'latin1'));
}

function pixelsOf(file: DicomFile): Uint8Array {
  const at = file.pixelData!;
  return file.source.subarray(at.valueStart, at.valueStart + at.declaredLength!);
}

const rejectedPaths = new Set(set.expected.rejected.map((r) => r.path));

describe('generateSampleSet', () => {
  it('is deterministic: the same seed gives byte-identical files', async () => {
    const again = generateSampleSet(1);
    expect(await hashSet(again)).toBe(await hashSet(set));
    expect(again.answers).toEqual(set.answers);
    expect(again.expected).toEqual(set.expected);
  });

  it('differs for another seed (UIDs and noise), with the same planted values', async () => {
    const other = generateSampleSet(2);
    expect(await hashSet(other)).not.toBe(await hashSet(set));
    expect(other.answers.map((a) => a.value)).toEqual(set.answers.map((a) => a.value));
  });

  it('stays small: under 3 MB in all', () => {
    const total = set.files.reduce((n, f) => n + f.bytes.length, 0);
    expect(total).toBeLessThan(3 * 1024 * 1024);
  });

  it('every file re-reads with readDicom, except the ones intake must refuse', () => {
    let instances = 0;
    for (const f of set.files) {
      if (rejectedPaths.has(f.path)) continue;
      const file = readDicom(f.bytes);
      if (!set.expected.directories.includes(f.path)) {
        instances++;
        expect(file.pixelData, f.path).toBeDefined();
      }
    }
    expect(instances).toBe(set.expected.instances);
  });

  it('the truncated file and the text file fail to read, with the expected reason', () => {
    for (const { path, reason } of set.expected.rejected) {
      let error: unknown;
      try {
        readDicom(fileAt(path));
      } catch (e) {
        error = e;
      }
      expect(error, path).toBeInstanceOf(DicomReadError);
      expect((error as DicomReadError).code).toBe(reason);
    }
  });

  it('each planted value is where the answers say', () => {
    expect(set.answers.length).toBeGreaterThan(40);
    const boxes = new Map(set.expected.burnedInText.map((b) => [b.path, b.boxes]));
    for (const answer of set.answers) {
      const label = `${answer.where} in ${answer.file}`;
      expect(answer.file, label).toBeDefined();
      if (answer.where === 'path') expect(answer.file!.includes(answer.value), label).toBe(true);
      else if (answer.where.startsWith('pixels'))
        expect(
          boxes.get(answer.file!)?.some((b) => b.text === answer.value),
          label,
        ).toBe(true);
      else {
        expect(answer.where, label).toMatch(/^(header|private) \(/);
        expect(contains(fileAt(answer.file!), answer.value), label).toBe(true);
      }
    }
  });

  it('plants every kind of PHI the brief lists', () => {
    const where = (w: string): string[] =>
      set.answers.filter((a) => a.where === w).map((a) => a.value);
    expect(where('header (0010,0010)')).toEqual([
      'QUIXOTEHART^ALBERTO^J',
      'ZEPHYRINE^MARIGOLD',
      'OAKENSHIELD^BARNABY',
    ]);
    expect(where('private (0009,1010)')).toEqual(['MRN-QX-731904', 'MRN-ZM-208866']);
    expect(where('header (0040,0275) > (0032,1060)')).toEqual(['Chest CT for Alberto Quixotehart']);
    expect(where('header (0008,1030)')).toEqual(['CT Chest follow-up Quixotehart']);
    expect(where('header (0008,103E)')).toEqual(['T2 AX Zephyrine repeat']);
    expect(new Set(set.answers.map((a) => a.kind))).toEqual(
      new Set(['name', 'id', 'date', 'address', 'institution', 'description', 'pixels', 'path']),
    );
    for (const tag of [
      '(0010,0030)',
      '(0010,1000)',
      '(0008,0050)',
      '(0008,0080)',
      '(0008,0081)',
      '(0008,0090)',
      '(0008,1070)',
      '(0008,1010)',
      '(0008,0020)',
      '(0008,0021)',
      '(0008,002A)',
      '(0008,0023)',
    ]) {
      expect(where(`header ${tag}`).length, tag).toBeGreaterThan(0);
    }
  });

  it('keeps the private creator and a harmless-looking private number beside the ID', () => {
    const file = readDicom(
      fileAt(set.answers.find((a) => a.where === 'private (0009,1010)')!.file!),
    );
    expect(new TextDecoder().decode(file.dataset.get(0x00090010)!.bytes).trim()).toBe(
      'ACME_PRIVATE',
    );
    expect(new TextDecoder().decode(file.dataset.get(0x00091011)!.bytes).trim()).toBe('2.5');
  });

  it('the glyph text is drawn where the box says, and nothing else is inked around it', () => {
    const patterns = new Map([...FONT].map(([ch, rows]) => [rows.flat().join(''), ch]));
    expect(patterns.size).toBe(FONT.size); // every glyph is distinct, so reading back is unambiguous
    expect(set.expected.burnedInText.length).toBe(4);
    for (const { path, boxes } of set.expected.burnedInText) {
      const file = readDicom(fileAt(path));
      const pixels = pixelsOf(file);
      const columns = new DataView(
        file.dataset.get(0x00280011)!.bytes!.buffer,
        file.dataset.get(0x00280011)!.bytes!.byteOffset,
      ).getUint16(0, true);
      const channels = file.dataset.get(0x00280002)!.bytes![0];
      const ink = (x: number, y: number): boolean => pixels[(y * columns + x) * channels] > 200;
      for (const box of boxes) {
        expect(readBack(box, ink, patterns), path).toBe(box.text);
        for (let x = box.x - 2; x < box.x + box.w + 2; x++) {
          for (const y of [box.y - 2, box.y - 1, box.y + box.h, box.y + box.h + 1])
            expect(ink(x, y)).toBe(false);
        }
      }
    }
  });
});

/** Reads a line of text back by sampling the centre of every font dot in the box. */
function readBack(
  box: TextBox,
  ink: (x: number, y: number) => boolean,
  patterns: Map<string, string>,
): string {
  const count = Math.round((box.w / box.scale + (GLYPH_ADVANCE - GLYPH_WIDTH)) / GLYPH_ADVANCE);
  let text = '';
  for (let i = 0; i < count; i++) {
    let bits = '';
    for (let gy = 0; gy < GLYPH_HEIGHT; gy++) {
      for (let gx = 0; gx < GLYPH_WIDTH; gx++) {
        const x = box.x + (i * GLYPH_ADVANCE + gx) * box.scale + Math.floor(box.scale / 2);
        const y = box.y + gy * box.scale + Math.floor(box.scale / 2);
        bits += ink(x, y) ? '1' : '0';
      }
    }
    text += patterns.get(bits) ?? '?';
  }
  return text;
}
