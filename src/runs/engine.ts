import { mkdirSync } from 'node:fs';
import { launchIdentity, withAnswerCache } from '../cache/engine.js';
import { AnswerCache } from '../cache/store.js';
import type { PlannedTask } from '../config/types.js';
import type { Engine } from '../engines/types.js';
import { VlmhbError } from '../errors.js';
import type { Device } from '../executors/types.js';
import { detectDevices } from '../scheduler/devices.js';
import { createEngine } from '../task/engine.js';
import { needsGpu, type StartedServer, startsServer, startTaskServer } from '../task/server.js';

/**
 * The engine a task asks, created as the runner would and wrapped in the shared answer cache unless
 * `cache` is false (`--no-cache`). Passing it to runTask as `engine` makes every answer cache-backed
 * without touching the runner; the caller closes it.
 */
export async function createTaskEngine(
  task: PlannedTask,
  cache: AnswerCache | false | undefined = AnswerCache.open(),
  baseUrl: string | undefined = task.baseUrl,
  opts: { started?: StartedServer } = {},
): Promise<Engine> {
  const engine = await createEngine(task, baseUrl, opts.started ? { startedServer: true } : {});
  return withAnswerCache(
    engine,
    cache || undefined,
    opts.started ? launchIdentity(opts.started.spec.image, task.launch) : {},
  );
}

/** An engine for many runs of one task's model, and the server started for it when the task needs one. */
export interface TaskEngine {
  engine: Engine;
  /** Started by us (the task's executor is local, docker, apptainer …); pass to runTask as `server`. */
  server?: StartedServer;
  /** Closes the engine and stops the server we started. */
  close(): Promise<void>;
}

/**
 * For commands that run one model many times (prompts compare, optimize, sweep resolution): a task whose
 * executor starts a server gets it started once, here, on the first GPU it may use when its framework
 * needs one, and every run asks it (runTask is given it as `server`, so the load time is counted once and
 * the server's memory is sampled); an external server or the in-process engine is asked as `vlmhb run` would.
 */
export async function openTaskEngine(
  task: PlannedTask,
  cache: AnswerCache | false,
  ctx: { logDir: string; log?: (m: string) => void; signal?: AbortSignal; device?: Device },
): Promise<TaskEngine> {
  if (!startsServer(task)) {
    const engine = await createTaskEngine(task, cache);
    return { engine, close: () => engine.close() };
  }
  let device: Device = ctx.device ?? { kind: 'cpu' };
  if (!ctx.device && needsGpu(task)) {
    const [gpu] = await detectDevices({});
    if (!gpu)
      throw new VlmhbError(
        'VLMHB_EXECUTOR_FAILED',
        `${task.framework} · ${task.model} needs a GPU and nvidia-smi lists none (CUDA_VISIBLE_DEVICES selects one)`,
      );
    device = gpu;
  }
  mkdirSync(ctx.logDir, { recursive: true });
  const server = await startTaskServer(task, {
    device,
    logDir: ctx.logDir,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
    ...(ctx.log ? { log: ctx.log } : {}),
  });
  try {
    const engine = await createTaskEngine(task, cache, server.server.baseUrl, { started: server });
    return {
      engine,
      server,
      close: async () => {
        try {
          await engine.close();
        } finally {
          await server.server.stop();
        }
      },
    };
  } catch (e) {
    await server.server.stop();
    throw e;
  }
}
