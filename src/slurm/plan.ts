import type { PlannedTask } from '../config/types.js';
import { VlmhbError } from '../errors.js';
import { isExecutorId } from '../executors/registry.js';
import { pendingItems } from '../task/inspect.js';
import { prepareTask } from '../task/prepare.js';
import type { SlurmTaskInput } from './coordinator.js';

/** A task for Slurm with what its run folder already holds. */
export interface SlurmPlanned extends SlurmTaskInput {
  /** Items still to ask: 0 = finished earlier (nothing is submitted, the results are only collected). */
  pending: number;
}

/** Tasks that go to Slurm: executor `slurm`, from the config or `--executor slurm`. */
export function isSlurmTask(t: PlannedTask): boolean {
  return t.executor === 'slurm';
}

/**
 * A planned task as the job on the node runs it: the executor inside the job (`slurm.executor`, default
 * external = the task's base_url, or the embedded engine in the job itself) and the run folder fixed, so
 * the job writes where the coordinator reads progress and results, exactly where `--executor local` would.
 */
export async function slurmInput(
  t: PlannedTask,
  opts: { retryErrors?: boolean } = {},
): Promise<SlurmPlanned> {
  const inner = t.slurm?.executor ?? 'external';
  if (inner === 'slurm' || !isExecutorId(inner)) {
    throw new VlmhbError(
      'VLMHB_CONFIG_INVALID',
      `slurm.executor must be an executor that starts a server on the node (local, apptainer, external), not "${inner}"`,
      { where: { file: t.source.file, ...(t.source.key ? { key: `${t.source.key}.slurm.executor` } : {}) } },
    );
  }
  const prepared = await prepareTask(t);
  const task: PlannedTask = { ...t, executor: inner, runDir: prepared.runDir };
  return {
    task,
    runDir: prepared.runDir,
    total: prepared.dataset.samples.length,
    options: t.slurm ?? {},
    pending: await pendingItems(prepared, opts),
  };
}
