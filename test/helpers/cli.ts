import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa, type Options } from 'execa';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = join(ROOT, 'bin', 'vlmhb.js');

/**
 * Runs the real CLI in a child process, as a user would. Never throws on a non-zero exit. Always the
 * source under test, even where `npm run build` left a dist/ behind (test/install/ tests the build).
 */
export function vlmhb(args: string[], opts: Options = {}) {
  return execa(process.execPath, [BIN, ...args], {
    reject: false,
    cwd: ROOT,
    ...opts,
    env: { VLMHB_FROM_SOURCE: '1', ...opts.env },
  });
}
