import { join } from 'node:path';
import { loadConfig } from '../../config/load.js';
import { timestamp } from '../../config/names.js';
import type { PlannedTask } from '../../config/types.js';
import { VlmhbError } from '../../errors.js';
import { slurmClient } from '../../slurm/client.js';
import { type SlurmTaskInput, submitTasks } from '../../slurm/coordinator.js';
import { findSubmissions, latestAttempt, loadSubmission, type Submission } from '../../slurm/manifest.js';
import { isSlurmTask, slurmInput } from '../../slurm/plan.js';
import { statusTable, type TaskStatus, taskStatuses } from '../../slurm/status.js';
import { EXIT } from '../errors.js';

export interface SlurmSubmitFlags {
  dataRoot?: string;
  /** Submission folder (task files, job scripts, Slurm's output). @default <data_root>/runs/slurm/<stamp> */
  out?: string;
  json?: boolean;
}

const log = (m: string) => process.stderr.write(`vlmhb: ${m}\n`);

/** Every task of the config goes to Slurm (the config may also say `executor: slurm` per task). */
async function planForSlurm(config: string, f: SlurmSubmitFlags): Promise<PlannedTask[]> {
  const tasks = await loadConfig(config, f.dataRoot ? { dataRoot: f.dataRoot } : {});
  return tasks.map((t) => ({ ...t, executor: 'slurm' }));
}

export function submissionDir(tasks: PlannedTask[], out: string | undefined, now = new Date()): string {
  const first = tasks[0];
  if (!first) throw new VlmhbError('VLMHB_USAGE', 'the config has no tasks');
  return out ?? join(first.dataRoot, 'runs', 'slurm', `${timestamp(now)}_${process.pid}`);
}

export async function prepareInputs(tasks: PlannedTask[]): Promise<SlurmTaskInput[]> {
  const inputs: SlurmTaskInput[] = [];
  for (const t of tasks) {
    if (!isSlurmTask(t)) continue;
    inputs.push(await slurmInput(t));
  }
  return inputs;
}

function submittedJson(sub: Submission) {
  return {
    submission: sub.dir,
    tasks: sub.tasks.map((t) => ({
      index: t.index,
      task: t.label,
      job_id: latestAttempt(t)?.jobId ?? null,
      run_dir: t.runDir,
      task_file: t.taskFile,
    })),
  };
}

/** `vlmhb slurm submit CONFIG`: queue every task as a batch job and return; the jobs write the results. */
export async function slurmSubmitCommand(config: string, f: SlurmSubmitFlags): Promise<number> {
  const tasks = await planForSlurm(config, f);
  const inputs = await prepareInputs(tasks);
  const sub = await submitTasks(inputs, { dir: submissionDir(tasks, f.out), log });
  if (f.json) process.stdout.write(`${JSON.stringify(submittedJson(sub), null, 2)}\n`);
  else {
    for (const t of sub.tasks)
      process.stdout.write(`${latestAttempt(t)?.jobId ?? '-'}\t${t.label}\t${t.runDir}\n`);
    log(`submission: ${sub.dir} (vlmhb slurm status ${sub.dir})`);
  }
  return EXIT.ok;
}

export interface SlurmStatusFlags {
  json?: boolean;
}

/**
 * `vlmhb slurm status DIR`: every task of the submissions DIR refers to (a submission folder, a task's run
 * folder, or a folder above them such as `<data_root>/runs`), with Slurm's live state and the answers so far.
 */
export async function slurmStatusCommand(dir: string, f: SlurmStatusFlags): Promise<number> {
  const dirs = findSubmissions(dir);
  if (dirs.length === 0)
    throw new VlmhbError('VLMHB_FILE_NOT_FOUND', `no Slurm submission found in or below ${dir}`);
  const all: { submission: string; tasks: TaskStatus[] }[] = [];
  for (const d of dirs) {
    const sub = loadSubmission(d);
    const ids = sub.tasks.flatMap((t) => {
      const a = latestAttempt(t);
      return a ? [a.jobId] : [];
    });
    all.push({ submission: d, tasks: taskStatuses(sub, await slurmClient.query(ids)) });
  }
  if (f.json) process.stdout.write(`${JSON.stringify({ submissions: all }, null, 2)}\n`);
  else for (const s of all) process.stdout.write(`\n${s.submission}\n\n${statusTable(s.tasks)}`);
  return EXIT.ok;
}
