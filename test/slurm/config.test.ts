import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { VlmhbError } from '../../src/errors.js';
import { testdir } from '../helpers/testdir.js';

const ANNOTATION = '\ufeffdata_index;split;image_path;question;answer;doc_class;question_type;answer_bbox\n';

describe('the YAML slurm: block', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanups) await c();
  });

  it('merges defaults and task settings key by key', async () => {
    const t = await testdir({
      'c.yml': `defaults:
  framework: tesseract
  slurm: { partition: gpu, account: lab, time: "01:00:00" }
tasks:
  - { dataset: demo }
  - { dataset: demo, slurm: { gres: "gpu:1", time: "02:00:00", extra: ["--exclusive"] } }
`,
      'Datasets/demo/annotation.csv': ANNOTATION,
    });
    cleanups.push(t.cleanup);
    const tasks = await loadConfig(t.path('c.yml'));
    expect(tasks.map((x) => x.slurm)).toEqual([
      { partition: 'gpu', account: 'lab', time: '01:00:00' },
      { partition: 'gpu', account: 'lab', time: '02:00:00', gres: 'gpu:1', extra: ['--exclusive'] },
    ]);
  });

  it('a bad value fails at plan time, located at its key and row', async () => {
    const t = await testdir({
      'c.yml': `tasks:
  - dataset: demo
    framework: tesseract
    slurm:
      time: soon
`,
      'Datasets/demo/annotation.csv': ANNOTATION,
    });
    cleanups.push(t.cleanup);
    const e = await loadConfig(t.path('c.yml')).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(VlmhbError);
    const issue = (e as VlmhbError).issues.find((i) => i.where?.key === 'tasks[0].slurm.time');
    expect(issue?.where?.row).toBe(5);
    expect(issue?.message).toMatch(/time must be/);
  });
});
