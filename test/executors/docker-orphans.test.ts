import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tesseractAdapter } from '../../src/engines/frameworks/tesseract.js';
import { type ContainerSummary, DockerApi, resolveSocket } from '../../src/executors/docker/api.js';
import { type ContainerPlan, compatCreateBody, LABEL } from '../../src/executors/docker/body.js';
import { orphans } from '../../src/executors/docker/orphans.js';
import { dockerExecutor } from '../../src/executors/docker.js';
import { freePort } from '../../src/executors/shared.js';
import { pidAlive } from '../../src/util/process.js';
import { podmanForTests } from '../helpers/podman.js';

/** A pid that belonged to a process which has exited. */
function deadPid(): number {
  const r = spawnSync('true');
  if (!r.pid) throw new Error('could not run true');
  return r.pid;
}

const summary = (labels: Record<string, string>): ContainerSummary => ({
  Id: 'x'.repeat(64),
  Labels: labels,
});

describe('orphans: which of our containers a dead run left', () => {
  const host = 'node-a';
  const mine = (pid: string, h = host) => ({
    [LABEL.managed]: '1',
    [LABEL.ownerPid]: pid,
    [LABEL.ownerHost]: h,
  });
  it('picks containers of this host whose owner is gone, and nothing else', () => {
    const alive = (pid: number) => pid === 10;
    const found = orphans(
      [
        summary(mine('11')), // owner gone
        summary(mine('10')), // owner alive
        summary(mine('11', 'node-b')), // another host's: its pids mean nothing here
        summary({ [LABEL.managed]: '1', [LABEL.ownerPid]: '11' }), // no host label (older version)
        summary(mine('abc')),
        summary(mine('0')),
      ],
      host,
      alive,
    );
    expect(found).toHaveLength(1);
    expect(found[0]?.Labels?.[LABEL.ownerPid]).toBe('11');
  });

  it('tells a live pid from a dead one', () => {
    expect(pidAlive(process.pid)).toBe(true);
    expect(pidAlive(deadPid())).toBe(false);
  });
});

// Real Podman: a container "left" by a process that no longer exists is removed when the next server starts;
// one whose owner is alive stays.
const env = await podmanForTests();
describe('docker executor removes containers left by a killed run (real Podman)', () => {
  let api: DockerApi;
  beforeAll(() => {
    api = new DockerApi(resolveSocket());
  });
  afterAll(async () => {
    await api.close();
  });

  async function leftover(marker: string, pid: number): Promise<string> {
    const labels = {
      [LABEL.managed]: '1',
      [LABEL.model]: marker,
      [LABEL.ownerPid]: String(pid),
      [LABEL.ownerHost]: hostname(),
    };
    // The same request the executor sends, with a container that only sleeps.
    const plan: ContainerPlan = {
      name: `vlmhb-orphan-${marker}-${pid}`,
      image: env.image,
      launch: { argv: ['sleep', '600'], env: {} },
      containerPort: 8000,
      hostPort: await freePort(),
      device: { kind: 'cpu' },
      binds: [],
      labels,
      ipcHost: false,
    };
    const id = await api.create(plan.name, compatCreateBody(plan, 'podman'));
    await api.start(id);
    return id;
  }

  it('stops and removes the dead owner’s container before starting, and logs it', async () => {
    const marker = `orphan-${Date.now()}`;
    const dead = await leftover(marker, deadPid());
    const living = await leftover(marker, process.pid);
    const logs: string[] = [];
    const at = (b: { host: string; port: number }) => tesseractAdapter.launch({ model: marker, ...b });
    const server = await dockerExecutor.start(
      {
        framework: 'tesseract',
        model: `${marker}-server`,
        launch: at({ host: '0.0.0.0', port: 8765 }),
        launchAt: at,
        port: 8765,
        healthPath: '/health',
        image: env.image,
      },
      {
        device: { kind: 'cpu' },
        logDir: mkdtempSync(join(tmpdir(), 'vlmhb-orphan-')),
        log: (m) => logs.push(m),
      },
    );
    try {
      const left = (await api.list([`${LABEL.model}=${marker}`])).map((c) => c.Id);
      expect(left).toEqual([living]);
      expect(logs.some((l) => l.includes(`removed container ${dead.slice(0, 12)}`))).toBe(true);
    } finally {
      await server.stop();
      await api.remove(living);
    }
  }, 180_000);
});
