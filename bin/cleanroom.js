#!/usr/bin/env node
// The `cleanroom` command: runs the bundled CLI that `npm run build` writes to dist-cli/.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const entry = fileURLToPath(new URL('../dist-cli/cleanroom.mjs', import.meta.url));
if (!existsSync(entry)) {
  process.stderr.write(
    'cleanroom: the command is not built yet. Run `npm ci && npm run build` first.\n',
  );
  process.exit(2);
}
await import(pathToFileURL(entry).href);
