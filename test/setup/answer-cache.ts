import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

// Every test file gets its own empty answer cache (src/cache/): no test reads or pollutes the user's
// ~/.cache/vlmhb, and no file's answers leak into another's. Child processes (the real CLI) inherit it.
const dir = mkdtempSync(join(tmpdir(), 'vlmhb-test-cache-'));
process.env['VLMHB_CACHE_DIR'] = dir;
afterAll(() => rmSync(dir, { recursive: true, force: true }));
