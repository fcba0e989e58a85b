import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { apptainerBinary, apptainerCommand, imageRef } from '../../src/executors/apptainer-command.js';

const launch = {
  argv: ['vlmhb', 'serve', '--framework', 'tesseract', '--port', '8765'],
  env: { OMP_THREAD_LIMIT: '1', ODD: 'a,b=c' },
};

describe('apptainer command', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vlmhb-sif-'));
  writeFileSync(join(dir, 'img.sif'), 'not really a sif');

  it('image references: local files as they are, schemes as written, bare names as docker://', () => {
    expect(imageRef(join(dir, 'img.sif'))).toBe(join(dir, 'img.sif'));
    expect(imageRef('img.sif', dir)).toBe(join(dir, 'img.sif'));
    expect(imageRef('./sandbox', dir)).toBe(join(dir, 'sandbox'));
    expect(imageRef('vllm/vllm-openai:v0.11.0')).toBe('docker://vllm/vllm-openai:v0.11.0');
    expect(imageRef('docker://lmsysorg/sglang:latest')).toBe('docker://lmsysorg/sglang:latest');
    expect(imageRef('oras://ghcr.io/x/y:1')).toBe('oras://ghcr.io/x/y:1');
  });

  it('CPU: no --nv, binds read-only unless rw, launch env as APPTAINERENV_*, argv untouched', () => {
    const c = apptainerCommand({
      spec: {
        framework: 'tesseract',
        image: join(dir, 'img.sif'),
        mounts: [
          { host: '/data/ds', container: '/ds' },
          { host: '/runs/r', container: '/out', rw: true },
        ],
        options: {
          apptainer_bin: '/opt/wrap.sh',
          binds: ['/models:/models:ro'],
          apptainer_args: ['--cleanenv'],
        },
      },
      launch,
      device: { kind: 'cpu' },
      env: {},
    });
    expect(c.argv).toEqual([
      '/opt/wrap.sh',
      'exec',
      '--bind',
      '/data/ds:/ds:ro',
      '--bind',
      '/runs/r:/out',
      '--bind',
      '/models:/models:ro',
      '--cleanenv',
      join(dir, 'img.sif'),
      ...launch.argv,
    ]);
    expect(c.env).toEqual({
      OMP_THREAD_LIMIT: '1',
      APPTAINERENV_OMP_THREAD_LIMIT: '1',
      ODD: 'a,b=c',
      APPTAINERENV_ODD: 'a,b=c',
    });
  });

  it('GPU: --nv and the pinned device inside and out; inside a Slurm GPU job too', () => {
    const gpu = apptainerCommand({
      spec: { framework: 'vllm', image: 'vllm/vllm-openai:v0.11.0' },
      launch: { argv: ['vllm', 'serve', 'm'], env: {} },
      device: { kind: 'gpu', index: 3 },
      env: { VLMHB_APPTAINER: 'singularity' },
    });
    expect(gpu.argv).toEqual([
      'singularity',
      'exec',
      '--nv',
      'docker://vllm/vllm-openai:v0.11.0',
      'vllm',
      'serve',
      'm',
    ]);
    expect(gpu.env).toEqual({ CUDA_VISIBLE_DEVICES: '3', APPTAINERENV_CUDA_VISIBLE_DEVICES: '3' });
    const slurmJob = apptainerCommand({
      spec: { framework: 'vllm', image: 'docker://x/y' },
      launch: { argv: ['vllm'], env: {} },
      device: { kind: 'cpu' },
      env: { SLURM_JOB_ID: '12', CUDA_VISIBLE_DEVICES: '0', PATH: '' },
    });
    expect(slurmJob.argv.slice(0, 3)).toEqual(['apptainer', 'exec', '--nv']);
  });

  it('without an image the error says which setting to give', () => {
    expect(() =>
      apptainerCommand({ spec: { framework: 'vllm' }, launch, device: { kind: 'cpu' }, env: {} }),
    ).toThrow(/docker_image/);
  });

  it('binary: option, then VLMHB_APPTAINER, then apptainer or singularity on PATH', () => {
    const bin = mkdtempSync(join(tmpdir(), 'vlmhb-bin-'));
    writeFileSync(join(bin, 'singularity'), '');
    expect(apptainerBinary({ apptainer_bin: '/x' }, { VLMHB_APPTAINER: '/y' })).toBe('/x');
    expect(apptainerBinary({}, { VLMHB_APPTAINER: '/y', PATH: bin })).toBe('/y');
    expect(apptainerBinary({}, { PATH: bin })).toBe('singularity');
  });
});
