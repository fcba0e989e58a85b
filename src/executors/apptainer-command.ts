import { existsSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import type { LaunchSpec } from '../engines/frameworks/types.js';
import type { Device, ServerSpec } from './types.js';

/**
 * The `apptainer exec` command for one server (pure, unit-tested): argv, never a shell. The container shares
 * the host network, so the server inside listens on the node's 127.0.0.1 as a local process would.
 */

/** Apptainer's URI schemes; anything else that is not a local file is a Docker/OCI reference. */
const SCHEMES = [
  'docker://',
  'docker-archive:',
  'docker-daemon:',
  'oci://',
  'oci-archive:',
  'library://',
  'oras://',
  'shub://',
  'http://',
  'https://',
];

/**
 * What apptainer should run: a local `.sif` file or sandbox folder as it is (absolute), a reference with a
 * scheme as written, and a bare Docker reference (`vllm/vllm-openai:v0.11.0`) as `docker://…`, which
 * Apptainer pulls and converts once into its cache (APPTAINER_CACHEDIR).
 */
export function imageRef(image: string, cwd = process.cwd()): string {
  if (SCHEMES.some((s) => image.startsWith(s))) return image;
  const local = isAbsolute(image) ? image : resolve(cwd, image);
  if (image.endsWith('.sif') || image.startsWith('.') || isAbsolute(image) || existsSync(local)) return local;
  return `docker://${image}`;
}

/** The apptainer binary: option `apptainer_bin`, else VLMHB_APPTAINER, else apptainer or singularity on PATH. */
export function apptainerBinary(
  options: Record<string, unknown> | undefined,
  env: NodeJS.ProcessEnv = process.env,
): string {
  const opt = options?.['apptainer_bin'];
  if (typeof opt === 'string' && opt) return opt;
  const fromEnv = env['VLMHB_APPTAINER'];
  if (fromEnv) return fromEnv;
  for (const name of ['apptainer', 'singularity']) {
    for (const dir of (env['PATH'] ?? '').split(delimiter)) {
      if (dir && existsSync(join(dir, name))) return name;
    }
  }
  return 'apptainer';
}

function stringList(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/**
 * `--nv` (bind the host's NVIDIA driver) for a pinned GPU, for option `nv: true`, and inside a Slurm job that
 * was given GPUs (Slurm sets CUDA_VISIBLE_DEVICES to the allocated ones, which the container inherits).
 */
export function wantsNv(
  options: Record<string, unknown> | undefined,
  device: Device,
  env: NodeJS.ProcessEnv,
): boolean {
  if (options?.['nv'] === false) return false;
  if (device.kind === 'gpu' || options?.['nv'] === true) return true;
  const cvd = env['CUDA_VISIBLE_DEVICES'];
  return env['SLURM_JOB_ID'] !== undefined && cvd !== undefined && cvd !== '' && cvd !== 'NoDevFiles';
}

export interface ApptainerCommandInput {
  spec: Pick<ServerSpec, 'framework' | 'image' | 'mounts' | 'options'>;
  launch: LaunchSpec;
  device: Device;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/**
 * `apptainer exec [--nv] [--bind host:container[:ro]]… [extra] IMAGE argv…`, with the launch environment
 * passed as APPTAINERENV_* (Apptainer's own way; `--env` would split values at commas) and, on a GPU, the
 * pinned device in CUDA_VISIBLE_DEVICES inside and out. `--nv` only for a GPU: it binds the host's driver.
 */
export function apptainerCommand(input: ApptainerCommandInput): LaunchSpec {
  const { spec, launch, device } = input;
  if (!spec.image) {
    throw new Error(
      `executor apptainer: no image for ${spec.framework}; set docker_image (a .sif file or a docker:// reference)`,
    );
  }
  if (launch.argv.length === 0)
    throw new Error(`executor apptainer: ${spec.framework} has nothing to launch`);
  const env0 = input.env ?? process.env;
  const argv = [apptainerBinary(spec.options, env0), 'exec'];
  if (wantsNv(spec.options, device, env0)) argv.push('--nv');
  for (const m of spec.mounts ?? []) argv.push('--bind', `${m.host}:${m.container}${m.rw ? '' : ':ro'}`);
  for (const b of stringList(spec.options?.['binds'])) argv.push('--bind', b);
  argv.push(...stringList(spec.options?.['apptainer_args']));
  argv.push(imageRef(spec.image, input.cwd), ...launch.argv);
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(launch.env)) {
    env[k] = v;
    env[`APPTAINERENV_${k}`] = v;
  }
  if (device.kind === 'gpu') {
    env['CUDA_VISIBLE_DEVICES'] = String(device.index);
    env['APPTAINERENV_CUDA_VISIBLE_DEVICES'] = String(device.index);
  }
  return { argv, env };
}
