import { realpathSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';

export type SafePath = { ok: true; abs: string } | { ok: false; status: 403 | 404 };

function inside(root: string, p: string): boolean {
  const rel = relative(root, p);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/**
 * Maps a URL path (still percent-encoded, as it came off the wire) to a file inside `root`, or refuses.
 * Each segment is decoded on its own, so `%2e%2e`, `..%2f` and `%5c` cannot smuggle a parent step past
 * the check; the real path (symlinks resolved) must still lie under the real root: a link pointing out of
 * the results folder is refused (403), a missing file is 404.
 */
export function resolveInside(root: string, encodedPath: string): SafePath {
  const segments: string[] = [];
  for (const raw of encodedPath.split('/')) {
    if (raw === '') continue;
    let seg: string;
    try {
      seg = decodeURIComponent(raw);
    } catch {
      return { ok: false, status: 403 };
    }
    if (seg === '.' || seg === '..' || /[/\\\0]/.test(seg)) return { ok: false, status: 403 };
    segments.push(seg);
  }
  let realRoot: string;
  try {
    realRoot = realpathSync(root);
  } catch {
    return { ok: false, status: 404 };
  }
  const abs = join(realRoot, ...segments);
  if (!inside(realRoot, abs)) return { ok: false, status: 403 };
  let real: string;
  try {
    real = realpathSync(abs);
  } catch {
    return { ok: false, status: 404 };
  }
  if (!inside(realRoot, real)) return { ok: false, status: 403 };
  return { ok: true, abs: real };
}
