import { join, resolve } from 'node:path';
import { loadConfig } from '../../config/load.js';
import { timestamp } from '../../config/names.js';
import type { PlannedTask } from '../../config/types.js';
import { VlmhbError } from '../../errors.js';
import { slurmClient } from '../../slurm/client.js';
import { collectResults } from '../../slurm/collect.js';
import { defaultTaskCommand, submitTasks, watchSubmission } from '../../slurm/coordinator.js';
import { findSubmissions, latestAttempt, loadSubmission, type Submission } from '../../slurm/manifest.js';
import type { SlurmPlanned } from '../../slurm/plan.js';
import { isSlurmTask, slurmInput } from '../../slurm/plan.js';
import { statusTable, type TaskStatus, taskStatuses } from '../../slurm/status.js';
import { EXIT, reportError } from '../errors.js';
import { abortOnSignals, finishRun, type RunFlags } from './run.js';

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

export async function prepareInputs(
  tasks: PlannedTask[],
  opts: { retryErrors?: boolean } = {},
): Promise<SlurmPlanned[]> {
  const inputs: SlurmPlanned[] = [];
  for (const t of tasks) {
    if (!isSlurmTask(t)) {
      throw new VlmhbError(
        'VLMHB_USAGE',
        `task ${t.index + 1} (${t.dataset} · ${t.framework}) has executor ${t.executor ?? 'external'} while others use slurm; run them separately or give --executor slurm`,
        { where: { file: t.source.file } },
      );
    }
    inputs.push(await slurmInput(t, opts));
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
  for (const i of inputs.filter((x) => x.pending === 0))
    log(
      `already answered in full, not submitted: ${i.task.dataset} · ${i.task.framework} · ${i.task.model} (${i.runDir})`,
    );
  const todo = inputs.filter((x) => x.pending > 0);
  if (todo.length === 0) {
    if (f.json) process.stdout.write(`${JSON.stringify({ submission: null, tasks: [] }, null, 2)}\n`);
    return EXIT.ok;
  }
  const sub = await submitTasks(todo, { dir: submissionDir(tasks, f.out), log });
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

/**
 * `vlmhb run CONFIG --executor slurm`: submit the tasks that still have items to ask, follow the jobs
 * (progress from the answer logs; resubmission once of a job that did not finish; Ctrl-C / SIGTERM
 * scancels them), then report every task as a local run does.
 */
export async function runOnSlurm(
  tasks: PlannedTask[],
  f: RunFlags,
  reportsDir: string | undefined,
): Promise<number> {
  const inputs = await prepareInputs(tasks, f.retryErrors ? { retryErrors: true } : {});
  const todo = inputs.filter((i) => i.pending > 0);
  const dir = submissionDir(tasks, undefined);
  const signals = abortOnSignals();
  let entries = new Map<SlurmPlanned, Submission['tasks'][number]>();
  try {
    if (todo.length > 0) {
      const command = [
        ...defaultTaskCommand(),
        ...(f.retryErrors ? ['--retry-errors'] : []),
        // The job runs elsewhere (another cwd, maybe another node): the cache choice goes with it.
        ...(f.cache === false ? ['--no-cache'] : []),
        ...(f.cache !== false && f.cacheFile ? ['--cache-file', resolve(f.cacheFile)] : []),
      ];
      const sub = await submitTasks(todo, { dir, command, log });
      log(`slurm: following ${sub.tasks.length} task(s); vlmhb slurm status ${dir}`);
      let last = '';
      const done = await watchSubmission(sub, {
        dir,
        command,
        log,
        signal: signals.signal,
        optionsFor: (e) => todo[e.index]?.options ?? {},
        onProgress: (s, answered) => {
          const line = s.tasks
            .map(
              (t) =>
                `${t.final ?? t.attempts[t.attempts.length - 1]?.state ?? '?'} ${answered.get(t.index) ?? 0}/${t.total}`,
            )
            .join(', ');
          if (line !== last) log(`slurm: ${line}`);
          last = line;
        },
      });
      entries = new Map(
        done.tasks.flatMap((t) => (todo[t.index] ? [[todo[t.index] as SlurmPlanned, t]] : [])),
      );
    }
  } finally {
    signals.dispose();
  }
  const finished = inputs.length - todo.length;
  if (finished > 0) log(`slurm: ${finished} task(s) already answered in full; collecting their results`);
  const items = inputs.flatMap((input) => {
    const entry = entries.get(input);
    if (input.pending > 0 && !entry) return [];
    return [{ input, ...(entry ? { entry } : {}) }];
  });
  const outcomes = await collectResults(items, dir, log);
  for (const o of outcomes) if (o.error !== undefined && !o.notRun) reportError(o.error);
  return finishRun(outcomes, { ...f, interrupted: signals.signal.aborted, reportsDir });
}
