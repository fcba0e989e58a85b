import { servedFromCache } from '../cache/engine.js';
import type { PlannedTask } from '../config/types.js';
import type { Sample } from '../dataset/types.js';
import { type MetricsResult, scoreItems } from '../metrics/aggregate.js';
import { type SpeedStats, speedStats } from '../metrics/speed.js';
import type { TaskStatus } from '../report/outcome.js';
import type { AnswerRecord } from '../runner/answers-log.js';
import { scoreInput } from './score-input.js';

export interface TaskScores {
  /** Over answered items only (a failed or never-asked item is not a wrong answer). */
  metrics: MetricsResult;
  /** Over every asked item, failures scored as empty answers. */
  withErrors: MetricsResult;
  speed: SpeedStats;
  status: TaskStatus;
}

/**
 * Scores a task's latest answers. Failed items are errors, not wrong answers: `metrics` covers the
 * answered items, `withErrors` counts failures as empty answers, and `status` says how many of each
 * there are, by error code, and whether every item was asked.
 */
export function scoreTask(args: {
  task: PlannedTask;
  samples: Sample[];
  records: AnswerRecord[];
  interrupted: boolean;
  wallSeconds: number;
}): TaskScores {
  const { task, samples, records } = args;
  const byId = new Map(records.map((r) => [r.id, r]));
  const opts = {
    metrics: task.metrics,
    aggregators: task.aggregators,
    ...(task.normalization ? { normalization: task.normalization } : {}),
  };
  const answered = samples.filter((s) => {
    const r = byId.get(s.id);
    return r !== undefined && r.error === null;
  });
  const asked = samples.filter((s) => byId.has(s.id));
  const metrics = scoreItems(
    answered.map((s) => scoreInput(s, byId.get(s.id)?.answer ?? '')),
    opts,
  );
  const withErrors = scoreItems(
    asked.map((s) => {
      const r = byId.get(s.id);
      return scoreInput(s, r && r.error === null ? (r.answer ?? '') : null);
    }),
    { ...opts, aggregators: ['overall'] },
  );
  const errorsByCode: Record<string, number> = {};
  for (const r of records) {
    if (r.error) errorsByCode[r.error.code] = (errorsByCode[r.error.code] ?? 0) + 1;
  }
  const complete = !args.interrupted && asked.length === samples.length;
  // An answer served from the cache (or by an identical request in flight) cost this run no model time:
  // counting it would make a rerun look faster than the model, so speed is over the asked ones only.
  const cached = records.filter((r) => servedFromCache(r.extra));
  const modelAnswered = records.filter((r) => !servedFromCache(r.extra));
  const speed = speedStats(
    modelAnswered.map((r) => ({
      docId: r.docId,
      latencyMs: r.latencyMs,
      ...(r.ttftMs !== undefined ? { ttftMs: r.ttftMs } : {}),
      failed: r.error !== null,
      ...(r.requestId !== undefined ? { requestId: r.requestId } : {}),
    })),
    args.wallSeconds > 0 && records.length === samples.length && modelAnswered.length > 0
      ? args.wallSeconds
      : undefined,
  );
  return {
    metrics,
    withErrors,
    speed,
    status: {
      complete,
      partial: !complete,
      answered: answered.length,
      total: samples.length,
      failed: asked.length - answered.length,
      errors_by_code: errorsByCode,
      ...(cached.length > 0 ? { from_cache: cached.length } : {}),
    },
  };
}

/** Model time: one latency per request (fields of one per-document request share it); cache hits cost none. */
export function modelSeconds(records: readonly AnswerRecord[]): number {
  const seen = new Set<string>();
  let ms = 0;
  for (const r of records) {
    if (servedFromCache(r.extra)) continue;
    const key = r.requestId ?? `f${r.id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    ms += r.latencyMs;
  }
  return ms / 1000;
}
