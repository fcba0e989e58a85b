import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { PlannedTask } from '../../src/config/types.js';
import { isVlmhbError } from '../../src/errors.js';
import { selectDevices } from '../../src/scheduler/devices.js';
import { planSchedule } from '../../src/scheduler/plan.js';
import { plannedTask } from '../helpers/task.js';

const smiList = readFileSync(
  fileURLToPath(new URL('../fixtures/nvidia-smi/query-gpu-3xa100.csv', import.meta.url)),
  'utf8',
);

function t(index: number, over: Partial<PlannedTask>): PlannedTask {
  return plannedTask('/data/ds', {
    index,
    framework: 'vllm',
    model: `m${index}`,
    executor: 'docker',
    ...over,
  });
}

describe('devices', () => {
  it('takes every GPU nvidia-smi lists, or the ones --gpus / CUDA_VISIBLE_DEVICES name', () => {
    expect(selectDevices({ smiList }).map((d) => d.index)).toEqual([0, 1, 2]);
    expect(selectDevices({ smiList, gpus: '2,0' }).map((d) => [d.index, d.memoryTotalMb])).toEqual([
      [2, 40960],
      [0, 40960],
    ]);
    expect(selectDevices({ smiList, cudaVisibleDevices: '1' }).map((d) => d.index)).toEqual([1]);
    // --gpus wins over the environment.
    expect(selectDevices({ smiList, gpus: '0', cudaVisibleDevices: '1' }).map((d) => d.index)).toEqual([0]);
    expect(
      selectDevices({ smiList, cudaVisibleDevices: 'GPU-1e6b9d2c-7a4f-4c1b-8e3d-5f2a6c9b0e47' })[0]?.index,
    ).toBe(1);
    // Without nvidia-smi the selection is taken as given.
    expect(selectDevices({ gpus: '0,2,5' }).map((d) => d.index)).toEqual([0, 2, 5]);
    expect(selectDevices({})).toEqual([]);
  });

  it('rejects GPUs that do not exist, repeats and garbage with a usage error', () => {
    for (const gpus of ['7', '0,0', 'x']) {
      try {
        selectDevices({ smiList, gpus });
        expect.unreachable();
      } catch (e) {
        expect(isVlmhbError(e) && e.code).toBe('VLMHB_USAGE');
      }
    }
  });
});

describe('planSchedule', () => {
  const gpus = selectDevices({ smiList });

  it('puts 6 GPU tasks on 3 GPUs in 2 rounds, one task per GPU at a time', () => {
    const s = planSchedule(
      [0, 1, 2, 3, 4, 5].map((i) => t(i, {})),
      gpus,
    );
    expect(s.rounds).toHaveLength(2);
    for (const r of s.rounds) {
      expect(r.groups.map((g) => (g.device.kind === 'gpu' ? g.device.index : -1))).toEqual([0, 1, 2]);
      expect(r.groups.every((g) => g.tasks.length === 1)).toBe(true);
    }
    expect(s.rounds.flatMap((r) => r.groups.map((g) => g.tasks[0]?.index))).toEqual([0, 1, 2, 3, 4, 5]);
    expect(s.cpu).toEqual([]);
  });

  it('shares one server between consecutive tasks with identical server settings', () => {
    const tasks = [
      ...['a', 'b', 'c', 'd'].map((p, i) => t(i, { model: 'qwen', promptCollectionFile: `/p/${p}.csv` })),
      t(4, { model: 'qwen', launch: { maxModelLen: 4096 } }),
      t(5, { model: 'qwen', promptCollectionFile: '/p/a.csv' }),
    ];
    const s = planSchedule(tasks, gpus);
    expect(s.rounds).toHaveLength(1);
    // Four prompt collections on one model: one server; other launch options: another; not consecutive: a third.
    expect(s.rounds[0]?.groups.map((g) => g.tasks.map((x) => x.index))).toEqual([[0, 1, 2, 3], [4], [5]]);
  });

  it('runs the embedded engine, hosted APIs and external servers in the CPU pool', () => {
    const s = planSchedule(
      [
        t(0, { framework: 'tesseract', model: 'tesseract-5', executor: 'local' }),
        t(1, {
          framework: 'openai',
          model: 'gpt-4o',
          executor: 'external',
          baseUrl: 'https://api.openai.com/v1',
        }),
        t(2, { executor: 'external', baseUrl: 'http://127.0.0.1:8000/v1' }),
        t(3, {}),
      ],
      gpus,
    );
    expect(s.cpu.map((g) => g.tasks[0]?.index)).toEqual([0, 1, 2]);
    expect(s.cpu.map((g) => g.startsServer)).toEqual([true, false, false]);
    expect(s.rounds.flatMap((r) => r.groups.map((g) => g.tasks[0]?.index))).toEqual([3]);
  });

  it('refuses GPU tasks when there is no GPU, naming the task', () => {
    try {
      planSchedule([t(0, {})], []);
      expect.unreachable();
    } catch (e) {
      expect(isVlmhbError(e) && e.code).toBe('VLMHB_USAGE');
      expect((e as Error).message).toMatch(/task 1 \(vllm · m0, executor docker\) needs a GPU/);
    }
  });
});
