import { join } from 'node:path';
import { VlmhbError } from '../errors.js';
import type { ScheduledOutcome } from '../scheduler/drive.js';
import { runTask } from '../task/run.js';
import type { SlurmTaskInput } from './coordinator.js';
import { latestAttempt, type Submission } from './manifest.js';

/**
 * The results of a finished submission as the local path reports them. A completed task is scored from
 * its run folder by the same task pipeline (every item already answered on the node, so nothing is asked
 * and no server is started — its executor stays `slurm`, which cannot start one), giving the same
 * TaskResult a local run gives. A task whose jobs did not complete is a failed task naming its last job
 * and Slurm's output file; it is never re-asked here.
 */
export async function collectResults(
  sub: Submission,
  inputs: SlurmTaskInput[],
  log: (m: string) => void,
): Promise<ScheduledOutcome[]> {
  const outcomes: ScheduledOutcome[] = [];
  for (const entry of sub.tasks) {
    const input = inputs[entry.index];
    if (!input) continue;
    const task = { ...input.task, executor: 'slurm' };
    const a = latestAttempt(entry);
    if (entry.final !== 'completed') {
      const out = a ? join(sub.dir, outputName(a.jobId)) : sub.dir;
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
