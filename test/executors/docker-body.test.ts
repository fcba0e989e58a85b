import { describe, expect, it } from 'vitest';
import { lmdeployAdapter } from '../../src/engines/frameworks/lmdeploy.js';
import { sglangAdapter } from '../../src/engines/frameworks/sglang.js';
import { vllmAdapter } from '../../src/engines/frameworks/vllm.js';
import { resolveSocket } from '../../src/executors/docker/api.js';
import {
  type ContainerPlan,
  compatCreateBody,
  ipcSettings,
  libpodCreateBody,
  parseImageRef,
  parseSize,
} from '../../src/executors/docker/body.js';
import { Demuxer, JsonLines, pullError } from '../../src/executors/docker/stream.js';
import { modelCacheBind } from '../../src/executors/docker.js';

const vllmLaunch = vllmAdapter.launch({ model: 'Qwen/Qwen2.5-VL-7B-Instruct', host: '0.0.0.0', port: 8000 });

function plan(over: Partial<ContainerPlan> = {}): ContainerPlan {
  return {
    name: 'vlmhb-vllm-1',
    image: 'vllm/vllm-openai:v0.11.0',
    launch: { argv: vllmLaunch.argv, env: { HF_TOKEN: 'hf_x' } },
    containerPort: 8000,
    hostPort: 41234,
    device: { kind: 'gpu', index: 3 },
    binds: [
      { host: '/data/ds', container: '/data/ds' },
      { host: '/root/.cache/huggingface', container: '/root/.cache/huggingface', rw: true },
    ],
    labels: { vlmhb: '1', 'vlmhb.run': 'r1' },
    ipcHost: true,
    ...over,
  };
}

describe('container create bodies', () => {
  it('Docker: the GPU as a DeviceRequest for that one device id, port on 127.0.0.1, ipc host', () => {
    expect(compatCreateBody(plan(), 'docker')).toEqual({
      Image: 'vllm/vllm-openai:v0.11.0',
      Entrypoint: ['vllm'],
      Cmd: ['serve', 'Qwen/Qwen2.5-VL-7B-Instruct', '--host', '0.0.0.0', '--port', '8000'],
      Env: ['HF_TOKEN=hf_x'],
      Labels: { vlmhb: '1', 'vlmhb.run': 'r1' },
      ExposedPorts: { '8000/tcp': {} },
      Tty: false,
      HostConfig: {
        PortBindings: { '8000/tcp': [{ HostIp: '127.0.0.1', HostPort: '41234' }] },
        Binds: ['/data/ds:/data/ds:ro', '/root/.cache/huggingface:/root/.cache/huggingface:rw'],
        IpcMode: 'host',
        DeviceRequests: [{ Driver: 'nvidia', DeviceIDs: ['3'], Capabilities: [['gpu']] }],
      },
    });
  });

  it('a CPU task asks for no device; a private IPC namespace gets its shm size', () => {
    const body = compatCreateBody(
      plan({ device: { kind: 'cpu' }, ipcHost: false, shmBytes: 2 ** 34 }),
      'podman',
    );
    const host = body['HostConfig'] as Record<string, unknown>;
    expect(host['DeviceRequests']).toBeUndefined();
    expect(host['IpcMode']).toBeUndefined();
    expect(host['ShmSize']).toBe(2 ** 34);
  });

  it('Podman: a GPU through the compatible body is refused (Podman would drop it silently)', () => {
    expect(() => compatCreateBody(plan(), 'podman')).toThrow(/libpodCreateBody/);
  });

  it('Podman GPU: libpod body with the CDI device nvidia.com/gpu=<index>', () => {
    expect(libpodCreateBody(plan())).toEqual({
      name: 'vlmhb-vllm-1',
      image: 'vllm/vllm-openai:v0.11.0',
      entrypoint: ['vllm'],
      command: ['serve', 'Qwen/Qwen2.5-VL-7B-Instruct', '--host', '0.0.0.0', '--port', '8000'],
      env: { HF_TOKEN: 'hf_x' },
      labels: { vlmhb: '1', 'vlmhb.run': 'r1' },
      portmappings: [{ host_ip: '127.0.0.1', host_port: 41234, container_port: 8000, protocol: 'tcp' }],
      mounts: [
        { type: 'bind', source: '/data/ds', destination: '/data/ds', options: ['rbind', 'ro'] },
        {
          type: 'bind',
          source: '/root/.cache/huggingface',
          destination: '/root/.cache/huggingface',
          options: ['rbind', 'rw'],
        },
      ],
      ipcns: { nsmode: 'host' },
      devices: [{ path: 'nvidia.com/gpu=3' }],
    });
  });
});

describe('IPC, shared memory, sizes, image references', () => {
  it("follows the framework's docs unless the task overrides", () => {
    expect(ipcSettings(vllmAdapter.container, undefined)).toEqual({ ipcHost: true });
    expect(ipcSettings(sglangAdapter.container, undefined)).toEqual({ ipcHost: true });
    expect(ipcSettings(lmdeployAdapter.container, undefined)).toEqual({ ipcHost: true });
    expect(lmdeployAdapter.container?.modelCache).toBe('/root/.cache/huggingface');
    expect(ipcSettings(sglangAdapter.container, { ipc: 'private' })).toEqual({
      ipcHost: false,
      shmBytes: 32 * 2 ** 30,
    });
    expect(ipcSettings(undefined, { shm_size: '512m' })).toEqual({ ipcHost: false, shmBytes: 512 * 2 ** 20 });
    expect(ipcSettings(undefined, undefined)).toEqual({ ipcHost: false });
  });

  it('parses Docker sizes and rejects nonsense', () => {
    expect(parseSize('32g')).toBe(32 * 2 ** 30);
    expect(parseSize('1.5G')).toBe(1.5 * 2 ** 30);
    expect(parseSize('64kb')).toBe(65536);
    expect(parseSize(1000)).toBe(1000);
    expect(() => parseSize('lots')).toThrow('not a size: "lots"');
  });

  it('splits image references into name and tag', () => {
    expect(parseImageRef('vllm/vllm-openai')).toEqual({ name: 'vllm/vllm-openai', tag: 'latest' });
    expect(parseImageRef('lmsysorg/sglang:v0.5.2')).toEqual({ name: 'lmsysorg/sglang', tag: 'v0.5.2' });
    expect(parseImageRef('localhost:5000/vlmhb')).toEqual({ name: 'localhost:5000/vlmhb', tag: 'latest' });
    expect(parseImageRef('localhost:5000/vlmhb:1')).toEqual({ name: 'localhost:5000/vlmhb', tag: '1' });
    expect(parseImageRef('x@sha256:ab')).toEqual({ name: 'x', tag: 'sha256:ab' });
  });

  it('mounts the model cache only when it exists', () => {
    expect(modelCacheBind('/root/.cache/huggingface', undefined, { HF_HOME: '/tmp' })).toEqual({
      host: '/tmp',
      container: '/root/.cache/huggingface',
      rw: true,
    });
    expect(modelCacheBind('/c', undefined, { HF_HOME: '/no/such/dir' })).toBeUndefined();
    expect(modelCacheBind('/c', { model_cache: false }, { HF_HOME: '/tmp' })).toBeUndefined();
    expect(modelCacheBind(undefined, undefined, { HF_HOME: '/tmp' })).toBeUndefined();
  });
});

describe('engine socket', () => {
  it('DOCKER_HOST first, then the usual Docker and Podman sockets', () => {
    expect(resolveSocket({ DOCKER_HOST: 'unix:///run/x.sock' }, () => false)).toBe('/run/x.sock');
    expect(resolveSocket({}, (p) => p === '/run/podman/podman.sock')).toBe('/run/podman/podman.sock');
    expect(resolveSocket({ XDG_RUNTIME_DIR: '/run/user/1000' }, (p) => p.startsWith('/run/user'))).toBe(
      '/run/user/1000/podman/podman.sock',
    );
    expect(() => resolveSocket({ DOCKER_HOST: 'tcp://h:2375' })).toThrow(/not a unix socket/);
    expect(() => resolveSocket({}, () => false)).toThrow(/no container engine socket/);
  });
});

describe('Docker stream formats', () => {
  function frame(stream: number, text: string): Buffer {
    const payload = Buffer.from(text);
    const h = Buffer.alloc(8);
    h[0] = stream;
    h.writeUInt32BE(payload.length, 4);
    return Buffer.concat([h, payload]);
  }

  it('demultiplexes frames split anywhere across chunks', () => {
    const all = Buffer.concat([frame(1, 'out line\n'), frame(2, 'ошибка\n'), frame(1, '')]);
    for (let cut = 1; cut < all.length; cut++) {
      const d = new Demuxer();
      const frames = [...d.push(all.subarray(0, cut)), ...d.push(all.subarray(cut))];
      expect(frames.map((f) => [f.stream, f.payload.toString()])).toEqual([
        [1, 'out line\n'],
        [2, 'ошибка\n'],
        [1, ''],
      ]);
      expect(d.buffered).toBe(0);
    }
  });

  it('reads pull progress as JSON lines and finds the failure', () => {
    const j = new JsonLines();
    const events = [
      ...j.push('{"status":"Pulling fs layer","id":"a1"}\n{"status":"Downlo'),
      ...j.push(
        'ading","progress":"[=> ] 1MB/9MB"}\n{"error":"manifest unknown","errorDetail":{"message":"manifest unknown"}}',
      ),
      ...j.end(),
    ];
    expect(events.map((e) => e.status ?? pullError(e))).toEqual([
      'Pulling fs layer',
      'Downloading',
      'manifest unknown',
    ]);
  });
});
