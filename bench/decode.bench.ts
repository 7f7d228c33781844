// Pixel decoding speed per transfer syntax on the sample files: decoded MB/s (output stored values),
// one thread, after warm-up. Decoders: ours (native, RLE, JPEG DCT 8/12-bit, JPEG lossless) and
// the wasm codecs (libjpeg-turbo, CharLS, OpenJPEG) loaded as the CLI loads them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { report, sampleRss } from './harness';
import { readDicomFile } from '../src/core/dicom/read';
import { decodeFrame, describePixels } from '../src/core/pixels/decode';
import type { CodecSet } from '../src/core/pixels/types';
import { loadCodecs } from '../src/platform/node/codecs';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 1);
const codecs = await loadCodecs();
const own: CodecSet = { decodeJpegLs: codecs.decodeJpegLs, decodeJpeg2000: codecs.decodeJpeg2000 };

const CASES: [string, string, CodecSet][] = [
  ['native 16-bit LE (CT_small 128²)', 'CT_small.dcm', codecs],
  ['native 16-bit BE (MR_small_bigendian 64²)', 'MR_small_bigendian.dcm', codecs],
  ['native 8-bit deflated (image_dfl 512²)', 'image_dfl.dcm', codecs],
  ['native 1-bit (liver_1frame 512²)', 'liver_1frame.dcm', codecs],
  ['native YBR_FULL_422 (100² RGB)', 'SC_ybr_full_422_uncompressed.dcm', codecs],
  ['RLE 16-bit (MR_small_RLE 64²)', 'MR_small_RLE.dcm', codecs],
  ['RLE RGB 8-bit (SC_rgb_rle 100²)', 'SC_rgb_rle.dcm', codecs],
  ['JPEG baseline RGB, libjpeg-turbo wasm (256²)', 'SC_jpeg_no_color_transform_2.dcm', codecs],
  ['JPEG baseline RGB, own decoder (256²)', 'SC_jpeg_no_color_transform_2.dcm', own],
  ['JPEG baseline YBR 4:2:2, own decoder (100²)', 'SC_rgb_dcmtk_+eb+cy+s2.dcm', own],
  ['JPEG extended 12-bit, own decoder (256×1024)', 'JPGExtended.dcm', codecs],
  ['JPEG lossless SV1 RGB, own decoder (100²)', 'SC_rgb_jpeg_gdcm.dcm', codecs],
  ['JPEG-LS lossless, CharLS wasm (64²)', 'MR_small_jpeg_ls_lossless.dcm', codecs],
  ['JPEG 2000 lossless, OpenJPEG wasm (64²)', 'MR_small_jp2klossless.dcm', codecs],
  ['JPEG 2000, OpenJPEG wasm (693_J2KI 512²)', '693_J2KI.dcm', codecs],
  ['JPEG 2000 RGB, OpenJPEG wasm (400²)', 'GDCMJ2K_TextGBR.dcm', codecs],
];

for (const [name, file, set] of CASES) {
  const bytes = new Uint8Array(readFileSync(join(process.cwd(), 'test-data/dicom-samples', file)));
  const dicom = await readDicomFile(bytes);
  const desc = describePixels(dicom.dataset, dicom.syntax.transferSyntaxUID);
  const once = async (): Promise<number> => {
    let out = 0;
    for (let i = 0; i < desc.numberOfFrames; i++) {
      out += (await decodeFrame(dicom.dataset, desc, i, set)).data.byteLength;
    }
    return out;
  };
  const warm = performance.now();
  while (performance.now() - warm < 300) await once();
  const rss = sampleRss();
  let decoded = 0;
  let runs = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < SECONDS * 1000) {
    decoded += await once();
    runs++;
  }
  const seconds = (performance.now() - t0) / 1000;
  report({
    name: `decode ${name}`,
    files: runs,
    bytes: decoded,
    seconds,
    peak_mb: rss.stop(),
    floor_mb_per_s: null,
    notes: `${file}: ${desc.transferSyntaxUID}, ${bytes.length} bytes in`,
  });
}
