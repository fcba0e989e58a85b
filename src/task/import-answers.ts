import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { originalPrefix } from '../config/names.js';
import type { PlannedTask } from '../config/types.js';
import type { Dataset } from '../dataset/types.js';
import { VlmhbError } from '../errors.js';
import { readOriginalAnswers } from '../report/original-answers.js';
import type { AnswersLog } from '../runner/answers-log.js';

/**
 * `only_evaluate_metrics` on a task whose run folder has no log yet: take the newest answers file the
 * original project (or an earlier run) left in ModelsAnswers/ for the same dataset, framework, model, task.
 */
export function importOriginalAnswersIfNeeded(
  task: PlannedTask,
  dataset: Dataset,
  answersLog: AnswersLog,
  log: (m: string) => void,
): void {
  if (answersLog.records().length > 0) return;
  const prefix = `${originalPrefix(task)}_answers_`;
  const candidates = existsSync(task.answersDir)
    ? readdirSync(task.answersDir)
        .filter((f) => f.startsWith(prefix) && f.endsWith('.csv'))
        .sort()
    : [];
  const newest = candidates.at(-1);
  if (!newest) {
    throw new VlmhbError(
      'VLMHB_ANSWERS_INVALID',
      `only_evaluate_metrics is set but no answers exist: no answers log in the run folder and no ${prefix}*.csv in ${task.answersDir}`,
      {
        where: {
          file: task.source.file,
          ...(task.source.row ? { row: task.source.row } : {}),
          column: 'only_evaluate_metrics',
        },
      },
    );
  }
  const file = join(task.answersDir, newest);
  log(`re-scoring answers from ${file}`);
  const answers = readOriginalAnswers(file);
  const samples = new Map(dataset.samples.map((s) => [s.id, s]));
  const at = new Date().toISOString();
  for (const [id, answer] of answers) {
    const s = samples.get(id);
    if (!s) continue;
    answersLog.append({
      id,
      docId: s.docId,
      docClass: s.docClass,
      questionType: s.questionType,
      prompt: '',
      answer,
      error: null,
      latencyMs: 0,
      framework: task.framework,
      model: task.model,
      settings: { importedFrom: file },
      at,
      attempt: 1,
    });
  }
}
