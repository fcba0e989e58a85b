import { existsSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { Agent, request } from 'undici';
import { VlmhbError } from '../../errors.js';
import type { EngineKind } from './body.js';
import { JsonLines, type PullEvent, pullError } from './stream.js';

/**
 * The few Docker Engine API endpoints the docker executor uses, over the engine's unix socket with undici
 * (already our HTTP client; dockerode would add ~15 packages, gRPC and protobuf included, to the tool and
 * its image for the same ten calls). Every endpoint here is one Podman's `podman system service` serves
 * too (docs.podman.io "Docker-compatible API"), except `createLibpod`, Podman's own create, used only
 * where the compatible one cannot express a GPU (see body.ts).
 */

/** Docker Engine API 1.41 = Docker 20.10, the first with everything used here; Podman 4 reports 1.41. */
const COMPAT = '/v1.41';
const LIBPOD = '/v4.0.0/libpod';

export class DockerApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'DockerApiError';
  }
}

/**
 * The engine's socket: `DOCKER_HOST` (unix://…) when set, else the first that exists of Docker's and
 * Podman's usual sockets.
 */
export function resolveSocket(
  env: NodeJS.ProcessEnv = process.env,
  exists: (p: string) => boolean = existsSync,
): string {
  const host = env['DOCKER_HOST'];
  if (host) {
    if (host.startsWith('unix://')) return host.slice('unix://'.length);
    throw new VlmhbError(
      'VLMHB_EXECUTOR_FAILED',
      `executor docker: DOCKER_HOST=${host} is not a unix socket (unix:///path); tcp and ssh are not supported`,
    );
  }
  const candidates = ['/var/run/docker.sock', '/run/podman/podman.sock'];
  if (env['XDG_RUNTIME_DIR']) candidates.push(`${env['XDG_RUNTIME_DIR']}/podman/podman.sock`);
  const found = candidates.find((p) => exists(p));
  if (found) return found;
  throw new VlmhbError(
    'VLMHB_EXECUTOR_FAILED',
    `executor docker: no container engine socket (looked for ${candidates.join(', ')}); start Docker, or ` +
      'Podman with `podman system service --time=0 unix:///run/podman/podman.sock`, or set DOCKER_HOST=unix:///…',
  );
}

export interface ContainerState {
  Status: string;
  Running: boolean;
  OOMKilled?: boolean;
  ExitCode?: number;
  Pid?: number;
  Error?: string;
}

export interface ContainerInfo {
  Id: string;
  State: ContainerState;
  HostConfig?: { PortBindings?: Record<string, { HostIp?: string; HostPort?: string }[] | null> };
  Mounts?: { Source: string; Destination: string; RW: boolean }[];
}

export interface ContainerSummary {
  Id: string;
  Names?: string[];
  State?: string;
  Labels?: Record<string, string>;
}

type Query = Record<string, string | number | boolean | undefined>;

export class DockerApi {
  private readonly agent: Agent;

  constructor(readonly socketPath: string) {
    this.agent = new Agent({ connect: { socketPath } });
  }

  private async call(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    opts: { query?: Query; json?: unknown; ok?: number[]; stream?: boolean; signal?: AbortSignal } = {},
  ): Promise<{ status: number; body: Readable & { text(): Promise<string>; json(): Promise<unknown> } }> {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined) qs.set(k, String(v));
    const url = `http://localhost${path}${qs.size ? `?${qs}` : ''}`;
    let res: Awaited<ReturnType<typeof request>>;
    try {
      res = await request(url, {
        dispatcher: this.agent,
        method,
        ...(opts.json !== undefined
          ? { body: JSON.stringify(opts.json), headers: { 'content-type': 'application/json' } }
          : {}),
        // Logs and pulls stay open for as long as the container runs or the download takes.
        ...(opts.stream ? { bodyTimeout: 0 } : {}),
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
    } catch (e) {
      throw new VlmhbError(
        'VLMHB_EXECUTOR_FAILED',
        `executor docker: cannot reach the container engine at ${this.socketPath}: ${(e as Error).message}`,
        { cause: e },
      );
    }
    const ok = opts.ok ?? [200, 201, 204];
    if (!ok.includes(res.statusCode)) {
      const text = await res.body.text().catch(() => '');
      let message = text.trim();
      try {
        message = (JSON.parse(text) as { message?: string }).message ?? message;
      } catch {
        // not JSON
      }
      throw new DockerApiError(res.statusCode, `${method} ${path}: ${res.statusCode} ${message}`);
    }
    return { status: res.statusCode, body: res.body };
  }

  private async json<T>(method: 'GET' | 'POST', path: string, opts: { query?: Query; json?: unknown } = {}) {
    return (await (await this.call(method, path, opts)).body.json()) as T;
  }

  /** Which engine answers: Podman names itself among the version's Components. */
  async engine(): Promise<{ kind: EngineKind; version: string }> {
    const v = await this.json<{ Version?: string; Components?: { Name?: string }[] }>(
      'GET',
      `${COMPAT}/version`,
    );
    const podman = (v.Components ?? []).some((c) => /podman/i.test(c.Name ?? ''));
    return { kind: podman ? 'podman' : 'docker', version: v.Version ?? '?' };
  }

  async imageExists(ref: string): Promise<boolean> {
    const r = await this.call('GET', `${COMPAT}/images/${encodeURI(ref)}/json`, { ok: [200, 404] });
    await r.body.text();
    return r.status === 200;
  }

  /** Pulls `name:tag`, reporting each progress event; rejects with the engine's words when it fails. */
  async pull(
    name: string,
    tag: string,
    onEvent: (e: PullEvent) => void,
    signal?: AbortSignal,
  ): Promise<void> {
    const r = await this.call('POST', `${COMPAT}/images/create`, {
      query: { fromImage: name, tag },
      stream: true,
      ...(signal ? { signal } : {}),
    });
    const lines = new JsonLines();
    let failure: string | undefined;
    const take = (events: PullEvent[]) => {
      for (const e of events) {
        failure ??= pullError(e);
        onEvent(e);
      }
    };
    r.body.setEncoding('utf8');
    for await (const chunk of r.body) take(lines.push(chunk as string));
    take(lines.end());
    if (failure !== undefined) throw new DockerApiError(500, failure);
  }

  /** `POST /containers/create` (Docker-compatible); returns the container id. */
  async create(name: string, body: Record<string, unknown>): Promise<string> {
    return (
      await this.json<{ Id: string }>('POST', `${COMPAT}/containers/create`, { query: { name }, json: body })
    ).Id;
  }

  /** Podman's own create (SpecGenerator body); the container is then driven through the compatible API. */
  async createLibpod(body: Record<string, unknown>): Promise<string> {
    return (await this.json<{ Id: string }>('POST', `${LIBPOD}/containers/create`, { json: body })).Id;
  }

  async start(id: string): Promise<void> {
    await (await this.call('POST', `${COMPAT}/containers/${id}/start`, { ok: [204, 304] })).body.text();
  }

  async inspect(id: string): Promise<ContainerInfo | undefined> {
    const r = await this.call('GET', `${COMPAT}/containers/${id}/json`, { ok: [200, 404] });
    if (r.status === 404) {
      await r.body.text();
      return undefined;
    }
    return (await r.body.json()) as ContainerInfo;
  }

  /** The container's output from its start, following until it exits (multiplexed; see stream.ts). */
  async logs(id: string): Promise<Readable> {
    const r = await this.call('GET', `${COMPAT}/containers/${id}/logs`, {
      query: { follow: true, stdout: true, stderr: true },
      stream: true,
    });
    return r.body;
  }

  /** SIGTERM, then SIGKILL after `timeoutS` (the engine does both); a stopped or gone container is fine. */
  async stop(id: string, timeoutS: number): Promise<void> {
    await (
      await this.call('POST', `${COMPAT}/containers/${id}/stop`, {
        query: { t: timeoutS },
        ok: [204, 304, 404],
      })
    ).body.text();
  }

  async remove(id: string): Promise<void> {
    await (
      await this.call('DELETE', `${COMPAT}/containers/${id}`, {
        query: { force: true, v: true },
        ok: [200, 204, 404],
      })
    ).body.text();
  }

  /** Containers, running or not, carrying every given label (`key` or `key=value`). */
  async list(labels: string[]): Promise<ContainerSummary[]> {
    return this.json<ContainerSummary[]>('GET', `${COMPAT}/containers/json`, {
      query: { all: true, filters: JSON.stringify({ label: labels }) },
    });
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}
