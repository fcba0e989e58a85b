import { execa } from 'execa';
import { VlmhbError } from '../errors.js';
import {
  classify,
  type JobInfo,
  parseSacct,
  parseSbatch,
  parseScontrolJobs,
  parseSqueue,
  SACCT_FIELDS,
  SQUEUE_FORMAT,
} from './states.js';

/**
 * The Slurm commands the coordinator uses, run as argv (never a shell). Binaries come from PATH, or from
 * VLMHB_SLURM_BIN (a folder) for clusters that keep them elsewhere.
 */
export interface SlurmClient {
  submit(args: readonly string[], script: string): Promise<string>;
  /** What the cluster knows of these jobs; ids it has forgotten are absent. */
  query(ids: readonly string[]): Promise<Map<string, JobInfo>>;
  cancel(ids: readonly string[]): Promise<void>;
}

function bin(name: string): string {
  const dir = process.env['VLMHB_SLURM_BIN'];
  return dir ? `${dir.replace(/\/$/, '')}/${name}` : name;
}

async function run(cmd: string, args: readonly string[]): Promise<{ ok: boolean; out: string; err: string }> {
  const r = await execa(bin(cmd), args, { reject: false, timeout: 60_000, stdin: 'ignore' });
  if (r.failed && r.exitCode === undefined) {
    throw new VlmhbError(
      'VLMHB_EXECUTOR_FAILED',
      `executor slurm: cannot run ${cmd} (${r.shortMessage}); is Slurm installed and on PATH?`,
    );
  }
  return { ok: r.exitCode === 0, out: String(r.stdout ?? ''), err: String(r.stderr ?? '') };
}

/** Array job `123` asked as a whole matches its elements `123_0`, `123_1`, ... */
function wanted(ids: readonly string[], jobId: string): string | undefined {
  if (ids.includes(jobId)) return jobId;
  const base = jobId.split('_')[0] ?? jobId;
  return ids.includes(base) ? jobId : undefined;
}

export const slurmClient: SlurmClient = {
  async submit(args, script) {
    const r = await execa(bin('sbatch'), ['--parsable', ...args], {
      input: script,
      reject: false,
      timeout: 60_000,
    });
    if (r.exitCode !== 0) {
      throw new VlmhbError(
        'VLMHB_EXECUTOR_FAILED',
        `executor slurm: sbatch refused the job (exit ${r.exitCode ?? '?'}): ${String(r.stderr ?? r.shortMessage).trim()}`,
      );
    }
    return parseSbatch(String(r.stdout));
  },

  async query(ids) {
    const found = new Map<string, JobInfo>();
    if (ids.length === 0) return found;
    // squeue knows pending, running and recently finished jobs (until MinJobAge). --me keeps it small on a
    // busy cluster; -r lists array elements one by one.
    const q = await run('squeue', ['-h', '--me', '-t', 'all', '-r', '-o', SQUEUE_FORMAT]);
    if (q.ok) for (const j of parseSqueue(q.out)) if (wanted(ids, j.jobId)) found.set(j.jobId, j);
    // squeue has no exit code; a finished job's comes from scontrol (exit 2 = bad input: not resubmitted).
    for (const j of found.values()) {
      if (classify(j.state) !== 'retry') continue;
      const c = await run('scontrol', ['show', 'job', '-o', j.jobId]);
      const exitCode = c.ok ? parseScontrolJobs(c.out).find((x) => x.jobId === j.jobId)?.exitCode : undefined;
      if (exitCode) j.exitCode = exitCode;
    }
    const missing = ids.filter((id) => ![...found.keys()].some((k) => k === id || k.startsWith(`${id}_`)));
    if (missing.length === 0) return found;
    // Forgotten by the controller: accounting has the end state where a cluster keeps it.
    const s = await run('sacct', ['-X', '-n', '-P', '-o', SACCT_FIELDS, '-j', missing.join(',')]);
    if (s.ok) for (const j of parseSacct(s.out)) if (wanted(missing, j.jobId)) found.set(j.jobId, j);
    for (const id of missing) {
      if ([...found.keys()].some((k) => k === id || k.startsWith(`${id}_`))) continue;
      const c = await run('scontrol', ['show', 'job', '-o', id]);
      if (c.ok) for (const j of parseScontrolJobs(c.out)) if (wanted([id], j.jobId)) found.set(j.jobId, j);
    }
    return found;
  },

  async cancel(ids) {
    if (ids.length === 0) return;
    await run('scancel', [...ids]);
  },
};
