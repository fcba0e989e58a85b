import type { PlannedTask } from '../config/types.js';
import { VlmhbError } from '../errors.js';
import { isExecutorId } from '../executors/registry.js';
import { pendingItems } from '../task/inspect.js';
import { prepareTask } from '../task/prepare.js';
import { type SlurmTaskInput, shareKey } from './coordinator.js';
import { jobArgs, jobUnits } from './options.js';
import { shJoin } from './quote.js';

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

/** One batch job as `vlmhb plan` shows it: nothing is submitted. */
export interface SlurmJobPlan {
  sbatch: string[];
  tasks: {
    index: number;
    dataset: string;
    framework: string;
    model: string;
    prompt_collection: string | null;
    /** Who starts the server inside the job (slurm.executor). */
    executor: string;
    image: string | null;
    /** The job (or array element) the task runs in: tasks with the same one share its server. */
    element: number;
  }[];
}

/**
 * The jobs Slurm tasks become, as `submitTasks` groups them (pure): consecutive tasks sharing a server in
 * one job (or array element) that starts it once, such jobs with the same settings as one array.
 */
export function slurmJobPlan(tasks: readonly PlannedTask[]): SlurmJobPlan[] {
  const asRun = (t: PlannedTask): PlannedTask => ({ ...t, executor: t.slurm?.executor ?? 'external' });
  const jobs = jobUnits(tasks.map((t) => ({ options: t.slurm ?? {}, shareKey: shareKey(asRun(t)) })));
  return jobs.map((units) => {
    const first = tasks[(units[0] as number[])[0] as number] as PlannedTask;
    return {
      sbatch: jobArgs(first.slurm ?? {}, units.length),
      tasks: units
        .flatMap((u, element) => u.map((i) => ({ t: tasks[i] as PlannedTask, element })))
        .map(({ t, element }) => ({
          index: t.index,
          dataset: t.dataset,
          framework: t.framework,
          model: t.model,
          prompt_collection: t.promptCollectionFile ?? null,
          executor: t.slurm?.executor ?? 'external',
          image: t.dockerImage ?? null,
          element,
        })),
    };
  });
}

export function slurmPlanText(jobs: readonly SlurmJobPlan[]): string {
  const n = jobs.reduce((a, j) => a + j.tasks.length, 0);
  const lines = [
    `Slurm: ${n} task(s) as ${jobs.length} batch job(s); tasks of one job or array element share the server it starts on its node (nothing is submitted now)`,
  ];
  for (const j of jobs) {
    const elements = new Set(j.tasks.map((t) => t.element)).size;
    lines.push(
      '',
      `  ${elements > 1 ? `Job array of ${elements} elements, ${j.tasks.length} tasks` : j.tasks.length > 1 ? `Job of ${j.tasks.length} tasks on one server` : 'Job'}: sbatch ${shJoin(j.sbatch)}`,
    );
    for (const t of j.tasks)
      lines.push(
        `    ${elements > 1 ? `element ${t.element}, ` : ''}task ${t.index + 1}: ${t.dataset} · ${t.framework} · ${t.model} · ${t.prompt_collection?.split(/[\\/]/).pop() ?? '(dataset questions)'} — on the node: executor ${t.executor}${t.image ? `, image ${t.image}` : ''}`,
      );
  }
  return `${lines.join('\n')}\n`;
}
