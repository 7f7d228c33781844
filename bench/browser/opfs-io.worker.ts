// Bench-only dedicated worker: the fastest OPFS I/O a page can do, through FileSystemSyncAccessHandle.
// Generates the input folder, writes outputs, and copies files (the floors).
import type { IoReply, IoRequest } from './opfs-io-protocol';
import { benchSlices } from '../inputs';
import { readAsFile, readFile, writeFile } from './opfs-sync';

function split(path: string): [string, string] {
  const i = path.lastIndexOf('/');
  return [path.slice(0, i), path.slice(i + 1)];
}

async function handle(request: IoRequest, paths: string[]): Promise<number> {
  switch (request.op) {
    case 'generate': {
      // The same seeded slices as bench/inputs.ts, made here: the loopback fetch from the static
      // server ran at ~30 MB/s, generating runs at ~250 MB/s. Up to 4 writes in flight.
      const inFlight = new Set<Promise<void>>();
      let bytes = 0;
      for (const slice of benchSlices(request.count, request.seed)) {
        const [dir, name] = split(`${request.folder}/${slice.path}`);
        const write: Promise<void> = writeFile(dir, name, slice.bytes).finally(() =>
          inFlight.delete(write),
        );
        inFlight.add(write);
        paths.push(slice.path);
        bytes += slice.bytes.byteLength;
        if (inFlight.size >= 4) await Promise.race(inFlight);
      }
      await Promise.all(inFlight);
      return bytes;
    }
    case 'write': {
      const view = new Uint8Array(request.bytes, request.offset ?? 0, request.length);
      await writeFile(request.folder, request.name, view);
      return view.byteLength;
    }
    case 'copy': {
      // The plain copy: read and write through sync access handles, `lanes` files in flight.
      let next = 0;
      let bytes = 0;
      await Promise.all(
        Array.from({ length: request.lanes }, async () => {
          while (next < request.paths.length) {
            const path = request.paths[next++];
            const [dir, name] = split(`${request.from}/${path}`);
            const data =
              request.read === 'file' ? await readAsFile(dir, name) : await readFile(dir, name);
            await writeFile(request.to, path.replaceAll('/', '_'), data);
            bytes += data.byteLength;
          }
        }),
      );
      return bytes;
    }
  }
}

self.onmessage = (event: MessageEvent<IoRequest>) => {
  const request = event.data;
  const paths: string[] = [];
  handle(request, paths).then(
    (bytes) => self.postMessage({ id: request.id, ok: true, bytes, paths } satisfies IoReply),
    (error: unknown) =>
      self.postMessage({
        id: request.id,
        ok: false,
        error: error instanceof Error ? `${error.name}: ${error.message}` : 'error',
      } satisfies IoReply),
  );
};
