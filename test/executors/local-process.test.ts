import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { liveServers } from '../../src/executors/cleanup.js';
import { childEnv, localExecutor, resolveArgv } from '../../src/executors/local.js';
import type { ServerSpec } from '../../src/executors/types.js';
import { ROOT } from '../helpers/cli.js';
import { processesWith } from './suite.js';

const dirs: string[] = [];
function logDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'vlmhb-local-'));
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const FIXTURE = join(ROOT, 'test', 'fixtures', 'forking-server.mjs');

function forkingSpec(marker: string, options?: Record<string, unknown>): ServerSpec {
  const at = ({ port }: { host: string; port: number }) => ({
    argv: [process.execPath, FIXTURE, String(port), marker],
    env: { VLMHB_FIXTURE_MARKER: marker },
  });
  return {
    framework: 'fixture',
    model: marker,
    launch: at({ host: '127.0.0.1', port: 1 }),
    launchAt: at,
    port: 0,
    healthPath: '/health',
    ...(options ? { options } : {}),
  };
}

describe('local executor: processes', () => {
  it('resolves a vlmhb launch to this checkout’s CLI under this node; other programs as given', () => {
    const r = resolveArgv(['vlmhb', 'serve', '--port', '1']);
    expect(r.file).toBe(process.execPath);
    expect(r.args).toEqual([join(ROOT, 'bin', 'vlmhb.js'), 'serve', '--port', '1']);
    expect(resolveArgv(['vllm', 'serve', 'm'])).toEqual({ file: 'vllm', args: ['serve', 'm'] });
  });

  it('pins the GPU with CUDA_VISIBLE_DEVICES (by UUID when known, else index in PCI order); a CPU task sees no GPU', () => {
    const base = { PATH: '/bin', CUDA_VISIBLE_DEVICES: '0,1,2,3' };
    expect(childEnv(base, { A: '1' }, { kind: 'gpu', index: 2 })).toMatchObject({
      PATH: '/bin',
      A: '1',
      CUDA_VISIBLE_DEVICES: '2',
      // nvidia-smi's numbering (PCI bus order), not CUDA's default fastest-first.
      CUDA_DEVICE_ORDER: 'PCI_BUS_ID',
    });
    // With the UUID nvidia-smi listed, the GPU is named by it: no numbering to disagree about.
    const uuid = 'GPU-8c3f5a1e-2b7d-4e9a-b1c6-0d4f7e2a9b31';
    expect(childEnv(base, {}, { kind: 'gpu', index: 0, uuid })['CUDA_VISIBLE_DEVICES']).toBe(uuid);
    expect(childEnv(base, {}, { kind: 'cpu' })['CUDA_VISIBLE_DEVICES']).toBe('');
  });

  it('the child really runs with the pinned GPU and the adapter env; its own process group', async () => {
    const marker = `env-${process.pid}-${Date.now()}`;
    const dir = logDir();
    const server = await localExecutor.start(forkingSpec(marker, { stop_timeout_s: 0.5 }), {
      device: { kind: 'gpu', index: 5 },
      logDir: dir,
    });
    try {
      const env = readFileSync(`/proc/${server.pid}/environ`, 'utf8').split('\0');
      expect(env).toContain('CUDA_VISIBLE_DEVICES=5');
      expect(env).toContain(`VLMHB_FIXTURE_MARKER=${marker}`);
      // detached: the server leads its own group, apart from ours
      const stat = readFileSync(`/proc/${server.pid}/stat`, 'utf8');
      const pgid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
      expect(pgid).toBe(server.pid);
    } finally {
      await server.stop();
    }
  });

  it('stop kills a server that ignores SIGTERM and the worker it forked (SIGKILL to the group after the grace period)', async () => {
    const marker = `fork-${process.pid}-${Date.now()}`;
    const dir = logDir();
    const server = await localExecutor.start(forkingSpec(marker, { stop_timeout_s: 0.5 }), {
      device: { kind: 'cpu' },
      logDir: dir,
    });
    expect(processesWith(marker)).toHaveLength(2); // server + worker
    expect(liveServers()).toBe(1); // tracked, so an interrupted run can stop it
    await server.stop();
    expect(processesWith(marker)).toEqual([]);
    expect(liveServers()).toBe(0);
    expect(readFileSync(server.logFile, 'utf8')).toContain('forking-server: ignoring SIGTERM');
  });

  it('a program that does not exist fails at once with a located error', async () => {
    const spec: ServerSpec = {
      framework: 'vllm',
      model: 'm',
      launch: { argv: ['vlmhb-no-such-program-xyz', 'serve'], env: {} },
      port: 0,
      healthPath: '/health',
    };
    await expect(
      localExecutor.start(spec, { device: { kind: 'cpu' }, logDir: logDir() }),
    ).rejects.toMatchObject({
      code: 'VLMHB_SERVER_FAILED',
      message: expect.stringContaining('could not start: spawn vlmhb-no-such-program-xyz ENOENT'),
    });
  });

  it('a framework with nothing to launch is refused', async () => {
    const spec: ServerSpec = {
      framework: 'openai',
      model: 'gpt',
      launch: { argv: [], env: {} },
      port: 0,
      healthPath: '/health',
    };
    await expect(
      localExecutor.start(spec, { device: { kind: 'cpu' }, logDir: logDir() }),
    ).rejects.toMatchObject({
      code: 'VLMHB_EXECUTOR_FAILED',
    });
  });
});
