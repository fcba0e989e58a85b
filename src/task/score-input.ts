import type { Sample } from '../dataset/types.js';
import type { ScoreInput } from '../metrics/aggregate.js';

/**
 * A dataset sample as scoring sees it. `prediction` null means the call failed or never happened: it
 * scores as an empty answer and counts in `errors`, so a model that fails is not excused.
 */
export function scoreInput(s: Sample, prediction: string | null, id: number = s.id): ScoreInput {
  return {
    id,
    docId: s.docId,
    docClass: s.docClass,
    questionType: s.questionType,
    split: s.split,
    reference: s.answer,
    ...(s.references && s.references.length > 1 ? { references: s.references } : {}),
    prediction,
  };
}
