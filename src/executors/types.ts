import type { LaunchSpec } from '../engines/frameworks/types.js';

/**
 * An executor starts one model server for a task on one device and stops it afterwards: a local process,
 * a Docker/Podman container, an Apptainer container, a Slurm job, or nothing at all (`external`: the
 * server is already running). It knows nothing of datasets, prompts or scoring; the task layer composes it
 * with the runner, and the scheduler decides which device it gets. One file per executor, registered by its
 * config id in `registry.ts`; every executor passes the shared suite in `test/executors/suite.ts`.
 */

/** A device a task may run on: one GPU (pinned, exclusive) or the CPU pool. */
export type Device =
  | { kind: 'gpu'; index: number; uuid?: string; name?: string; memoryTotalMb?: number }
  | { kind: 'cpu' };

/** What the executor needs to start one server. Built by the task layer from a planned task. */
export interface ServerSpec {
  /** Framework id (engines/frameworks registry), e.g. 'vllm', 'tesseract'. */
  framework: string;
  model: string;
  /** Program, arguments and environment from the framework adapter; never a shell string. */
  launch: LaunchSpec;
  /** Port the server listens on inside its process or container; 0 = the executor picks a free one. */
  port: number;
  /**
   * Rebuilds `launch` for the address the executor chose (a free port when `port` is 0; 0.0.0.0 inside a
   * container, whose port is then published on 127.0.0.1 only). Optional: without it `launch` runs as is
   * and must listen where `port` says. The task layer builds it from the same framework adapter and launch
   * options as `launch`, so no executor has to edit argv (every framework spells host/port differently).
   */
  launchAt?: (bind: { host: string; port: number }) => LaunchSpec;
  /** GET path answering 200 once the model is loaded (relative to the server root). */
  healthPath: string;
  /** Container image (docker_image column or the adapter's default); used by container executors. */
  image?: string;
  /** Host folders the server must see (model cache, dataset), mounted read-only unless `rw`. */
  mounts?: { host: string; container: string; rw?: boolean }[];
  /** `external` only: where the already-running server is (the task's `base_url`). */
  baseUrl?: string;
  /** Executor-specific settings from the config (e.g. `shm_size`, `slurm: {...}`). */
  options?: Record<string, unknown>;
}

export interface StartContext {
  device: Device;
  /** Folder for this server's logs (`server.log`); created by the caller. */
  logDir: string;
  /** Identifies the run in what the executor creates (container label `vlmhb.run`); random when absent. */
  runId?: string;
  /** Give up waiting for readiness after this long. @default 600_000 */
  readyTimeoutMs?: number;
  signal?: AbortSignal;
  log?: (msg: string) => void;
}

/** A started, ready server. `stop` is idempotent and also kills children / removes the container. */
export interface RunningServer {
  /** OpenAI-compatible base URL as the client should use it, e.g. http://127.0.0.1:41234/v1 */
  baseUrl: string;
  /** Host process id (local process, the container runtime's pid, the job's step) for RSS sampling. */
  pid?: number;
  /** e.g. container id or Slurm job id, for logs and cleanup checks. */
  handle?: string;
  /** Milliseconds from start() to the health endpoint answering 200 (model load time). */
  loadMs: number;
  /** Path of the saved server log. */
  logFile: string;
  /** Last lines of the server log, for error messages. */
  tail(lines?: number): string;
  stop(): Promise<void>;
}

export interface Executor {
  /** Config id: 'external', 'local', 'docker', 'apptainer', 'slurm'. */
  readonly id: string;
  /** Whether this executor can pin a GPU itself (sets CUDA_VISIBLE_DEVICES / DeviceRequests / --nv). */
  readonly supportsGpu: boolean;
  /**
   * Starts the server and resolves once its health endpoint answers 200. A server that exits or never
   * gets ready rejects with a VlmhbError('VLMHB_SERVER_FAILED') whose message carries the log's last lines;
   * nothing is left running in that case.
   */
  start(spec: ServerSpec, ctx: StartContext): Promise<RunningServer>;
}
