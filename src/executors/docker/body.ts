import type { ContainerNeeds, LaunchSpec } from '../../engines/frameworks/types.js';
import type { Device } from '../types.js';

/**
 * Pure builders of container-create requests. Two shapes, because Podman's Docker-compatible endpoint
 * accepts `HostConfig.DeviceRequests` and silently drops it, and rejects a CDI name in `HostConfig.Devices`
 * ("stat nvidia.com/gpu=0: no such file or directory") — both measured on Podman 4.3.1, and reported in
 * containers/podman#22645, #23560, #19338. Its own (libpod) create endpoint takes CDI names in `devices`,
 * so a GPU container on Podman is created there; everything else uses the Docker-compatible API.
 */

export type EngineKind = 'docker' | 'podman';

/** Labels on every container we create, so cleanup and tests find ours and only ours. */
export const LABEL = {
  managed: 'vlmhb',
  run: 'vlmhb.run',
  executor: 'vlmhb.executor',
  framework: 'vlmhb.framework',
  model: 'vlmhb.model',
  ownerPid: 'vlmhb.owner.pid',
  ownerHost: 'vlmhb.owner.host',
} as const;

export interface Bind {
  host: string;
  container: string;
  rw?: boolean;
}

/** Everything the create request depends on, resolved by the executor. */
export interface ContainerPlan {
  name: string;
  image: string;
  launch: LaunchSpec;
  containerPort: number;
  hostPort: number;
  device: Device;
  binds: Bind[];
  labels: Record<string, string>;
  ipcHost: boolean;
  /** Bytes; only with a private IPC namespace. */
  shmBytes?: number;
}

/** `vllm/vllm-openai:v0.9`, `localhost:5000/x`, `img@sha256:…` → name and tag for `POST /images/create`. */
export function parseImageRef(ref: string): { name: string; tag: string } {
  const at = ref.indexOf('@');
  if (at >= 0) return { name: ref.slice(0, at), tag: ref.slice(at + 1) };
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  if (colon > slash) return { name: ref.slice(0, colon), tag: ref.slice(colon + 1) };
  return { name: ref, tag: 'latest' };
}

/** Docker's size syntax (`--shm-size 32g`): a number with an optional b/k/m/g suffix, 1024-based. */
export function parseSize(v: string | number): number {
  if (typeof v === 'number') return v;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([bkmg]?)b?\s*$/i.exec(v);
  if (!m) throw new Error(`not a size: "${v}" (e.g. 16g, 512m)`);
  const unit = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[(m[2] ?? '').toLowerCase()] ?? 1;
  return Math.round(Number(m[1]) * unit);
}

/**
 * IPC and shared memory: the framework's documented needs, overridable per task with `options.ipc`
 * ('host' | 'private') and `options.shm_size`.
 */
export function ipcSettings(
  needs: ContainerNeeds | undefined,
  options: Record<string, unknown> | undefined,
): { ipcHost: boolean; shmBytes?: number } {
  const ipc = options?.['ipc'];
  const ipcHost = ipc === 'host' ? true : ipc === 'private' ? false : (needs?.ipcHost ?? false);
  const shm = options?.['shm_size'] ?? needs?.shmSize;
  // With the host's IPC namespace the container uses the host's /dev/shm; a size would be ignored or refused.
  if (ipcHost || shm === undefined) return { ipcHost };
  if (typeof shm !== 'string' && typeof shm !== 'number') throw new Error('shm_size must be a size like 16g');
  return { ipcHost, shmBytes: parseSize(shm) };
}

function envList(env: Record<string, string>): string[] {
  return Object.entries(env).map(([k, v]) => `${k}=${v}`);
}

/**
 * Body of `POST /containers/create` (Docker Engine API ≥ 1.40, which Podman's compat API serves).
 * The launch argv runs as given: its program replaces the image's entrypoint, so `vllm serve M …` works
 * whether the image's entrypoint is `vllm serve` or a Python module.
 */
export function compatCreateBody(plan: ContainerPlan, engine: EngineKind): Record<string, unknown> {
  const [program, ...args] = plan.launch.argv;
  const port = `${plan.containerPort}/tcp`;
  const hostConfig: Record<string, unknown> = {
    // Published on the loopback address only: model servers have no authentication.
    PortBindings: { [port]: [{ HostIp: '127.0.0.1', HostPort: String(plan.hostPort) }] },
    Binds: plan.binds.map((b) => `${b.host}:${b.container}:${b.rw ? 'rw' : 'ro'}`),
    ...(plan.ipcHost ? { IpcMode: 'host' } : {}),
    ...(plan.shmBytes !== undefined ? { ShmSize: plan.shmBytes } : {}),
  };
  if (plan.device.kind === 'gpu') {
    if (engine === 'podman') throw new Error('a GPU container on Podman is created with libpodCreateBody');
    hostConfig['DeviceRequests'] = [
      { Driver: 'nvidia', DeviceIDs: [String(plan.device.index)], Capabilities: [['gpu']] },
    ];
  }
  return {
    Image: plan.image,
    Entrypoint: program === undefined ? [] : [program],
    Cmd: args,
    Env: envList(plan.launch.env),
    Labels: plan.labels,
    ExposedPorts: { [port]: {} },
    Tty: false,
    HostConfig: hostConfig,
  };
}

/**
 * Body of Podman's `POST /libpod/containers/create` (its SpecGenerator): the same container, with the GPU
 * as the CDI device `nvidia.com/gpu=<index>` (what `podman run --device nvidia.com/gpu=0` sends).
 */
export function libpodCreateBody(plan: ContainerPlan): Record<string, unknown> {
  const [program, ...args] = plan.launch.argv;
  return {
    name: plan.name,
    image: plan.image,
    entrypoint: program === undefined ? [] : [program],
    command: args,
    env: plan.launch.env,
    labels: plan.labels,
    portmappings: [
      { host_ip: '127.0.0.1', host_port: plan.hostPort, container_port: plan.containerPort, protocol: 'tcp' },
    ],
    mounts: plan.binds.map((b) => ({
      type: 'bind',
      source: b.host,
      destination: b.container,
      options: ['rbind', b.rw ? 'rw' : 'ro'],
    })),
    ...(plan.ipcHost ? { ipcns: { nsmode: 'host' } } : {}),
    ...(plan.shmBytes !== undefined ? { shm_size: plan.shmBytes } : {}),
    ...(plan.device.kind === 'gpu' ? { devices: [{ path: `nvidia.com/gpu=${plan.device.index}` }] } : {}),
  };
}
