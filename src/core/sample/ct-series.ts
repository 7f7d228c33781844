// A large synthetic CT series for benchmarks, generated one slice at a time.

import { EXPLICIT_VR_LITTLE_ENDIAN } from '../dicom/syntax';
import { tagForKeyword } from '../dicom/dictionary';
import { writeDicomFile } from '../dicom/write';
import { buildDataset, setElement } from './build-dataset';
import { ctSliceBytes } from './pixels';
import { createPrng, drawUid } from './prng';

export interface CtSeriesOptions {
  slices: number;
  rows: number;
  columns: number;
  seed: number;
}

/**
 * Yields the files of one CT series (16-bit, 512×512 slices are about 0.5 MB each) lazily, so a
 * benchmark can stream thousands of slices without holding them. Deterministic for a seed. The
 * phantom is drawn once; each slice adds its own noise so no two files share pixel bytes.
 */
export function* generateCtSeries(
  options: CtSeriesOptions,
): Generator<{ path: string; bytes: Uint8Array }> {
  const { slices, rows, columns, seed } = options;
  const prng = createPrng(seed);
  const study = drawUid(prng);
  const series = drawUid(prng);
  const frame = drawUid(prng);
  const base = ctSliceBytes(rows, columns, 0, prng);
  const pixelTag = tagForKeyword('PixelData')!;
  for (let i = 0; i < slices; i++) {
    const pixels = base.slice();
    // Low-bit noise on every pixel, two at a time, from an inlined xorshift32 seeded per slice:
    // a call per word through the Prng costs more than writing the file.
    const words = new Uint32Array(pixels.buffer, 0, pixels.length >>> 2);
    let x = prng.uint32() | 1;
    for (let j = 0; j < words.length; j++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      words[j] ^= x & 0x00070007;
    }
    const thickness = 1;
    const ds = buildDataset({
      SpecificCharacterSet: 'ISO_IR 100',
      PatientName: 'BENCHMARK^PHANTOM',
      PatientID: `BENCH-${seed}`,
      StudyInstanceUID: study,
      StudyDate: '20200101',
      AccessionNumber: `BENCHACC${seed}`,
      SOPClassUID: '1.2.840.10008.5.1.4.1.1.2',
      SOPInstanceUID: drawUid(prng),
      ImageType: ['ORIGINAL', 'PRIMARY', 'AXIAL'],
      Modality: 'CT',
      Manufacturer: 'ACME Medical',
      SeriesInstanceUID: series,
      SeriesNumber: 1,
      SeriesDescription: 'BENCHMARK AXIAL',
      BodyPartExamined: 'CHEST',
      SliceThickness: thickness,
      InstanceNumber: i + 1,
      FrameOfReferenceUID: frame,
      ImagePositionPatient: [-250, -250, i * thickness],
      ImageOrientationPatient: [1, 0, 0, 0, 1, 0],
      PixelSpacing: [500 / rows, 500 / columns].map((v) => Number(v.toFixed(6))),
      SamplesPerPixel: 1,
      PhotometricInterpretation: 'MONOCHROME2',
      Rows: rows,
      Columns: columns,
      BitsAllocated: 16,
      BitsStored: 16,
      HighBit: 15,
      PixelRepresentation: 1,
      RescaleIntercept: -1024,
      RescaleSlope: 1,
    });
    setElement(ds, pixelTag, pixels, 'OW');
    yield {
      path: `BENCH_CT_${seed}/IM${String(i + 1).padStart(5, '0')}.dcm`,
      bytes: writeDicomFile({ dataset: ds, transferSyntaxUID: EXPLICIT_VR_LITTLE_ENDIAN }),
    };
  }
}
