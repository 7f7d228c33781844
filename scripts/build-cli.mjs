// Bundles the `cleanroom` command and its worker_threads entry points into dist-cli/ with esbuild.
// The same core and pipeline modules as the browser build, with the Node platform adapters.
import { build } from 'esbuild';
import { readFileSync, readdirSync, rmSync } from 'node:fs';

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
rmSync('dist-cli', { recursive: true, force: true });
const workerEntries = readdirSync('workers')
  .filter((f) => f.endsWith('.node-worker.ts'))
  .map((f) => `workers/${f}`);
await build({
  entryPoints: {
    cleanroom: 'src/cli/main.ts',
    ...Object.fromEntries(workerEntries.map((f) => [f.slice(8, -3), f])),
  },
  outdir: 'dist-cli',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  define: { __APP_VERSION__: JSON.stringify(version) },
  // dcmjs and friends are CommonJS-free ESM or interop fine; keep node_modules external so the bundle stays small.
  packages: 'external',
  logLevel: 'warning',
});
