import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import { homedir, hostname } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { getFrameworkAdapter } from '../engines/frameworks/registry.js';
import type { LaunchSpec } from '../engines/frameworks/types.js';
import { VlmhbError } from '../errors.js';
import { trackServer } from './cleanup.js';
import { DockerApi, DockerApiError, resolveSocket } from './docker/api.js';
import {
  type Bind,
  type ContainerPlan,
  compatCreateBody,
  type EngineKind,
  ipcSettings,
  LABEL,
  libpodCreateBody,
  parseImageRef,
} from './docker/body.js';
import { removeOrphans } from './docker/orphans.js';
import { Demuxer } from './docker/stream.js';
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
import type { Executor, RunningServer, ServerSpec, StartContext } from './types.js';

/** Seconds the engine waits after SIGTERM before SIGKILL (`options.stop_timeout_s`). */
export const STOP_TIMEOUT_S = 10;
/** Port inside the container when the spec leaves it to us: the container has its own network. */
const CONTAINER_PORT = 8000;
/** Host variables passed into the container when set: model downloads need them; never logged. */
const PASSED_ENV = ['HF_TOKEN', 'HUGGING_FACE_HUB_TOKEN', 'HF_ENDPOINT'];

function fail(message: string, cause?: unknown): VlmhbError {
  return new VlmhbError('VLMHB_EXECUTOR_FAILED', `executor docker: ${message}`, cause ? { cause } : {});
}

/** The host's model cache, mounted where the framework looks (read-write: servers download into it). */
export function modelCacheBind(
  containerPath: string | undefined,
  options: Record<string, unknown> | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Bind | undefined {
  const opt = options?.['model_cache'];
  if (opt === false || containerPath === undefined) return undefined;
  const host = typeof opt === 'string' ? opt : (env['HF_HOME'] ?? join(homedir(), '.cache', 'huggingface'));
  // Podman refuses a bind whose source is missing and Docker would create it root-owned: only existing ones.
  return existsSync(host) ? { host, container: containerPath, rw: true } : undefined;
}

async function ensureImage(
  api: DockerApi,
  image: string,
  log: (m: string) => void,
  signal: AbortSignal | undefined,
): Promise<void> {
  if (await api.imageExists(image)) return;
  const { name, tag } = parseImageRef(image);
  log(`executor docker: pulling ${name}:${tag}`);
  let last = 0;
  try {
    await api.pull(
      name,
      tag,
      (e) => {
        // One line per layer event is noise; a line every 2 s says it is alive and how far it got.
        const now = Date.now();
        if (e.status && now - last > 2000) {
          last = now;
          log(
            `executor docker: pull ${name}:${tag}: ${e.id ? `${e.id} ` : ''}${e.status} ${e.progress ?? ''}`.trim(),
          );
        }
      },
      signal,
    );
  } catch (e) {
    throw fail(
      `image ${image} is not on this machine and could not be pulled: ${(e as Error).message}. ` +
        'Pull or build it first (the tool’s own image: scripts/build-image.sh), or name another with docker_image.',
      e,
    );
  }
  log(`executor docker: pulled ${image}`);
}

/** Writes the container's demultiplexed output to `file`; resolves when the stream ends (the container exited). */
function saveLogs(stream: Readable, file: string): { ended: Promise<void>; isEnded(): boolean } {
  const out = createWriteStream(file, { flags: 'a' });
  const demux = new Demuxer();
  let ended = false;
  const done = new Promise<void>((resolve) => {
    stream.on('data', (chunk: Buffer) => {
      for (const f of demux.push(chunk)) out.write(f.payload);
    });
    const finish = () => {
      if (ended) return;
      ended = true;
      out.end(() => resolve());
    };
    stream.once('end', finish);
    stream.once('error', finish);
    stream.once('close', finish);
  });
  return { ended: done, isEnded: () => ended };
}

function exitDetail(state: {
  Status: string;
  ExitCode?: number;
  OOMKilled?: boolean;
  Error?: string;
}): string {
  if (state.OOMKilled) return 'killed: out of memory';
  const parts = [`${state.Status}, exit code ${state.ExitCode ?? '?'}`];
  if (state.Error) parts.push(state.Error);
  return parts.join(': ');
}

/** The container for a spec on a device: launch env, mounts, labels, IPC; see body.ts for the request. */
function containerPlan(
  spec: ServerSpec & { image: string },
  ctx: StartContext,
  at: { launch: LaunchSpec; containerPort: number; hostPort: number },
): ContainerPlan {
  const env = { ...at.launch.env };
  for (const k of PASSED_ENV) if (process.env[k] && env[k] === undefined) env[k] = process.env[k];
  const needs = getFrameworkAdapter(spec.framework)?.container;
  const cache = modelCacheBind(needs?.modelCache, spec.options);
  return {
    name: `vlmhb-${spec.framework}-${randomBytes(4).toString('hex')}`,
    image: spec.image,
    launch: { argv: at.launch.argv, env },
    containerPort: at.containerPort,
    hostPort: at.hostPort,
    device: ctx.device,
    binds: [...(spec.mounts ?? []), ...(cache ? [cache] : [])],
    labels: {
      [LABEL.managed]: '1',
      [LABEL.run]: ctx.runId ?? randomBytes(6).toString('hex'),
      [LABEL.executor]: 'docker',
      [LABEL.framework]: spec.framework,
      [LABEL.model]: spec.model,
      [LABEL.ownerPid]: String(process.pid),
      [LABEL.ownerHost]: hostname(),
    },
    ...ipcSettings(needs, spec.options),
  };
}

/**
 * `docker`: the server in a container through the Docker Engine API on a unix socket — Docker, or Podman's
 * `podman system service`. The image is pulled when missing; the task's GPU is requested (Docker
 * `DeviceRequests`, Podman CDI `nvidia.com/gpu=N`); IPC / shared memory as the framework's docs ask; the
 * model cache and the spec's folders bind-mounted; the port published on 127.0.0.1 only; the output saved
 * to `<logDir>/server.log`; the container removed on stop.
 */
export const dockerExecutor: Executor = {
  id: 'docker',
  supportsGpu: true,
  async start(spec: ServerSpec, ctx: StartContext): Promise<RunningServer> {
    const log = ctx.log ?? (() => {});
    if (!spec.image)
      throw fail(
        `no image for ${spec.framework} (set the task's docker_image; the framework publishes none)`,
      );
    const socket =
      typeof spec.options?.['docker_host'] === 'string' ? spec.options['docker_host'] : undefined;
    const api = new DockerApi(socket ? resolveSocket({ DOCKER_HOST: socket }) : resolveSocket(process.env));
    let engine: EngineKind;
    try {
      engine = (await api.engine()).kind;
      await removeOrphans(api, hostname(), log);
      await ensureImage(api, spec.image, log, ctx.signal);
    } catch (e) {
      await api.close();
      throw e instanceof VlmhbError ? e : fail((e as Error).message, e);
    }

    const containerPort = spec.port || CONTAINER_PORT;
    const hostPort = await freePort();
    const launch = launchFor(spec, '0.0.0.0', containerPort);
    if (launch.argv.length === 0) {
      await api.close();
      throw fail(`framework ${spec.framework} has nothing to launch; use executor external with base_url`);
    }
    const plan = containerPlan({ ...spec, image: spec.image }, ctx, { launch, containerPort, hostPort });
    let id: string;
    try {
      id =
        engine === 'podman' && ctx.device.kind === 'gpu'
          ? await api.createLibpod(libpodCreateBody(plan))
          : await api.create(plan.name, compatCreateBody(plan, engine));
    } catch (e) {
      await api.close();
      throw fail(`could not create the container from ${spec.image}: ${(e as Error).message}`, e);
    }

    const logFile = join(ctx.logDir, 'server.log');
    let logs: ReturnType<typeof saveLogs> | undefined;
    const stopS =
      typeof spec.options?.['stop_timeout_s'] === 'number' ? spec.options['stop_timeout_s'] : STOP_TIMEOUT_S;
    let untrack = () => {};
    const stop = once(async () => {
      try {
        await api.stop(id, Math.ceil(stopS));
        await api.remove(id);
        // The log stream ends with the container; bounded in case the engine keeps it open.
        if (logs) await Promise.race([logs.ended, new Promise((r) => setTimeout(r, 5_000).unref())]);
      } catch (e) {
        throw fail(`could not stop/remove container ${id.slice(0, 12)}: ${(e as Error).message}`, e);
      } finally {
        untrack();
        await api.close();
      }
    });
    untrack = trackServer(stop);

    const timeoutMs = ctx.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
    // Load time runs from the container's start: pulling the image is not loading the model.
    const t0 = performance.now();
    try {
      await api.start(id);
      logs = saveLogs(await api.logs(id), logFile);
    } catch (e) {
      await stop().catch(() => {});
      const msg = e instanceof DockerApiError ? e.message : String(e);
      throw serverFailed(
        'docker',
        spec,
        { ok: false, reason: 'exited', detail: `could not start: ${msg}` },
        {
          timeoutMs,
          logFile,
          tail: tailFile(logFile),
        },
      );
    }
    log(`executor docker: container ${id.slice(0, 12)} (${spec.image}) on 127.0.0.1:${hostPort}`);

    let lastInspect = 0;
    const started = logs;
    const outcome = await waitReady({
      url: `http://127.0.0.1:${hostPort}${spec.healthPath}`,
      timeoutMs,
      signal: ctx.signal,
      exited: async () => {
        // The log stream ends when the container stops; between polls of its state, once a second.
        if (!started.isEnded() && Date.now() - lastInspect < 1_000) return undefined;
        lastInspect = Date.now();
        const info = await api.inspect(id).catch(() => null); // engine busy: ask again next time
        if (info === null) return undefined;
        if (!info) return 'the container disappeared';
        return info.State.Running ? undefined : exitDetail(info.State);
      },
    });
    if (!outcome.ok) {
      if (outcome.reason === 'exited')
        await Promise.race([started.ended, new Promise((r) => setTimeout(r, 2_000).unref())]);
      await stop().catch(() => {});
      throw serverFailed('docker', spec, outcome, { timeoutMs, logFile, tail: tailFile(logFile) });
    }
    const info = await api.inspect(id).catch(() => undefined);
    return {
      baseUrl: `http://127.0.0.1:${hostPort}/v1`,
      ...(info?.State.Pid ? { pid: info.State.Pid } : {}),
      handle: id,
      loadMs: performance.now() - t0,
      logFile,
      tail: (lines = TAIL_LINES) => tailFile(logFile, lines),
      stop,
    };
  },
};
