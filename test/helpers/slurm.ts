import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('../../scripts/slurm-up.sh', import.meta.url));

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
