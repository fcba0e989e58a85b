import { createServer } from 'node:net';
import type { PlannedTask } from '../config/types.js';
import { getFrameworkAdapter } from '../engines/frameworks/registry.js';
import type { FrameworkAdapter } from '../engines/frameworks/types.js';
import { VlmhbError } from '../errors.js';
import { EXECUTOR_IDS, isExecutorId, loadExecutor } from '../executors/registry.js';
import type { Device, Executor, RunningServer, ServerSpec } from '../executors/types.js';

/** The executor a task runs under; `external` = today's behaviour (a server already running at base_url). */
export function executorOf(task: PlannedTask): string {
  return task.executor ?? 'external';
}

/**
 * Whether this tool starts a server for the task. Not for `external`, and not for the embedded engine
 * asked in-process (tesseract with no executor): those need nothing started.
 */
export function startsServer(task: PlannedTask): boolean {
  const ex = executorOf(task);
  return ex !== 'external' && ex !== 'none';
}

/**
 * A task that gets one GPU of its own: a started server of a framework that needs one. Not a Slurm task:
 * its GPU is the batch job's (slurm.gres / slurm.gpus), on the node, never one of this machine's.
 */
export function needsGpu(task: PlannedTask): boolean {
  if (executorOf(task) === 'slurm') return false;
  return startsServer(task) && (getFrameworkAdapter(task.framework)?.needsGpu ?? false);
}

/**
 * What makes two tasks' servers interchangeable: consecutive tasks with the same key share one started
 * server (four prompt collections on one model load the model once).
 */
export function serverKey(task: PlannedTask): string {
  return JSON.stringify([
    executorOf(task),
    task.framework,
    task.model,
    task.dockerImage ?? null,
    task.launch ?? null,
    task.executorOptions ?? null,
    startsServer(task) ? null : (task.baseUrl ?? null),
  ]);
}

// Container executors publish the server's port from inside a network namespace, where it must listen on
// every interface; the host side is published on 127.0.0.1 only by the executor.
const BINDS_ALL_INSIDE = new Set(['docker']);
// Executors whose server sees no host folder unless it is mounted. (Apptainer binds the host's file
// system by default, and its binds are its own: `options.binds`.)
const MOUNTS_DATASETS = new Set(['docker']);

function adapterOf(task: PlannedTask): FrameworkAdapter {
  const a = getFrameworkAdapter(task.framework);
  if (!a) throw new VlmhbError('VLMHB_CONFIG_INVALID', `no launch adapter for framework "${task.framework}"`);
  return a;
}

/** A free TCP port on 127.0.0.1 for a server we start. */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r, j) => {
    s.once('error', j);
    s.listen(0, '127.0.0.1', () => r());
  });
  const { port } = s.address() as { port: number };
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/**
 * The dataset folders a server sees, read-only and at the same path as on the host, so a path in a
 * request or a launch option (vLLM's `--allowed-local-media-path`) means the same inside a container.
 * Images still travel in the requests; the mount is for servers that read local files.
 */
export function datasetMounts(dirs: readonly string[]): NonNullable<ServerSpec['mounts']> {
  return [...new Set(dirs)].map((dir) => ({ host: dir, container: dir }));
}

/**
 * The ServerSpec of a planned task: the adapter's launch argv/env, health path, image, executor options,
 * and the dataset folders to mount (the task's, or every task's of a group sharing the server).
 */
export function serverSpec(
  task: PlannedTask,
  port: number,
  datasetDirs: readonly string[] = [task.datasetDir],
): ServerSpec {
  const adapter = adapterOf(task);
  const host = BINDS_ALL_INSIDE.has(executorOf(task)) ? '0.0.0.0' : '127.0.0.1';
  const launch = adapter.launch({ ...task.launch, model: task.model, host, port });
  const image = task.dockerImage ?? adapter.defaultImage;
  return {
    framework: task.framework,
    model: task.model,
    launch,
    port,
    healthPath: adapter.healthPath,
    ...(MOUNTS_DATASETS.has(executorOf(task)) ? { mounts: datasetMounts(datasetDirs) } : {}),
    ...(image ? { image } : {}),
    ...(task.baseUrl ? { baseUrl: task.baseUrl } : {}),
    ...(task.executorOptions ? { options: task.executorOptions } : {}),
  };
}

/** A server started for one or more tasks, with what it took to get it ready. */
export interface StartedServer {
  server: RunningServer;
  executor: string;
  device: Device;
  /** The spec it was started from. */
  spec: ServerSpec;
}

/**
 * Starts the task's server with its executor on `device` and waits until it is ready (the executor
 * resolves only then). A server that dies or never gets ready fails with its log's last lines.
 */
export async function startTaskServer(
  task: PlannedTask,
  ctx: {
    device: Device;
    logDir: string;
    signal?: AbortSignal;
    log?: (m: string) => void;
    readyTimeoutMs?: number;
    /** Executor by id; default the registry. */
    loadExecutor?: (id: string) => Promise<Executor>;
    /** Dataset folders the server must see: every task's of the group sharing it. @default the task's */
    datasetDirs?: readonly string[];
  },
): Promise<StartedServer> {
  const id = executorOf(task);
  if (!ctx.loadExecutor && !isExecutorId(id)) {
    throw new VlmhbError(
      'VLMHB_EXECUTOR_FAILED',
      `executor "${id}" is not available in this installation; available: ${EXECUTOR_IDS.join(', ')}`,
    );
  }
  const executor = await (ctx.loadExecutor ?? loadExecutor)(id);
  const spec = serverSpec(task, await freePort(), ctx.datasetDirs ?? [task.datasetDir]);
  if (ctx.device.kind === 'gpu' && !executor.supportsGpu) {
    throw new VlmhbError(
      'VLMHB_EXECUTOR_FAILED',
      `executor "${id}" cannot pin GPU ${ctx.device.index} for ${task.framework} · ${task.model}`,
    );
  }
  ctx.log?.(`starting ${task.framework} · ${task.model} with executor ${id} on ${deviceName(ctx.device)}`);
  const server = await executor.start(spec, {
    device: ctx.device,
    logDir: ctx.logDir,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
    ...(ctx.log ? { log: ctx.log } : {}),
    ...(ctx.readyTimeoutMs !== undefined ? { readyTimeoutMs: ctx.readyTimeoutMs } : {}),
  });
  return { server, executor: id, device: ctx.device, spec };
}

/**
 * Whether a started server still answers its health endpoint (within `timeoutMs`): checked before a
 * shared server takes its next task, because one that died in between would fail every item of it.
 */
export async function serverAnswers(started: StartedServer, timeoutMs = 5_000): Promise<boolean> {
  const url = new URL(started.spec.healthPath, started.server.baseUrl);
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await res.body?.cancel();
    return res.status === 200;
  } catch {
    return false;
  }
}

export function deviceName(d: Device): string {
  return d.kind === 'gpu' ? `GPU ${d.index}${d.name ? ` (${d.name})` : ''}` : 'CPU';
}
