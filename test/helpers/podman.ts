import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { ROOT } from './cli.js';

/**
 * Real Podman for the docker executor's tests: `scripts/podman-service.sh` serves the Docker Engine API on a
 * unix socket and `scripts/build-image.sh` builds the tool's own image (both idempotent and quick once done;
 * `.ci/run` calls them before the tests so the first build is not paid inside a test hook).
 */
export async function podmanForTests(): Promise<{ dockerHost: string; image: string }> {
  const service = await execa('bash', [join(ROOT, 'scripts', 'podman-service.sh')], { cwd: ROOT });
  const build = await execa('bash', [join(ROOT, 'scripts', 'build-image.sh')], { cwd: ROOT });
  const dockerHost = service.stdout.trim().split('\n').at(-1) ?? '';
  const image = build.stdout.trim().split('\n').at(-1) ?? '';
  process.env['DOCKER_HOST'] = dockerHost;
  return { dockerHost, image };
}

const CDI_DIR = '/var/run/cdi';
const FAKE_CDI = join(CDI_DIR, 'vlmhb-fake-gpu.yaml');

/**
 * A FAKE GPU for Podman: a CDI spec (the real protocol Podman reads for `--device nvidia.com/gpu=N`) whose
 * devices only set VLMHB_FAKE_CDI_GPU=N in the container, so a test sees which GPU Podman attached. Installed
 * only where no real NVIDIA CDI spec exists (this machine has no GPU); returns false otherwise.
 */
export function installFakeCdiGpu(): boolean {
  for (const dir of ['/etc/cdi', CDI_DIR]) {
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir)) {
      const path = join(dir, f);
      if (path !== FAKE_CDI && /kind:\s*"?nvidia\.com\/gpu/.test(readFileSync(path, 'utf8'))) return false;
    }
  }
  mkdirSync(CDI_DIR, { recursive: true });
  const devices = [0, 1, 2, 3]
    .map((i) => `  - name: "${i}"\n    containerEdits:\n      env: ["VLMHB_FAKE_CDI_GPU=${i}"]\n`)
    .join('');
  writeFileSync(
    FAKE_CDI,
    `# FAKE CDI devices for VLMHyperBench's tests (no GPU here): each only sets an environment variable.\n` +
      `cdiVersion: "0.5.0"\nkind: "nvidia.com/gpu"\ndevices:\n${devices}`,
  );
  return true;
}

export function removeFakeCdiGpu(): void {
  rmSync(FAKE_CDI, { force: true });
}
