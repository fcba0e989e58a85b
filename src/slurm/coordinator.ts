import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { PlannedTask } from '../config/types.js';
import { VlmhbError } from '../errors.js';
import { type SlurmClient, slurmClient } from './client.js';
import { type Attempt, latestAttempt, type Submission, saveSubmission, type TaskEntry } from './manifest.js';
import { DEFAULT_MAX_REQUEUES, jobArgs, jobGroups, type SlurmOptions } from './options.js';
import { answeredCount } from './progress.js';
import { jobScript } from './script.js';
import { classify, type JobInfo } from './states.js';

/** One task ready for submission: its run folder and item count are known before it is queued. */
export interface SlurmTaskInput {
  task: PlannedTask;
  runDir: string;
  /** Items the task asks (for progress). */
  total: number;
  options: SlurmOptions;
}

export interface SubmitOptions {
  /** Submission folder: task files, job scripts and Slurm's output files land here. */
  dir: string;
  /** Runs one task on the node given its task file. @default this checkout's CLI: node bin/vlmhb.js task run */
  command?: string[];
  /** Folder jobs start in. @default process.cwd() */
  workdir?: string;
  client?: SlurmClient;
  now?: () => Date;
  log?: (msg: string) => void;
}

const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'vlmhb.js');

/**
 * The node runs this very checkout with this node binary (the file system is shared with the nodes), or
 * the command in VLMHB_SLURM_COMMAND, a JSON array of argv (e.g. `["vlmhb", "task", "run"]` where the nodes
 * have their own install) — an array, so nothing has to be split like a shell would.
 */
export function defaultTaskCommand(env: NodeJS.ProcessEnv = process.env): string[] {
  const custom = env['VLMHB_SLURM_COMMAND'];
  if (custom) {
    let argv: unknown;
    try {
      argv = JSON.parse(custom);
    } catch {
      argv = undefined;
    }
    if (!Array.isArray(argv) || argv.length === 0 || !argv.every((a) => typeof a === 'string' && a !== '')) {
      throw new VlmhbError(
        'VLMHB_USAGE',
        `VLMHB_SLURM_COMMAND must be a JSON array of strings, e.g. ["vlmhb","task","run"]; got ${custom}`,
      );
    }
    return argv as string[];
  }
  return [process.execPath, CLI, 'task', 'run'];
}

/** Settings that must reach the tool on the node (which Apptainer to use, its cache) when set here. */
const PASS_ENV = ['VLMHB_APPTAINER', 'VLMHB_APPTAINER_CACHE', 'APPTAINER_CACHEDIR', 'SINGULARITY_CACHEDIR'];

function jobEnv(o: SlurmOptions): Record<string, string> {
  const env: Record<string, string> = {};
  for (const k of PASS_ENV) {
    const v = process.env[k];
    if (v) env[k] = v;
  }
  return { ...env, ...(o.env ?? {}) };
}

function label(t: PlannedTask): string {
  return `${t.dataset} · ${t.framework} · ${t.model}`;
}

/**
 * Writes each task's planned-task JSON and submits: tasks with identical Slurm settings as one job array
 * (unless `array: false`), the rest one job each. Returns the manifest, already saved.
 */
export async function submitTasks(inputs: SlurmTaskInput[], opts: SubmitOptions): Promise<Submission> {
  const now = opts.now ?? (() => new Date());
  mkdirSync(opts.dir, { recursive: true });
  const sub: Submission = {
    version: 1,
    id: opts.dir.split('/').pop() ?? opts.dir,
    dir: opts.dir,
    createdAt: now().toISOString(),
    tasks: [],
  };
  inputs.forEach((input, i) => {
    const taskFile = join(opts.dir, `task-${i}.json`);
    writeFileSync(taskFile, `${JSON.stringify({ ...input.task, runDir: input.runDir }, null, 2)}\n`);
    mkdirSync(input.runDir, { recursive: true });
    sub.tasks.push({
      index: i,
      label: label(input.task),
      taskFile,
      runDir: input.runDir,
      total: input.total,
      maxRequeues: input.options.max_requeues ?? DEFAULT_MAX_REQUEUES,
      attempts: [],
    });
  });
  const groups = jobGroups(inputs.map((x) => x.options)).map((g) => ({
    options: (inputs[g[0] as number] as SlurmTaskInput).options,
    entries: g.map((i) => sub.tasks[i] as TaskEntry),
  }));
  try {
    for (const g of groups) await submitGroup(sub, g.entries, g.options, opts);
  } finally {
    saveSubmission(sub);
  }
  return sub;
}

let scriptSeq = 0;

async function submitGroup(
  sub: Submission,
  entries: TaskEntry[],
  options: SlurmOptions,
  opts: SubmitOptions,
): Promise<void> {
  const client = opts.client ?? slurmClient;
  const now = opts.now ?? (() => new Date());
  const array = entries.length > 1;
  const script = jobScript({
    command: opts.command ?? defaultTaskCommand(),
    taskFiles: entries.map((e) => e.taskFile),
    env: jobEnv(options),
    workdir: opts.workdir ?? process.cwd(),
  });
  const scriptFile = join(sub.dir, `job-${entries.map((e) => e.index).join('-')}-${++scriptSeq}.sh`);
  writeFileSync(scriptFile, script, { mode: 0o755 });
  const args = [
    ...jobArgs(options, entries.length),
    `--output=${join(sub.dir, array ? 'slurm-%A_%a.out' : 'slurm-%j.out')}`,
  ];
  const jobId = await client.submit(args, script);
  const at = now().toISOString();
  entries.forEach((e, k) => {
    e.attempts.push({ jobId: array ? `${jobId}_${k}` : jobId, submittedAt: at, state: 'PENDING' });
  });
  opts.log?.(
    `slurm: submitted ${array ? `array job ${jobId} (${entries.length} tasks)` : `job ${jobId}`}: ${entries.map((e) => e.label).join('; ')}`,
  );
}

export interface WatchOptions extends SubmitOptions {
  /** Slurm settings per task index, for resubmission. */
  optionsFor: (entry: TaskEntry) => SlurmOptions;
  /** @default 2000 */
  pollMs?: number;
  /** Polls a job may stay unknown to every Slurm command before it counts as lost. @default 15 */
  unknownPolls?: number;
  /** Aborting cancels every job still queued or running (scancel) and returns. */
  signal?: AbortSignal;
  onProgress?: (sub: Submission, answered: Map<number, number>) => void;
}

/** Exit code 2 is bad input: running it again cannot help, so such a failure is not resubmitted. */
function hopeless(info: JobInfo): boolean {
  return info.state === 'FAILED' && info.exitCode?.split(':')[0] === '2';
}

/**
 * Polls Slurm until every task has a final outcome. A task whose job failed, timed out, was preempted,
 * lost its node or was cancelled by someone else is resubmitted up to `maxRequeues` times; the new job
 * resumes from the task's answers log, so no answer is lost or asked twice. On abort, our jobs are scancelled.
 */
export async function watchSubmission(sub: Submission, opts: WatchOptions): Promise<Submission> {
  const client = opts.client ?? slurmClient;
  const pollMs = opts.pollMs ?? 2000;
  const unknownLimit = opts.unknownPolls ?? 15;
  const unknown = new Map<string, number>();
  const log = opts.log ?? (() => {});
  for (;;) {
    const open = sub.tasks.filter((t) => t.final === undefined);
    if (open.length === 0) return sub;
    if (opts.signal?.aborted) {
      await cancelOpen(sub, client, log);
      return sub;
    }
    const ids = open.flatMap((t) => {
      const a = latestAttempt(t);
      return a ? [a.jobId] : [];
    });
    const infos = await client.query(ids);
    let changed = false;
    for (const t of open) {
      const a = latestAttempt(t) as Attempt;
      const info = infos.get(a.jobId);
      if (!info) {
        const n = (unknown.get(a.jobId) ?? 0) + 1;
        unknown.set(a.jobId, n);
        if (n < unknownLimit) continue;
        log(
          `slurm: job ${a.jobId} (${t.label}) is unknown to squeue, sacct and scontrol; counting it as lost`,
        );
      }
      const state = info?.state ?? 'UNKNOWN';
      if (a.state !== state || (info?.exitCode && a.exitCode !== info.exitCode)) {
        a.state = state;
        if (info?.exitCode) a.exitCode = info.exitCode;
        changed = true;
        log(`slurm: job ${a.jobId} (${t.label}): ${state}${info?.reason ? ` (${info.reason})` : ''}`);
      }
      const cls = info ? classify(info.state) : 'retry';
      if (cls === 'active' || cls === 'unknown') continue;
      if (cls === 'done') {
        t.final = 'completed';
        changed = true;
        continue;
      }
      const requeues = t.attempts.length - 1;
      if (a.cancelledByUs) {
        t.final = 'cancelled';
      } else if ((info && hopeless(info)) || requeues >= t.maxRequeues) {
        t.final = 'failed';
        log(`slurm: ${t.label}: ${state} after ${t.attempts.length} attempt(s); not resubmitted`);
      } else {
        log(`slurm: ${t.label}: ${state}; resubmitting (it resumes from its answers log)`);
        await submitGroup(sub, [t], opts.optionsFor(t), opts);
      }
      changed = true;
    }
    if (changed) saveSubmission(sub);
    opts.onProgress?.(sub, progressOf(sub));
    await sleep(pollMs, undefined, { signal: opts.signal }).catch(() => {});
  }
}

export function progressOf(sub: Submission): Map<number, number> {
  return new Map(sub.tasks.map((t) => [t.index, answeredCount(join(t.runDir, 'answers.jsonl')).answered]));
}

async function cancelOpen(sub: Submission, client: SlurmClient, log: (m: string) => void) {
  const open = sub.tasks.filter((t) => t.final === undefined);
  const ids = open.flatMap((t) => {
    const a = latestAttempt(t);
    return a ? [a.jobId] : [];
  });
  if (ids.length > 0) {
    log(`slurm: cancelling ${ids.join(', ')}`);
    await client.cancel(ids);
  }
  for (const t of open) {
    const a = latestAttempt(t);
    if (a) a.cancelledByUs = true;
    t.final = 'cancelled';
  }
  saveSubmission(sub);
}
