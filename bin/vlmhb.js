#!/usr/bin/env node
// Runs the compiled CLI (dist/, built by `npm run build` and shipped in the package), else, in a checkout
// without dist/, the TypeScript source through tsx (a dev dependency), so a fresh clone works after
// `npm ci` alone. VLMHB_FROM_SOURCE=1 forces the source in a checkout that also has a (maybe stale) dist/.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'dist', 'cli', 'main.js');
const source = join(root, 'src', 'cli', 'main.ts');
const fromSource = existsSync(source) && (process.env.VLMHB_FROM_SOURCE === '1' || !existsSync(built));
if (!fromSource) {
  await import(pathToFileURL(built).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(source).href);
}
