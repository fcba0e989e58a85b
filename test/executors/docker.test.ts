import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tesseractAdapter } from '../../src/engines/frameworks/tesseract.js';
import { DockerApi, resolveSocket } from '../../src/executors/docker/api.js';
import { LABEL } from '../../src/executors/docker/body.js';
import { dockerExecutor } from '../../src/executors/docker.js';
import type { ServerSpec } from '../../src/executors/types.js';
import { installFakeCdiGpu, podmanForTests, removeFakeCdiGpu } from '../helpers/podman.js';
import { processesWith, testExecutor } from './suite.js';

// Real Podman through its Docker-compatible API, serving the real embedded engine from the tool's own image.
const env = await podmanForTests();
let api: DockerApi;
beforeAll(() => {
  api = new DockerApi(resolveSocket());
});
afterAll(async () => {
  await api.close();
});

/** Our containers (running or not) for a model name; [] once stopped and removed. */
async function containersFor(marker: string): Promise<string[]> {
  const found = await api.list([`${LABEL.model}=${marker}`]);
  return found.map((c) => `${c.Id.slice(0, 12)} ${c.State ?? ''}`);
}

testExecutor('docker', () => dockerExecutor, {
  spec: { image: env.image },
  leftovers: containersFor,
  neverReadyTimeoutMs: 15_000,
});

describe('docker executor on Podman: what the container gets', () => {
  const dirs: string[] = [];
  function dir(): string {
    const d = mkdtempSync(join(tmpdir(), 'vlmhb-docker-'));
    dirs.push(d);
    return d;
  }
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  function spec(marker: string, over: Partial<ServerSpec> = {}): ServerSpec {
    const at = (b: { host: string; port: number }) => tesseractAdapter.launch({ model: marker, ...b });
    return {
      framework: 'tesseract',
      model: marker,
      launch: at({ host: '0.0.0.0', port: 8765 }),
      launchAt: at,
      port: 8765,
      healthPath: '/health',
      image: env.image,
      ...over,
    };
  }

  it('labels the container, publishes the port on 127.0.0.1 only, mounts folders read-only', async () => {
    const marker = `labels-${Date.now()}`;
    const data = dir();
    const server = await dockerExecutor.start(
      spec(marker, { mounts: [{ host: data, container: '/data' }] }),
      { device: { kind: 'cpu' }, logDir: dir(), runId: `run-${marker}` },
    );
    try {
      const mine = await api.list([`${LABEL.run}=run-${marker}`]);
      expect(mine.map((c) => c.Id)).toEqual([server.handle]);
      expect(mine[0]?.Labels).toMatchObject({ [LABEL.executor]: 'docker', [LABEL.framework]: 'tesseract' });
      const info = await api.inspect(server.handle ?? '');
      if (!info) throw new Error('container not found');
      const binding = info.HostConfig?.PortBindings?.['8765/tcp']?.[0];
      expect(binding?.HostIp).toBe('127.0.0.1');
      expect(server.baseUrl).toBe(`http://127.0.0.1:${binding?.HostPort}/v1`);
      expect(info.Mounts).toContainEqual(
        expect.objectContaining({ Source: data, Destination: '/data', RW: false }),
      );
      // Not reachable on the machine's other addresses.
      const external = Object.values(networkInterfaces())
        .flat()
        .find((a) => a && a.family === 'IPv4' && !a.internal);
      if (external) {
        await expect(
          fetch(`http://${external.address}:${binding?.HostPort}/health`, {
            signal: AbortSignal.timeout(3_000),
          }),
        ).rejects.toThrow();
      }
    } finally {
      await server.stop();
    }
    expect(await containersFor(marker)).toEqual([]);
  });

  it('a GPU task on Podman gets its one GPU as the CDI device nvidia.com/gpu=N', async () => {
    expect(installFakeCdiGpu(), 'needs a machine without a real NVIDIA CDI spec').toBe(true);
    const marker = `gpu-${Date.now()}`;
    try {
      const server = await dockerExecutor.start(spec(marker), {
        device: { kind: 'gpu', index: 2 },
        logDir: dir(),
      });
      try {
        // The server process in the container, seen from the host: the CDI edit for device 2 reached it.
        const environ = readFileSync(`/proc/${server.pid}/environ`, 'utf8').split('\0');
        expect(environ).toContain('VLMHB_FAKE_CDI_GPU=2');
        expect(environ).toContain('OMP_THREAD_LIMIT=1'); // the adapter's launch env
        expect((await fetch(`${server.baseUrl.replace(/\/v1$/, '')}/health`)).status).toBe(200);
      } finally {
        await server.stop();
      }
    } finally {
      removeFakeCdiGpu();
    }
    expect(await containersFor(marker)).toEqual([]);
    expect(processesWith(marker)).toEqual([]);
  });

  it('an image that is not here and cannot be pulled fails with a clear error; nothing created', async () => {
    const marker = `pull-${Date.now()}`;
    const logs: string[] = [];
    const err = await dockerExecutor
      .start(spec(marker, { image: 'localhost/vlmhb-no-such-image:0' }), {
        device: { kind: 'cpu' },
        logDir: dir(),
        log: (m) => logs.push(m),
      })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'VLMHB_EXECUTOR_FAILED' });
    expect((err as Error).message).toMatch(
      /image localhost\/vlmhb-no-such-image:0 is not on this machine and could not be pulled: .*localhost/,
    );
    expect(logs).toContain('executor docker: pulling localhost/vlmhb-no-such-image:0');
    expect(await containersFor(marker)).toEqual([]);
  });

  it('without an image it refuses before touching the engine', async () => {
    const { image: _none, ...noImage } = spec('x');
    await expect(
      dockerExecutor.start(noImage, { device: { kind: 'cpu' }, logDir: dir() }),
    ).rejects.toMatchObject({
      code: 'VLMHB_EXECUTOR_FAILED',
      message: expect.stringContaining('no image for tesseract'),
    });
  });
});
