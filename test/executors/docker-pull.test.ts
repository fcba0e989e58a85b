import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { tesseractAdapter } from '../../src/engines/frameworks/tesseract.js';
import { DockerApi, resolveSocket } from '../../src/executors/docker/api.js';
import { LABEL } from '../../src/executors/docker/body.js';
import { dockerExecutor } from '../../src/executors/docker.js';
import { ROOT } from '../helpers/cli.js';
import { podmanForTests } from '../helpers/podman.js';

// A missing image is pulled through the engine, with progress: real Podman pulling from a real registry
// (Debian's docker-registry on 127.0.0.1, TLS trusted through certs.d; scripts/podman-registry.sh).
await podmanForTests();
const registry = (await execa('bash', [join(ROOT, 'scripts', 'podman-registry.sh')])).stdout.trim();
const api = new DockerApi(resolveSocket());
const podman = (args: string[]) =>
  execa('podman', args, {
    env: { CONTAINERS_CONF: process.env['CONTAINERS_CONF'] ?? '/run/vlmhb-podman/containers.conf' },
  });
const dirs: string[] = [];
const images: string[] = [];
afterAll(async () => {
  await api.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  for (const i of images) await podman(['rmi', '--force', i]).catch(() => {});
});

/** A one-file image pushed to the registry and removed here, so only a pull can bring it back. */
async function pushTinyImage(ref: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'vlmhb-pull-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'root'));
  writeFileSync(join(dir, 'root', 'hello.txt'), 'no server in here\n');
  await execa('tar', ['-C', join(dir, 'root'), '-cf', join(dir, 'tiny.tar'), '.']);
  await podman(['import', join(dir, 'tiny.tar'), ref]);
  images.push(ref);
  await podman(['push', '--quiet', ref]);
  await podman(['rmi', ref]);
}

describe('docker executor: an image that is not here', () => {
  it('is pulled from its registry with progress on the log, and the container is created from it', async () => {
    const marker = `pull-${Date.now()}`;
    const ref = `${registry}/vlmhb-pull-test:${marker}`;
    await pushTinyImage(ref);
    expect(await api.imageExists(ref)).toBe(false);

    const logs: string[] = [];
    const at = (b: { host: string; port: number }) => tesseractAdapter.launch({ model: marker, ...b });
    const logDir = mkdtempSync(join(tmpdir(), 'vlmhb-pull-log-'));
    dirs.push(logDir);
    const err = await dockerExecutor
      .start(
        {
          framework: 'tesseract',
          model: marker,
          launch: at({ host: '0.0.0.0', port: 8765 }),
          launchAt: at,
          port: 8765,
          healthPath: '/health',
          image: ref,
        },
        { device: { kind: 'cpu' }, logDir, log: (m) => logs.push(m), readyTimeoutMs: 60_000 },
      )
      .catch((e: unknown) => e);

    const name = `${registry}/vlmhb-pull-test:${marker}`;
    expect(logs).toContain(`executor docker: pulling ${name}`);
    // The engine's own progress events reach the log (the first at once, then one every 2 s).
    expect(
      logs.some((l) => l.startsWith(`executor docker: pull ${name}: `) && /Pulling|Download/.test(l)),
    ).toBe(true);
    expect(logs).toContain(`executor docker: pulled ${ref}`);
    expect(await api.imageExists(ref)).toBe(true);
    // The pulled image has no `vlmhb` to run: the start fails as a server failure naming the engine's
    // reason, and the container is removed.
    expect(err).toMatchObject({ code: 'VLMHB_SERVER_FAILED' });
    expect((err as Error).message).toMatch(/could not start: .*vlmhb/);
    expect(await api.list([`${LABEL.model}=${marker}`])).toEqual([]);
  }, 120_000);
});
