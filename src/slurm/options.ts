import { type SlurmOptions, SlurmOptionsSchema } from '../config/slurm.js';

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

/** Key grouping tasks into one job array: same resources, same environment. */
export function arrayKey(o: SlurmOptions): string {
  return JSON.stringify([sbatchArgs(o), Object.entries(o.env ?? {}).sort()]);
}
