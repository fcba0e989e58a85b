import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { PlannedTask } from '../config/types.js';
import { VlmhbError } from '../errors.js';
import { serverKey, startsServer } from '../task/server.js';
import { type SlurmClient, slurmClient } from './client.js';
import { type Attempt, latestAttempt, type Submission, saveSubmission, type TaskEntry } from './manifest.js';
import { DEFAULT_MAX_REQUEUES, jobArgs, jobUnits, type SlurmOptions } from './options.js';
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
 * Writes each task's planned-task JSON and submits: consecutive tasks sharing a server as one job (one
 * `task run` of their files, the server started once), and such jobs with identical Slurm settings as one
 * job array (unless `array: false`). Returns the manifest, already saved.
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
  const jobs = jobUnits(inputs.map((x) => ({ options: x.options, shareKey: shareKey(x.task) }))).map(
    (units) => ({
      options: (inputs[(units[0] as number[])[0] as number] as SlurmTaskInput).options,
      units: units.map((u) => u.map((i) => sub.tasks[i] as TaskEntry)),
    }),
  );
  try {
    for (const j of jobs) await submitGroup(sub, j.units, j.options, opts);
  } finally {
    saveSubmission(sub);
  }
  return sub;
}

/** Tasks whose jobs may share one server: the server's identity when the job starts one, else null. */
export function shareKey(task: PlannedTask): string | null {
  return startsServer(task) ? serverKey(task) : null;
}

let scriptSeq = 0;

/** One batch job: an array when there are several units; a unit's tasks run one after another on one server. */
async function submitGroup(
  sub: Submission,
  units: TaskEntry[][],
  options: SlurmOptions,
  opts: SubmitOptions,
): Promise<void> {
  const client = opts.client ?? slurmClient;
  const now = opts.now ?? (() => new Date());
  const array = units.length > 1;
  const entries = units.flat();
  const script = jobScript({
    command: opts.command ?? defaultTaskCommand(),
    taskFiles: units.map((u) => (u.length === 1 ? (u[0] as TaskEntry).taskFile : u.map((e) => e.taskFile))),
    env: jobEnv(options),
    workdir: opts.workdir ?? process.cwd(),
  });
  const scriptFile = join(sub.dir, `job-${entries.map((e) => e.index).join('-')}-${++scriptSeq}.sh`);
  writeFileSync(scriptFile, script, { mode: 0o755 });
  const args = [
    ...jobArgs(options, units.length),
    `--output=${join(sub.dir, array ? 'slurm-%A_%a.out' : 'slurm-%j.out')}`,
  ];
  const jobId = await client.submit(args, script);
  const at = now().toISOString();
  units.forEach((u, k) => {
    for (const e of u)
      e.attempts.push({ jobId: array ? `${jobId}_${k}` : jobId, submittedAt: at, state: 'PENDING' });
  });
  const what = (u: TaskEntry[]) => u.map((e) => e.label).join(' + ');
  const shared = units.filter((u) => u.length > 1).length;
  opts.log?.(
    `slurm: submitted ${array ? `array job ${jobId} (${entries.length} tasks)` : `job ${jobId}${entries.length > 1 ? ` (${entries.length} tasks)` : ''}`}${shared > 0 ? `, ${shared === units.length && !array ? 'one server for them' : `${shared} job(s) sharing a server`}` : ''}: ${units.map(what).join('; ')}`,
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
    const infos = await client.query([...new Set(ids)]);
    let changed = false;
    // Tasks of one failed job go again together, so those that shared a server share the new one.
    const again = new Map<string, TaskEntry[]>();
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
        again.set(a.jobId, [...(again.get(a.jobId) ?? []), t]);
      }
      changed = true;
    }
    for (const unit of again.values())
      await submitGroup(sub, [unit], opts.optionsFor(unit[0] as TaskEntry), opts);
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
  const ids = [
    ...new Set(
      open.flatMap((t) => {
        const a = latestAttempt(t);
        return a ? [a.jobId] : [];
      }),
    ),
  ];
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
