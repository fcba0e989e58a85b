import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { DockerApi, resolveSocket } from '../../src/executors/docker/api.js';
import { LABEL } from '../../src/executors/docker/body.js';
import { ROOT } from '../helpers/cli.js';
import { podmanForTests } from '../helpers/podman.js';
import { processesWith } from './suite.js';

// A process holding a server (through the local or the docker executor) gets SIGTERM, as from a scheduler
// or `kill`: the server must be gone afterwards — no container (asked through the API), no process (the
// process table) — and the holder exits 130 (interrupted).
const env = await podmanForTests();
const api = new DockerApi(resolveSocket());
afterAll(async () => {
  await api.close();
});

const HOLDER = join(ROOT, 'test', 'fixtures', 'executor-holder.ts');

describe.each(['local', 'docker'])('SIGTERM to a process holding a %s server', (executor) => {
  it('stops the server and leaves no container and no child process', async () => {
    const marker = `sigterm-${executor}-${Date.now()}`;
    const child = execa(process.execPath, ['--import', 'tsx', HOLDER, executor, marker, env.image], {
      cwd: ROOT,
      reject: false,
      env: { DOCKER_HOST: env.dockerHost },
    });
    const baseUrl = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /READY (\S+)/.exec(out);
        if (m?.[1]) resolve(m[1]);
      });
      void child.then((r) => reject(new Error(`holder exited early: ${r.stderr}`)));
    });
    expect((await fetch(`${baseUrl.replace(/\/v1$/, '')}/health`)).status).toBe(200);
    expect(processesWith(marker).length).toBeGreaterThan(0);
    const containers = await api.list([`${LABEL.model}=${marker}`]);
    expect(containers).toHaveLength(executor === 'docker' ? 1 : 0);

    child.kill('SIGTERM');
    const result = await child;
    expect(result.exitCode).toBe(130);
    expect(result.stderr).toContain('SIGTERM: stopping 1 server(s)');
    expect(await api.list([`${LABEL.model}=${marker}`])).toEqual([]);
    expect(processesWith(marker)).toEqual([]);
    await expect(fetch(`${baseUrl.replace(/\/v1$/, '')}/health`)).rejects.toThrow();
  });
});
