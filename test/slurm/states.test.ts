import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  classify,
  normalizeState,
  parseSacct,
  parseSbatch,
  parseScontrolJobs,
  parseSqueue,
} from '../../src/slurm/states.js';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, '../fixtures/slurm', name), 'utf8');

describe('Slurm output parsing', () => {
  it('squeue -t all -r (recorded on the single-node cluster of scripts/slurm-up.sh)', () => {
    const jobs = parseSqueue(fixture('squeue.txt'));
    expect(jobs.map((j) => `${j.jobId}=${j.state}`)).toEqual([
      '2=CANCELLED',
      '8_0=CANCELLED',
      '8_1=CANCELLED',
      '1=COMPLETED',
      '5_2=COMPLETED',
      '5_1=COMPLETED',
      '5_0=COMPLETED',
      '3=FAILED',
      '4=TIMEOUT',
      '10=PENDING',
    ]);
    expect(jobs.find((j) => j.jobId === '4')).toEqual({
      jobId: '4',
      state: 'TIMEOUT',
      reason: 'TimeLimit',
      nodes: 'vm',
    });
    expect(jobs.find((j) => j.jobId === '10')?.nodes).toBeUndefined();
  });

  it('scontrol show job -o (recorded): array elements get their ArrayJobId_ArrayTaskId id', () => {
    const jobs = parseScontrolJobs(fixture('scontrol-show-job.txt'));
    expect(jobs).toEqual([
      { jobId: '5_0', state: 'COMPLETED', reason: '', exitCode: '0:0', nodes: 'vm' },
      { jobId: '4', state: 'TIMEOUT', reason: 'TimeLimit', exitCode: '143:0', nodes: 'vm' },
      { jobId: '2', state: 'CANCELLED', reason: '', exitCode: '0:15', nodes: 'vm' },
      { jobId: '8_1', state: 'CANCELLED', reason: '', exitCode: '0:15', nodes: 'vm' },
    ]);
  });

  it("sacct -X -n -P (sacct's documented format; this cluster keeps no accounting database)", () => {
    const jobs = parseSacct(fixture('sacct.txt'));
    expect(jobs.map((j) => [j.jobId, j.state, j.exitCode])).toEqual([
      ['41', 'COMPLETED', '0:0'],
      ['42', 'CANCELLED', '0:15'],
      ['43', 'TIMEOUT', '0:0'],
      ['44', 'PREEMPTED', '0:0'],
      ['45', 'NODE_FAIL', '1:0'],
      ['46', 'FAILED', '2:0'],
      ['47_0', 'COMPLETED', '0:0'],
      ['47_1', 'RUNNING', '0:0'],
      ['47_[2-3]', 'PENDING', '0:0'],
    ]);
    expect(jobs.find((j) => j.jobId === '47_[2-3]')?.nodes).toBeUndefined();
  });

  it('sbatch --parsable', () => {
    expect(parseSbatch('1234\n')).toBe('1234');
    expect(parseSbatch('1234;cluster-a\n')).toBe('1234');
    expect(() => parseSbatch('sbatch: error: Batch job submission failed')).toThrow(/no job id/);
  });

  it('classifies what the coordinator does next', () => {
    expect(
      ['PENDING', 'RUNNING', 'COMPLETING', 'SUSPENDED', 'REQUEUED'].map((s) => classify(normalizeState(s))),
    ).toEqual(Array(5).fill('active'));
    expect(classify(normalizeState('COMPLETED'))).toBe('done');
    for (const s of [
      'FAILED',
      'TIMEOUT',
      'PREEMPTED',
      'NODE_FAIL',
      'CANCELLED by 0',
      'OUT_OF_MEMORY',
      'BOOT_FAIL',
    ])
      expect(classify(normalizeState(s))).toBe('retry');
    expect(normalizeState('CD')).toBe('COMPLETED');
    expect(normalizeState('CONFIGURING')).toBe('PENDING');
    expect(normalizeState('RESIZING')).toBe('RUNNING');
    expect(classify(normalizeState('SOMETHING_NEW'))).toBe('unknown');
  });
});
