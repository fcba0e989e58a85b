import { describe, expect, it } from 'vitest';
import type { Submission } from '../../src/slurm/manifest.js';
import { statusTable, taskStatuses } from '../../src/slurm/status.js';

const sub: Submission = {
  version: 1,
  id: 's',
  dir: '/runs/slurm/s',
  createdAt: '2026-12-01T00:00:00.000Z',
  tasks: [
    {
      index: 0,
      label: 'SNILS · vllm · Qwen | 2B',
      taskFile: '/runs/slurm/s/task-0.json',
      runDir: '/runs/a',
      total: 9,
      maxRequeues: 1,
      attempts: [
        { jobId: '7_0', submittedAt: 't', state: 'CANCELLED' },
        { jobId: '9', submittedAt: 't', state: 'PENDING' },
      ],
    },
    {
      index: 1,
      label: 'SNILS · tesseract · tesseract-5',
      taskFile: '/runs/slurm/s/task-1.json',
      runDir: '/runs/b',
      total: 9,
      maxRequeues: 1,
      attempts: [{ jobId: '7_1', submittedAt: 't', state: 'COMPLETED' }],
      final: 'completed',
    },
  ],
};

describe('slurm status rows', () => {
  it('prefer what Slurm says now, fall back to the manifest; count answers; escape the table', () => {
    const live = new Map([['9', { jobId: '9', state: 'RUNNING' as const, reason: '' }]]);
    const counts: Record<string, { answered: number; failed: number }> = {
      '/runs/a': { answered: 4, failed: 1 },
      '/runs/b': { answered: 9, failed: 0 },
    };
    const rows = taskStatuses(sub, live, (d) => counts[d] ?? { answered: 0, failed: 0 });
    expect(rows.map((r) => [r.jobId, r.state, r.attempts, r.answered, r.failed, r.final])).toEqual([
      ['9', 'RUNNING', 2, 4, 1, null],
      ['7_1', 'COMPLETED', 1, 9, 0, 'completed'],
    ]);
    expect(statusTable(rows)).toBe(
      [
        '| # | Task | Job | State | Attempts | Answered | Errors | Run folder |',
        '|---|---|---|---|---|---|---|---|',
        '| 1 | SNILS · vllm · Qwen \\| 2B | 9 | RUNNING | 2 | 4/9 | 1 | /runs/a |',
        '| 2 | SNILS · tesseract · tesseract-5 | 7_1 | COMPLETED | 1 | 9/9 | 0 | /runs/b |',
        '',
      ].join('\n'),
    );
  });
});
