import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { VlmhbError } from '../errors.js';
import { trackServer } from './cleanup.js';
import {
  DEFAULT_READY_TIMEOUT_MS,
  freePort,
  launchFor,
  once,
  serverFailed,
  TAIL_LINES,
  tailFile,
  waitReady,
} from './shared.js';
import type { Device, Executor, RunningServer, ServerSpec, StartContext } from './types.js';

/** SIGTERM first; the whole process group gets SIGKILL if it is still there after this long. */
export const STOP_GRACE_MS = 10_000;

/** This checkout's CLI: src/executors/local.ts and dist/executors/local.js both sit two levels below it. */
const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'vlmhb.js');

/**
 * Program and arguments as spawned. `vlmhb …` (the embedded engine's launch) runs this checkout's CLI
 * with this node, so it works without a global install and always matches the running tool's version.
 */
export function resolveArgv(argv: readonly string[]): { file: string; args: string[] } {
  const [program, ...args] = argv;
  if (program === undefined) throw new Error('empty argv');
  if (program === 'vlmhb') return { file: process.execPath, args: [CLI, ...args] };
  return { file: program, args };
}

/** The child's environment: ours, the adapter's, and the one GPU the task was given. */
export function childEnv(
  base: NodeJS.ProcessEnv,
  launchEnv: Record<string, string>,
  device: Device,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base, ...launchEnv };
  // Pinned: the server sees exactly its own GPU (as device 0). A CPU task sees none, so a framework that
  // would pick up a visible GPU by itself (transformers does) cannot take memory on another task's GPU.
  // The device comes from nvidia-smi, which numbers GPUs in PCI bus order, while CUDA numbers them fastest
  // first unless told otherwise (CUDA C Programming Guide, "CUDA Environment Variables"): pinned by UUID
  // when nvidia-smi gave one, and in PCI order, so index N is the GPU nvidia-smi calls N (and samples).
  if (device.kind === 'gpu') {
    env['CUDA_VISIBLE_DEVICES'] = device.uuid || String(device.index);
    env['CUDA_DEVICE_ORDER'] = 'PCI_BUS_ID';
  } else env['CUDA_VISIBLE_DEVICES'] = '';
  return env;
}

/**
 * `local`: the framework's launch command as a child process of ours — argv, never a shell — leading its
 * own process group, so stop reaches the server and every process it forked (vLLM's engine core, SGLang's
 * schedulers). Output goes to `<logDir>/server.log`.
 */
export const localExecutor: Executor = {
  id: 'local',
  supportsGpu: true,
  async start(spec: ServerSpec, ctx: StartContext): Promise<RunningServer> {
    const t0 = performance.now();
    const port = spec.port === 0 ? await freePort() : spec.port;
    const launch = launchFor(spec, '127.0.0.1', port);
    if (launch.argv.length === 0) {
      throw new VlmhbError(
        'VLMHB_EXECUTOR_FAILED',
        `executor local: framework ${spec.framework} has nothing to launch (a hosted API?); use executor external with base_url`,
      );
    }
    const { file, args } = resolveArgv(launch.argv);
    const logFile = join(ctx.logDir, 'server.log');
    const fd = openSync(logFile, 'a');
    let child: ChildProcess;
    try {
      child = spawn(file, args, {
        detached: true,
        stdio: ['ignore', fd, fd],
        env: childEnv(process.env, launch.env, ctx.device),
      });
    } finally {
      closeSync(fd); // the child holds its own copy
    }
    const proc = watch(child);
    const grace = stopGraceMs(spec);
    ctx.log?.(`executor local: started ${launch.argv[0]} (pid ${child.pid ?? '?'}) on 127.0.0.1:${port}`);

    let untrack = () => {};
    const stop = once(async () => {
      try {
        await killGroup(child, proc, grace);
      } finally {
        untrack();
      }
    });
    untrack = trackServer(stop);
    const timeoutMs = ctx.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
    const outcome = await waitReady({
      url: `http://127.0.0.1:${port}${spec.healthPath}`,
      timeoutMs,
      signal: ctx.signal,
      exited: () => proc.exit,
    });
    if (!outcome.ok) {
      await stop();
      throw serverFailed('local', spec, outcome, { timeoutMs, logFile, tail: tailFile(logFile) });
    }
    return {
      baseUrl: `http://127.0.0.1:${port}/v1`,
      ...(child.pid !== undefined ? { pid: child.pid, handle: `pid ${child.pid}` } : {}),
      loadMs: performance.now() - t0,
      logFile,
      tail: (lines = TAIL_LINES) => tailFile(logFile, lines),
      stop,
    };
  },
};

interface Watched {
  /** Set once the process has exited (or could not start): how, in words. */
  exit: string | undefined;
  exited: Promise<void>;
}

function watch(child: ChildProcess): Watched {
  const w: Watched = { exit: undefined, exited: Promise.resolve() };
  w.exited = new Promise<void>((resolve) => {
    child.once('error', (e) => {
      w.exit ??= `could not start: ${e.message}`;
      resolve();
    });
    child.once('exit', (code, signal) => {
      w.exit ??= signal ? `killed by ${signal}` : `exit code ${code}`;
      resolve();
    });
  });
  return w;
}

function stopGraceMs(spec: ServerSpec): number {
  const s = spec.options?.['stop_timeout_s'];
  return typeof s === 'number' && s >= 0 ? s * 1000 : STOP_GRACE_MS;
}

/** True while any process of the group led by `pgid` exists. */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function signalGroup(pgid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(-pgid, sig);
  } catch {
    // already gone
  }
}

/**
 * SIGTERM to the whole group, SIGKILL to whatever remains after `graceMs`. Waits for the group to be
 * empty, not just the leader: a server's workers may outlive it for a moment.
 */
async function killGroup(child: ChildProcess, proc: Watched, graceMs: number): Promise<void> {
  const pgid = child.pid;
  if (pgid === undefined) return; // never started
  signalGroup(pgid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (groupAlive(pgid) && Date.now() < deadline) await sleep(50);
  if (groupAlive(pgid)) signalGroup(pgid, 'SIGKILL');
  await proc.exited;
  for (let i = 0; i < 100 && groupAlive(pgid); i++) await sleep(50);
}
