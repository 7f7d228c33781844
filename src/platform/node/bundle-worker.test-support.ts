// Test support: bundles a worker entry with esbuild (as scripts/build-cli.mjs does) so worker_threads can run it.
import { build } from 'esbuild';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export async function bundleWorker(entry: URL): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'cleanroom-worker-'));
  const outfile = join(dir, 'worker.mjs');
  await build({
    entryPoints: [fileURLToPath(entry)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'silent',
  });
  return outfile;
}
