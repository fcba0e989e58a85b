import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { vlmhb } from '../helpers/cli.js';
import { writeMiniDataset } from '../helpers/mini-dataset.js';

// A stand-in nvidia-smi (test/fixtures/nvidia-smi/nvidia-smi, says so on stderr) first on PATH: this
// machine has no GPU.
const fakeSmiDir = fileURLToPath(new URL('../fixtures/nvidia-smi/', import.meta.url));
const env = { PATH: `${fakeSmiDir}${delimiter}${process.env['PATH']}`, CUDA_VISIBLE_DEVICES: '' };

function config(): string {
  const root = mkdtempSync(join(tmpdir(), 'vlmhb-plan-'));
  writeMiniDataset(join(root, 'Datasets', 'mini'));
  const file = join(root, 'config.yaml');
  writeFileSync(
    file,
    [
      'defaults: { dataset: mini, framework: vllm, executor: docker }',
      'tasks:',
      ...[1, 2, 3, 4, 5, 6].map((i) => `  - { model: "Qwen/Qwen2-VL-${i}B" }`),
      '  - { framework: tesseract, executor: external }',
      '  - { framework: tesseract, model: ocr-local, executor: local, docker_image: "localhost/vlmhb:1" }',
      '',
    ].join('\n'),
  );
  return file;
}

describe('vlmhb plan (stand-in nvidia-smi with 3 GPUs)', () => {
  it('shows 6 GPU tasks in 2 rounds, one task per GPU, the commands to start, and runs nothing', async () => {
    const file = config();
    const r = await vlmhb(['plan', file, '--json'], {
      env: { ...process.env, ...env, CUDA_VISIBLE_DEVICES: undefined },
    });
    expect(r.exitCode, String(r.stderr)).toBe(0);
    // Nothing ran: no run folder, no results, only the config and its dataset.
    expect(readdirSync(dirname(file)).sort()).toEqual(['Datasets', 'config.yaml']);
    const plan = JSON.parse(String(r.stdout));
    expect(plan.devices.map((d: { index: number }) => d.index)).toEqual([0, 1, 2]);
    expect(plan.rounds).toHaveLength(2);
    for (const round of plan.rounds) {
      expect(round.groups.map((g: { device: { index: number } }) => g.device.index)).toEqual([0, 1, 2]);
      for (const g of round.groups) {
        expect(g.tasks).toHaveLength(1);
        expect(g.executor).toBe('docker');
        expect(g.image).toBe('vllm/vllm-openai:latest');
        expect(g.command).toMatch(/^vllm serve Qwen\/Qwen2-VL-\dB --host 0\.0\.0\.0 --port 8000/);
      }
    }
    expect(plan.rounds[0].groups[0].mounts).toEqual([
      {
        host: plan.rounds[0].groups[0].tasks[0].planned.datasetDir,
        container: plan.rounds[0].groups[0].tasks[0].planned.datasetDir,
      },
    ]);
    expect(plan.cpu).toHaveLength(2);
    expect(plan.cpu[0]).toMatchObject({
      executor: 'external',
      starts_server: false,
      device: { kind: 'cpu' },
    });
    // A process started on this machine: no image, nothing to mount, however the task names an image.
    expect(plan.cpu[1]).toMatchObject({ executor: 'local', starts_server: true, image: null, mounts: [] });
    expect(plan.cpu[1].command).toMatch(
      /vlmhb serve --framework tesseract --model ocr-local --host 127\.0\.0\.1/,
    );
    expect(plan.rounds[1].groups[2].tasks[0].planned).toMatchObject({
      model: 'Qwen/Qwen2-VL-6B',
      executor: 'docker',
    });
  });

  it('honours --gpus and prints a readable plan', async () => {
    const r = await vlmhb(['plan', config(), '--gpus', '0,2'], {
      env: { ...process.env, ...env, CUDA_VISIBLE_DEVICES: undefined },
    });
    expect(r.exitCode, String(r.stderr)).toBe(0);
    const out = String(r.stdout);
    expect(out).toContain('Round 3 of 3');
    expect(out).toContain(
      'GPU 2 (NVIDIA A100-SXM4-40GB): start vllm · Qwen/Qwen2-VL-2B (executor docker, image vllm/vllm-openai:latest)',
    );
    expect(out).not.toContain('GPU 1 ');
    expect(out).toContain('CPU pool');
  });

  it('refuses GPU tasks when no GPU is visible', async () => {
    const r = await vlmhb(['plan', config()], {
      env: { ...process.env, PATH: process.env['PATH'], CUDA_VISIBLE_DEVICES: undefined },
    });
    expect(r.exitCode).toBe(2);
    expect(String(r.stderr)).toMatch(/needs a GPU and none was found/);
  });
});
