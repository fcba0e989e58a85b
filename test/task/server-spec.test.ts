import { describe, expect, it } from 'vitest';
import type { PlannedTask } from '../../src/config/types.js';
import { serverKey, serverSpec } from '../../src/task/server.js';
import { plannedTask } from '../helpers/task.js';

describe('the server spec of a planned task', () => {
  it('docker: listens on every interface inside the container and mounts the datasets read-only at their path', () => {
    const task = plannedTask('/data/Datasets/snils', {
      executor: 'docker',
      dockerImage: 'localhost/vlmhb:1',
    });
    const spec = serverSpec(task, 8765, [
      '/data/Datasets/snils',
      '/data/Datasets/inn',
      '/data/Datasets/snils',
    ]);
    expect(spec.launch.argv).toEqual(expect.arrayContaining(['--host', '0.0.0.0', '--port', '8765']));
    expect(spec.image).toBe('localhost/vlmhb:1');
    expect(spec.mounts).toEqual([
      { host: '/data/Datasets/snils', container: '/data/Datasets/snils' },
      { host: '/data/Datasets/inn', container: '/data/Datasets/inn' },
    ]);
    expect(serverSpec(task, 8765).mounts).toEqual([
      { host: '/data/Datasets/snils', container: '/data/Datasets/snils' },
    ]);
  });

  it('local: 127.0.0.1, nothing to mount (the process sees the host)', () => {
    const spec = serverSpec(plannedTask('/data/ds', { executor: 'local' }), 8765);
    expect(spec.launch.argv).toEqual(expect.arrayContaining(['--host', '127.0.0.1']));
    expect(spec.mounts).toBeUndefined();
  });

  it('tasks share a server only when framework, model, image, launch options and executor settings agree', () => {
    const base = plannedTask('/data/ds', { executor: 'docker', framework: 'vllm', model: 'm' });
    expect(serverKey({ ...base, promptCollectionFile: '/p/b.csv', datasetDir: '/other' })).toBe(
      serverKey(base),
    );
    const changes: Partial<PlannedTask>[] = [
      { model: 'm2' },
      { dockerImage: 'vllm/vllm-openai:v0.11.0' },
      { launch: { maxModelLen: 8192 } },
      { executorOptions: { shm_size: '8g' } },
      { executor: 'local' },
    ];
    for (const change of changes) expect(serverKey({ ...base, ...change })).not.toBe(serverKey(base));
  });
});
