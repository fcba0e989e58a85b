import { type SlurmOptions, SlurmOptionsSchema } from '../config/slurm.js';
import { arraySpec } from './script.js';

export { type SlurmOptions, SlurmOptionsSchema };

export const DEFAULT_MAX_REQUEUES = 1;

/** The sbatch arguments for these options, in a stable order; submission-specific ones are added by the caller. */
export function sbatchArgs(o: SlurmOptions): string[] {
  const a: string[] = [];
  if (o.partition) a.push(`--partition=${o.partition}`);
  if (o.account) a.push(`--account=${o.account}`);
  if (o.qos) a.push(`--qos=${o.qos}`);
  if (o.time) a.push(`--time=${o.time}`);
  if (o.gres) a.push(`--gres=${o.gres}`);
  if (o.gpus !== undefined) a.push(`--gpus=${o.gpus}`);
  if (o.cpus_per_task !== undefined) a.push(`--cpus-per-task=${o.cpus_per_task}`);
  if (o.mem) a.push(`--mem=${o.mem}`);
  a.push(`--job-name=${o.job_name ?? 'vlmhb'}`);
  if (o.extra) a.push(...o.extra);
  return a;
}

/**
 * sbatch's arguments for one job of `count` tasks (an array when more than one), without the output file.
 * `--no-requeue`: Slurm's own requeue (on node failure, or preemption in REQUEUE mode) would restart the
 * same job id out of the coordinator's sight, so it would never see NODE_FAIL or PREEMPTED and
 * `max_requeues` would not bound the restarts; the coordinator resubmits instead (the config refuses
 * `--requeue` among the extra options).
 */
export function jobArgs(o: SlurmOptions, count: number): string[] {
  return ['--no-requeue', ...sbatchArgs(o), ...(count > 1 ? [`--array=${arraySpec(count)}`] : [])];
}

/** Key grouping tasks into one job array: same resources, same environment. */
export function arrayKey(o: SlurmOptions): string {
  return JSON.stringify([sbatchArgs(o), Object.entries(o.env ?? {}).sort()]);
}

/**
 * The batch jobs a list of tasks is submitted as: each job a list of units (array elements), each unit
 * the indices of the tasks one `vlmhb task run` runs there, in order. Consecutive tasks whose servers are
 * interchangeable (`shareKey`, null when the job starts no server) and whose Slurm settings are the same
 * form one unit, so the model is loaded once for all of them (as `vlmhb run` does locally), unless
 * `share_server: false`. Units with identical settings go as one job array, unless `array: false`.
 */
export function jobUnits(tasks: readonly { options: SlurmOptions; shareKey: string | null }[]): number[][][] {
  const units: { key: string; tasks: number[] }[] = [];
  tasks.forEach((t, i) => {
    const last = units.at(-1);
    const prev = last ? tasks[last.tasks.at(-1) as number] : undefined;
    if (
      last &&
      prev &&
      t.shareKey !== null &&
      t.shareKey === prev.shareKey &&
      t.options.share_server !== false &&
      arrayKey(t.options) === arrayKey(prev.options)
    ) {
      last.tasks.push(i);
      return;
    }
    units.push({ key: t.options.array === false ? `single-${i}` : arrayKey(t.options), tasks: [i] });
  });
  const jobs = new Map<string, number[][]>();
  for (const u of units) jobs.set(u.key, [...(jobs.get(u.key) ?? []), u.tasks]);
  return [...jobs.values()];
}
