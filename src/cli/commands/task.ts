import { AnswerCache } from '../../cache/store.js';
import { VlmhbError } from '../../errors.js';
import type { Device } from '../../executors/types.js';
import { stderrProgress } from '../../runner/progress.js';
import { detectDevices } from '../../scheduler/devices.js';
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
 * `vlmhb task run FILE`: one planned task (the JSON of src/task/schema.ts, e.g. a run folder's task.json
 * or a task of `vlmhb plan --json`) run as `vlmhb run` runs it: start its server with its executor on
 * the first allowed GPU (a Slurm job's CUDA_VISIBLE_DEVICES), ask, stop, score, save.
 */
export async function taskRunCommand(file: string, f: TaskRunFlags): Promise<number> {
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
  const signals = abortOnSignals();
  const cache = f.cache === false ? false : AnswerCache.open(f.cacheFile);
  try {
    const result = await runTask(task, {
      cache,
      device,
      progress: stderrProgress(),
      log,
      signal: signals.signal,
      ...(f.retryErrors ? { retryErrors: true } : {}),
    });
    log(`answers: ${result.answersLogFile}`);
    return finishRun([{ task, result }], {
      ...f,
      interrupted: signals.signal.aborted,
      reportsDir: undefined,
    });
  } catch (e) {
    reportError(e);
    return exitCodeFor(e);
  } finally {
    signals.dispose();
    if (cache) cache.close();
  }
}
