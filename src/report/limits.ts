import type { TaskLimits } from '../config/types.js';
import type { LimitVerdict } from './outcome.js';

/** Values the limits are checked against, each null when not measured. */
export interface LimitValues {
  cer: number | null;
  wer: number | null;
  anls: number | null;
  exact_match: number | null;
  error_rate: number | null;
  seconds_per_document: number | null;
  hard_seconds_per_document: number | null;
  gpu_memory_gb: number | null;
}

/** Scores where higher is better: the limit is a floor. Every other limit is a ceiling. */
const FLOORS = new Set<keyof TaskLimits>(['anls', 'exact_match']);

/** Pass/fail of every configured limit, in the order written. A value that could not be measured passes nothing. */
export function evaluateLimits(limits: TaskLimits | undefined, values: LimitValues): LimitVerdict[] {
  if (!limits) return [];
  return (Object.entries(limits) as [keyof TaskLimits, number | undefined][]).flatMap(([name, limit]) => {
    if (limit === undefined) return [];
    const raw = values[name];
    const value = raw === null || Number.isNaN(raw) ? null : raw;
    const pass = value === null ? null : FLOORS.has(name) ? value >= limit : value <= limit;
    return [{ name, limit, value, pass }];
  });
}

/** Limits that failed; an unmeasured limit is not a failure but is reported as unknown. */
export function failedLimits(verdicts: readonly LimitVerdict[]): LimitVerdict[] {
  return verdicts.filter((v) => v.pass === false);
}
