import { join } from 'node:path';
import { latestAttempt, type Submission } from './manifest.js';
import { answeredCount } from './progress.js';
import type { JobInfo } from './states.js';

/** One task's state as `vlmhb slurm status` prints it. */
export interface TaskStatus {
  index: number;
  task: string;
  runDir: string;
  jobId: string | null;
  /** Slurm's live state when it still knows the job, else the last one recorded. */
  state: string;
  reason: string;
  attempts: number;
  answered: number;
  failed: number;
  total: number;
  final: string | null;
}

/** Pure: manifest + what Slurm says now + the answer logs' counts → rows. */
export function taskStatuses(
  sub: Submission,
  live: Map<string, JobInfo>,
  answered: (runDir: string) => { answered: number; failed: number } = (d) =>
    answeredCount(join(d, 'answers.jsonl')),
): TaskStatus[] {
  return sub.tasks.map((t) => {
    const a = latestAttempt(t);
    const info = a ? live.get(a.jobId) : undefined;
    const counts = answered(t.runDir);
    return {
      index: t.index,
      task: t.label,
      runDir: t.runDir,
      jobId: a?.jobId ?? null,
      state: info?.state ?? a?.state ?? 'NOT_SUBMITTED',
      reason: info?.reason ?? '',
      attempts: t.attempts.length,
      answered: counts.answered,
      failed: counts.failed,
      total: t.total,
      final: t.final ?? null,
    };
  });
}

export function statusTable(rows: TaskStatus[]): string {
  const head = ['#', 'Task', 'Job', 'State', 'Attempts', 'Answered', 'Errors', 'Run folder'];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const r of rows) {
    const state = r.reason ? `${r.state} (${r.reason})` : r.state;
    const cells = [
      String(r.index + 1),
      r.task,
      r.jobId ?? '–',
      state,
      String(r.attempts),
      `${r.answered}/${r.total}`,
      String(r.failed),
      r.runDir,
    ].map((c) => c.replace(/\|/g, '\\|').replace(/\r?\n/g, ' '));
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return `${lines.join('\n')}\n`;
}
