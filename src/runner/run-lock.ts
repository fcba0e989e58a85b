import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import { VlmhbError } from '../errors.js';
import { pidAlive } from '../util/process.js';

/** Who holds a run folder, written beside the lock so a second run can name it. */
export interface LockOwner {
  pid: number;
  host: string;
  startedAt: string;
}

export interface RunLock {
  readonly owner: LockOwner;
  release(): void;
}

const LOCK_DIR = 'run.lock';
const OWNER_FILE = 'run.lock.json';

/**
 * Takes the run folder's lock, so two runs into one `--out` cannot ask every item twice. proper-lockfile
 * keeps the lock fresh (mtime) and calls it stale 10 s after its holder stops; a holder killed with -9 on
 * this host is recognised at once by its pid, so a rerun right after a kill is not refused.
 */
export function lockRunDir(runDir: string): RunLock {
  const lockfilePath = join(runDir, LOCK_DIR);
  const ownerFile = join(runDir, OWNER_FILE);
  const take = () =>
    lockfile.lockSync(runDir, {
      lockfilePath,
      realpath: false,
      // A lock lost to a long system stall must not throw from a timer and kill the run mid-write.
      onCompromised: () => {},
    });
  let release: () => void;
  try {
    release = take();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ELOCKED') throw e;
    const other = readOwner(ownerFile);
    if (other && other.host === hostname() && !pidAlive(other.pid)) {
      rmSync(lockfilePath, { recursive: true, force: true });
      release = take();
    } else {
      const who = other
        ? `process ${other.pid} on ${other.host}, started ${other.startedAt}`
        : 'another process (no owner recorded)';
      throw new VlmhbError(
        'VLMHB_RUN_LOCKED',
        `run folder ${runDir} is in use by ${who}; wait for it to finish or choose another --out`,
        { cause: e },
      );
    }
  }
  const owner: LockOwner = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
  writeFileSync(ownerFile, `${JSON.stringify(owner)}\n`);
  return {
    owner,
    release() {
      rmSync(ownerFile, { force: true });
      try {
        release();
      } catch {
        // already released or compromised: nothing of ours is left to remove
      }
    },
  };
}

function readOwner(file: string): LockOwner | undefined {
  try {
    const o = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockOwner>;
    if (typeof o.pid === 'number' && typeof o.host === 'string' && typeof o.startedAt === 'string')
      return o as LockOwner;
  } catch {
    // absent or torn: the holder died between taking the lock and naming itself
  }
  return undefined;
}
