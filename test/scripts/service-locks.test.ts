import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';

// The set-up scripts serialise parallel callers with flock and start long-lived daemons (munged, slurmctld,
// slurmd, podman's API service). A daemon that inherits the lock's descriptor holds the lock for its whole
// life: every later call of the script then waits forever (this hung a whole CI run). The scripts are run
// twice: the first call may start the daemons, the second must find the lock free and return.
const scripts = [
  { script: 'slurm-up.sh', lock: '/run/lock/vlmhb-slurm-up.lock' },
  { script: 'podman-service.sh', lock: '/run/vlmhb-podman/setup.lock' },
  { script: 'podman-registry.sh', lock: '/run/vlmhb-registry/setup.lock' },
];

/** Pids of processes that have `file` open, read from /proc (lsof is not installed everywhere). */
function holders(file: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let fds: string[];
    try {
      fds = readdirSync(join('/proc', entry, 'fd'));
    } catch {
      continue; // gone, or not ours to read
    }
    for (const fd of fds) {
      try {
        if (readlinkSync(join('/proc', entry, 'fd', fd)) === file) pids.push(Number(entry));
      } catch {}
    }
  }
  return [...new Set(pids)];
}

const run = (script: string) =>
  execFileSync('bash', [join(ROOT, 'scripts', script)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 240_000,
  });

describe('set-up scripts leave their locks free for the next caller', () => {
  for (const { script, lock } of scripts) {
    it(`${script}: no daemon keeps ${lock} open, and a second call returns`, () => {
      run(script);
      expect(holders(lock)).toEqual([]);
      // -n: fail at once instead of waiting if anything still holds the lock.
      execFileSync('flock', ['-n', lock, 'true']);
      const started = Date.now();
      expect(run(script).trim()).not.toBe('');
      expect(Date.now() - started).toBeLessThan(120_000);
    }, 600_000);
  }
});

describe('podman-service.sh', () => {
  it('runs the service from /, so removing the folder it was started from breaks no container start', () => {
    const from = mkdtempSync(join(tmpdir(), 'vlmhb-cwd-'));
    execFileSync('bash', [join(ROOT, 'scripts', 'podman-service.sh')], { cwd: from, stdio: 'ignore' });
    rmSync(from, { recursive: true, force: true });
    const pid = readFileSync('/run/vlmhb-podman/service.pid', 'utf8').trim();
    // conmon inherits this folder; a removed one fails every start with "Failed to get working directory".
    expect(readlinkSync(`/proc/${pid}/cwd`)).toBe('/');
  });

  it("gives the service none of its caller's environment: a test run's TMPDIR is removed when the run ends", () => {
    execFileSync('bash', [join(ROOT, 'scripts', 'podman-service.sh')], {
      stdio: 'ignore',
      env: { ...process.env, TMPDIR: mkdtempSync(join(tmpdir(), 'vlmhb-tmp-')) },
    });
    const pid = readFileSync('/run/vlmhb-podman/service.pid', 'utf8').trim();
    const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
    // An inherited scratch TMPDIR failed every image pull once it was gone ("creating a temporary directory").
    expect(environ).toContain('TMPDIR=/var/tmp');
    // Only what the script itself gives it (how it was started, so a later call can tell).
    expect(environ.filter((e) => e.startsWith('VLMHB_')).map((e) => e.split('=')[0])).toEqual([
      'VLMHB_PODMAN_SERVICE',
    ]);
  });
});
