import { AnswerCache } from '../../cache/store.js';
import { VlmhbError } from '../../errors.js';
import type { Device } from '../../executors/types.js';
import { stderrProgress } from '../../runner/progress.js';
import { detectDevices } from '../../scheduler/devices.js';
import { runSchedule, type ScheduledOutcome } from '../../scheduler/drive.js';
import { planSchedule } from '../../scheduler/plan.js';
import { runTask } from '../../task/run.js';
import { readTaskFile } from '../../task/schema.js';
import { needsGpu } from '../../task/server.js';
import { exitCodeFor, reportError } from '../errors.js';
import { abortOnSignals, finishRun, type RunFlags } from './run.js';

export type TaskRunFlags = Pick<
  RunFlags,
  'retryErrors' | 'json' | 'failOnLimits' | 'maxErrorRate' | 'gpus' | 'cache' | 'cacheFile'
>;

const log = (m: string) => process.stderr.write(`vlmhb: ${m}\n`);

/**
 * `vlmhb task run FILE...`: planned tasks (the JSON of src/task/schema.ts, e.g. a run folder's task.json
 * or tasks of `vlmhb plan --json`) run as `vlmhb run` runs them: start a task's server with its executor
 * on the first allowed GPU (a Slurm job's CUDA_VISIBLE_DEVICES), ask, stop, score, save. Several files
 * (a Slurm job whose tasks share a server) run one after another on that one device, consecutive tasks
 * with the same server settings on one server started once.
 */
export async function taskRunCommand(files: string[], f: TaskRunFlags): Promise<number> {
  if (files.length > 1) return runTaskFiles(files, f);
  const file = files[0] as string;
  const task = readTaskFile(file);
  let device: Device = { kind: 'cpu' };
  if (needsGpu(task)) {
    const gpus = await detectDevices({ gpus: f.gpus });
    const first = gpus[0];
    if (!first)
      throw new VlmhbError(
        'VLMHB_USAGE',
        `task needs a GPU and none is visible (nvidia-smi, --gpus, CUDA_VISIBLE_DEVICES)`,
        {
          where: { file },
        },
      );
    device = first;
  }
  return withRun(f, async (signal, cache) => {
    const result = await runTask(task, {
      cache,
      device,
      progress: stderrProgress(),
      log,
      signal,
      ...(f.retryErrors ? { retryErrors: true } : {}),
    });
    log(`answers: ${result.answersLogFile}`);
    return [{ task, result }];
  });
}

/** Several task files through the scheduler on one device: the server reuse of `vlmhb run`. */
async function runTaskFiles(files: string[], f: TaskRunFlags): Promise<number> {
  const tasks = files.map((file) => readTaskFile(file));
  const gpus = tasks.some(needsGpu) ? await detectDevices({ gpus: f.gpus }) : [];
  // A job has the GPU Slurm gave it; its tasks take turns on the first one.
  const schedule = planSchedule(tasks, gpus.slice(0, 1));
  return withRun(f, (signal, cache) =>
    runSchedule(schedule, {
      cache,
      progress: () => stderrProgress(),
      log,
      signal,
      ...(f.retryErrors ? { retryErrors: true } : {}),
      onTaskDone: (o) => {
        if (o.result) log(`answers: ${o.result.answersLogFile}`);
        else if (o.error !== undefined) reportError(o.error);
      },
    }),
  );
}

/**
 * What both forms share: Ctrl-C/SIGTERM stop the work (answers so far are kept), one answer cache for the
 * run, the summary and exit code of `vlmhb run`, and a clear error for what stopped it before any result.
 */
async function withRun(
  f: TaskRunFlags,
  work: (signal: AbortSignal, cache: AnswerCache | false) => Promise<ScheduledOutcome[]>,
): Promise<number> {
  const signals = abortOnSignals();
  const cache = f.cache === false ? false : AnswerCache.open(f.cacheFile);
  try {
    const outcomes = await work(signals.signal, cache);
    return finishRun(outcomes, { ...f, interrupted: signals.signal.aborted, reportsDir: undefined });
  } catch (e) {
    reportError(e);
    return exitCodeFor(e);
  } finally {
    signals.dispose();
    if (cache) cache.close();
  }
}
