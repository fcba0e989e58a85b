import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('../../scripts/slurm-up.sh', import.meta.url));
const LOCK = '/run/lock/vlmhb-slurm-tests.lock';

/** Starts (or finds running) the real single-node cluster of scripts/slurm-up.sh; returns the node name. */
export function slurmUp(): string {
  return execFileSync('bash', [SCRIPT], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
}

/** `squeue` state of one job id as Slurm reports it now. */
export function squeueState(jobId: string): string {
  const out = execFileSync('squeue', ['-h', '-t', 'all', '-r', '-o', '%i|%T'], { encoding: 'utf8' });
  const line = out.split('\n').find((l) => l.split('|')[0] === jobId);
  return line?.split('|')[1] ?? '';
}

/**
 * The one node is shared by the test files, which vitest runs in parallel. A test that takes the node down
 * (NODE_FAIL) would fail the jobs of every other test, so cluster tests hold a `shared` lock and such a test
 * an `exclusive` one: a real flock(1) held by a child process, released when the test ends or when the test
 * process dies (the child sees its stdin close).
 */
export async function clusterLock(mode: 'shared' | 'exclusive'): Promise<() => Promise<void>> {
  const child = spawn(
    'flock',
    [mode === 'shared' ? '-s' : '-x', '-w', '1200', LOCK, 'sh', '-c', 'echo locked; exec cat >/dev/null'],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`flock ${LOCK} exited ${code} before locking`)));
  });
  return async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.stdin.end();
    await exited;
  };
}
