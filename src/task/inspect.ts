import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TaskOutcome } from '../report/outcome.js';
import { AnswersLog } from '../runner/answers-log.js';
import { selectPending } from '../runner/pending.js';
import type { PreparedTask } from './prepare.js';

/**
 * How many items of a prepared task are still to ask (nothing is written). The scheduler skips starting a
 * server for a group whose tasks are all finished.
 */
export async function pendingItems(p: PreparedTask, opts: { retryErrors?: boolean } = {}): Promise<number> {
  if (p.task.onlyEvaluateMetrics) return 0;
  const file = join(p.runDir, 'answers.jsonl');
  if (!existsSync(file)) return p.units.reduce((t, u) => t + u.pending.size, 0);
  // Read-only look before the task runs: the task itself takes the run folder's lock.
  const log = AnswersLog.open(file, { lock: false });
  try {
    const sel = await selectPending(p.units, log, {
      ...(opts.retryErrors ? { retryErrors: true } : {}),
      systemPrompt: p.systemPrompt,
    });
    return sel.units.reduce((t, u) => t + u.pending.size, 0);
  } finally {
    log.close();
  }
}

/** The outcome an earlier run of the same task (same fingerprint) saved, when there is one. */
export function previousOutcome(p: PreparedTask): Partial<TaskOutcome> | undefined {
  try {
    const task = JSON.parse(readFileSync(join(p.runDir, 'task.json'), 'utf8')) as { fingerprint?: string };
    if (task.fingerprint !== p.fingerprint) return undefined;
    return JSON.parse(readFileSync(join(p.runDir, 'metrics.json'), 'utf8')) as Partial<TaskOutcome>;
  } catch {
    return undefined;
  }
}
