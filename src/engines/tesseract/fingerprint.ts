import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TOOL_VERSION } from '../../version.js';

let code: string | undefined;

/**
 * A digest of this engine's own code (the files of this folder, sources or compiled): the answer cache
 * keys an in-process engine by it, as it keys a server by its version, so answers cached before a change
 * to the extraction rules are not replayed after it — in development, where the tool's version stays the
 * same, as much as across releases.
 */
function codeDigest(): string {
  if (code === undefined) {
    const dir = dirname(fileURLToPath(import.meta.url));
    const h = createHash('sha256');
    for (const f of readdirSync(dir).sort()) {
      if (!/\.(ts|js|mjs)$/.test(f) || f.endsWith('.d.ts')) continue;
      h.update(f)
        .update('\0')
        .update(readFileSync(`${dir}/${f}`))
        .update('\0');
    }
    code = h.digest('hex').slice(0, 16);
  }
  return code;
}

/** What decides this engine's answers besides the request: its code, its OCR settings, the binary. */
export function engineVersion(p: {
  languages: string;
  psm: number;
  normalize: boolean;
  binary: string;
}): string {
  return `vlmhb ${TOOL_VERSION} tesseract engine ${codeDigest()}; -l ${p.languages} --psm ${p.psm}${p.normalize ? ' normalize' : ''}; ${p.binary}`;
}
