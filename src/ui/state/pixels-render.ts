// Frames for the Pixels screen, rendered by the view worker: thumbnails kept in a small cache, the
// viewer's requests coalesced so a window/level drag never queues a backlog of renders.
import type { RenderedFrame, RenderRequest } from '../../../workers/pixels-api';
import type { FileId } from '../../store/types';
import { pixelScan } from './pixels.svelte';
import { pixelViewWorker } from './pools';

type Request = Omit<RenderRequest, 'source' | 'fileId'> & { fileId: FileId };

const THUMBNAILS = 240;
const cache = new Map<string, RenderedFrame>();
const keyOf = (r: Request): string =>
  `${r.fileId}|${r.frame}|${r.maxSize ?? ''}|${r.window ? `${r.window.center}/${r.window.width}` : ''}`;

let waiting: { request: Request; resolve: (r: RenderedFrame | undefined) => void } | undefined;
let busy = false;

async function render(request: Request): Promise<RenderedFrame | undefined> {
  const file = await pixelScan.fileOf(request.fileId);
  if (!file) return undefined;
  try {
    return await pixelViewWorker().call('renderFrame', [{ ...request, source: file }]);
  } catch {
    return undefined;
  }
}

function runViewer(request: Request, resolve: (r: RenderedFrame | undefined) => void): void {
  busy = true;
  void render(request)
    .then(resolve)
    .finally(() => {
      busy = false;
      const next = waiting;
      waiting = undefined;
      if (next) runViewer(next.request, next.resolve);
    });
}

/**
 * Renders a frame. Thumbnails (`maxSize` set) are remembered. Full-size requests (the viewer) are
 * coalesced: while one renders only the newest waits; an older waiting one resolves undefined.
 */
export function renderFrame(request: Request): Promise<RenderedFrame | undefined> {
  if (request.maxSize !== undefined) {
    const key = keyOf(request);
    const hit = cache.get(key);
    if (hit) return Promise.resolve(hit);
    return render(request).then((result) => {
      if (result) {
        cache.set(key, result);
        if (cache.size > THUMBNAILS) cache.delete(cache.keys().next().value!);
      }
      return result;
    });
  }
  return new Promise((resolve) => {
    if (!busy) return runViewer(request, resolve);
    waiting?.resolve(undefined);
    waiting = { request, resolve };
  });
}
