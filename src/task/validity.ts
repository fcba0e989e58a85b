import { validityRates } from '../check/validity.js';
import type { Sample } from '../dataset/types.js';
import type { RunValidity } from '../report/save.js';
import type { AnswerRecord } from '../runner/answers-log.js';

/**
 * The label-free validity rates `vlmhb check` computes, for every run: a production run has no references,
 * so a drift in the share of valid СНИЛС/ИНН/dates shows here first. Examples stay in `vlmhb check`.
 */
export function runValidity(records: readonly AnswerRecord[], samples: readonly Sample[]): RunValidity {
  const report = validityRates(records, samples, { examples: 0 });
  return { overall: report.overall, by_field: report.by_field };
}
