// Bench-only worker (classic, started from a Blob URL): writes the scan benchmark's generated files
// into an OPFS folder through sync access handles, a few in flight. Untimed set-up.
import { scanBenchFiles } from '../scan-inputs';
import { writeFile } from './opfs-sync';

export interface FillRequest {
  folder: string;
  count: number;
  /** This worker writes the files whose index % of === share (generating is cheap, opening files is not). */
  share: number;
  of: number;
}

self.onmessage = async (event: MessageEvent<FillRequest>) => {
  const { folder, count, share, of } = event.data;
  try {
    const inFlight = new Set<Promise<void>>();
    let files = 0;
    let bytes = 0;
    let index = 0;
    for (const file of scanBenchFiles(count)) {
      if (index++ % of !== share) continue;
      const i = file.path.lastIndexOf('/');
      const write: Promise<void> = writeFile(
        `${folder}/${file.path.slice(0, i)}`,
        file.path.slice(i + 1),
        file.bytes,
      ).finally(() => inFlight.delete(write));
      inFlight.add(write);
      files++;
      bytes += file.bytes.byteLength;
      if (inFlight.size >= 8) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    self.postMessage({ ok: true, files, bytes });
  } catch (error) {
    self.postMessage({
      ok: false,
      error: error instanceof Error ? `${error.name}: ${error.message}` : 'error',
    });
  }
};
