import { join } from 'node:path';
import { VlmhbError } from '../errors.js';
import type { ScheduledOutcome } from '../scheduler/drive.js';
import { runTask } from '../task/run.js';
import type { SlurmTaskInput } from './coordinator.js';
import { latestAttempt, type TaskEntry } from './manifest.js';

/**
 * The results of Slurm tasks as the local path reports them. A task whose job completed (or that had
 * nothing left to ask, `entry` absent) is scored from its run folder by the same task pipeline: every item
 * is already answered, so nothing is asked and no server is started — its executor stays `slurm`, which
 * cannot start one — and the TaskResult is the one a local run gives. A task whose jobs did not complete
 * is a failed task naming its last job and Slurm's output file; it is never re-asked here.
 */
export async function collectResults(
  items: { input: SlurmTaskInput; entry?: TaskEntry }[],
  submissionDir: string,
  log: (m: string) => void,
): Promise<ScheduledOutcome[]> {
  const outcomes: ScheduledOutcome[] = [];
  for (const { input, entry } of items) {
    const task = { ...input.task, executor: 'slurm' };
    const a = entry ? latestAttempt(entry) : undefined;
    if (entry && entry.final !== 'completed') {
      const out = a ? join(submissionDir, outputName(a.jobId)) : submissionDir;
      outcomes.push({
        task,
        ...(entry.final === 'cancelled' ? { notRun: true } : {}),
        error: new VlmhbError(
          'VLMHB_EXECUTOR_FAILED',
          `executor slurm: ${entry.label}: job ${a?.jobId ?? '(none)'} ended ${a?.state ?? 'unsubmitted'}${a?.exitCode ? ` (exit ${a.exitCode})` : ''} after ${entry.attempts.length} attempt(s); see ${out}`,
        ),
      });
      continue;
    }
    try {
      outcomes.push({ task, result: await runTask(task, { log }) });
    } catch (e) {
      outcomes.push({ task, error: e });
    }
  }
  return outcomes;
}

/** Slurm's output file for a job id as submitTasks names it (`slurm-%A_%a.out` / `slurm-%j.out`). */
export function outputName(jobId: string): string {
  return `slurm-${jobId}.out`;
}
