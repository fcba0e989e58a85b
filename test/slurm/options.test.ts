import { describe, expect, it } from 'vitest';
import { arrayKey, jobUnits, SlurmOptionsSchema, sbatchArgs } from '../../src/slurm/options.js';

describe('slurm options', () => {
  it('maps every setting to one sbatch argument, in a stable order', () => {
    const o = SlurmOptionsSchema.parse({
      partition: 'gpu',
      account: 'proj 1',
      qos: 'normal',
      time: '1-02:00:00',
      gres: 'gpu:a6000:1',
      gpus: 1,
      cpus_per_task: 8,
      mem: '64G',
      extra: ['--constraint=a6000', '--exclusive'],
    });
    expect(sbatchArgs(o)).toEqual([
      '--partition=gpu',
      '--account=proj 1',
      '--qos=normal',
      '--time=1-02:00:00',
      '--gres=gpu:a6000:1',
      '--gpus=1',
      '--cpus-per-task=8',
      '--mem=64G',
      '--job-name=vlmhb',
      '--constraint=a6000',
      '--exclusive',
    ]);
  });

  it('rejects malformed values with the key that is wrong', () => {
    const bad = SlurmOptionsSchema.safeParse({
      time: 'two hours',
      mem: '64 GB',
      extra: ['exclusive'],
      partition: 'gpu\n#SBATCH --x',
      gpu: 1,
    });
    expect(bad.success).toBe(false);
    const paths = bad.error?.issues.map((i) => i.path.join('.')).sort();
    expect(paths).toEqual(['', 'extra.0', 'mem', 'partition', 'time']);
  });

  it('refuses --requeue among the extra options: the coordinator resubmits, Slurm must not restart the job too', () => {
    for (const extra of [['--requeue'], ['--requeue=1']]) {
      const r = SlurmOptionsSchema.safeParse({ extra });
      expect(r.success).toBe(false);
      expect(r.error?.issues[0]?.message).toMatch(/--requeue is not allowed.*max_requeues/);
    }
    expect(SlurmOptionsSchema.safeParse({ extra: ['--no-requeue'] }).success).toBe(true);
  });

  it('groups only tasks with identical resources and environment', () => {
    const a = SlurmOptionsSchema.parse({ partition: 'p', env: { A: '1', B: '2' } });
    const b = SlurmOptionsSchema.parse({ env: { B: '2', A: '1' }, partition: 'p' });
    const c = SlurmOptionsSchema.parse({ partition: 'p', env: { A: '1' } });
    expect(arrayKey(a)).toBe(arrayKey(b));
    expect(arrayKey(a)).not.toBe(arrayKey(c));
  });
});

describe('jobUnits: which tasks share a job and its server', () => {
  const o = (extra: Record<string, unknown> = {}) => SlurmOptionsSchema.parse({ partition: 'gpu', ...extra });
  it('consecutive tasks on one server form one unit; other servers are array elements of the same job', () => {
    const jobs = jobUnits([
      { options: o(), shareKey: 'qwen' },
      { options: o(), shareKey: 'qwen' },
      { options: o(), shareKey: 'intern' },
      { options: o(), shareKey: 'qwen' },
    ]);
    // Consecutive only (the config's order is the run's), as the local scheduler groups them.
    expect(jobs).toEqual([[[0, 1], [2], [3]]]);
  });
  it('never shares without a server the job starts, across different Slurm settings, or with share_server: false', () => {
    expect(
      jobUnits([
        { options: o(), shareKey: null },
        { options: o(), shareKey: null },
      ]),
    ).toEqual([[[0], [1]]]);
    expect(
      jobUnits([
        { options: o(), shareKey: 'qwen' },
        { options: o({ time: '01:00:00' }), shareKey: 'qwen' },
      ]),
    ).toEqual([[[0]], [[1]]]);
    expect(
      jobUnits([
        { options: o({ share_server: false }), shareKey: 'qwen' },
        { options: o({ share_server: false }), shareKey: 'qwen' },
      ]),
    ).toEqual([[[0], [1]]]);
    expect(
      jobUnits([
        { options: o({ array: false }), shareKey: null },
        { options: o({ array: false }), shareKey: null },
      ]),
    ).toEqual([[[0]], [[1]]]);
  });
});
