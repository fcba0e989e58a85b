import { anlsLength, anlsSimilarity } from './anls.js';
import { charEditDistance } from './levenshtein.js';
import type { ItemMetricId } from './registry.js';
import { wer } from './wer.js';

/**
 * How a metric picks one reference when a question has several acceptable answers (DocVQA, VLMEvalKit
 * lists). ANLS takes the reference with the highest similarity 1 − NL, as DocVQA's script takes the
 * smallest NL before thresholding: its score is the max over references of the per-reference ANLS, and
 * when every reference scores 0 the one reported is still the nearest. The error rates and exact match take the closest
 * reference: the fewest edits in the metric's own unit (characters for CER, exact match and BLEU, words
 * for WER), so a prediction equal to any reference has exact match 1 and CER 0. Ties go to the earlier
 * reference, the one the dataset prefers.
 */
export type ReferenceChoice = 'best_anls' | 'fewest_char_edits' | 'fewest_word_edits';

export const REFERENCE_CHOICE: Readonly<Record<ItemMetricId | 'doc_all_correct', ReferenceChoice>> = {
  anls: 'best_anls',
  cer: 'fewest_char_edits',
  wer: 'fewest_word_edits',
  bleu: 'fewest_char_edits',
  exact_match: 'fewest_char_edits',
  doc_all_correct: 'fewest_char_edits',
};

/**
 * Index of the chosen reference among already-normalised `references` (never empty) for `prediction`.
 * `raw` holds the same strings before normalisation, for ANLS's denominator (see anls.ts).
 */
export function pickReference(
  references: readonly string[],
  prediction: string,
  choice: ReferenceChoice,
  raw?: { references: readonly string[]; prediction: string },
): number {
  if (references.length <= 1) return 0;
  let best = 0;
  let bestScore = Number.NEGATIVE_INFINITY;
  references.forEach((r, k) => {
    const score =
      choice === 'best_anls'
        ? anlsSimilarity(r, prediction, raw ? anlsLength(raw.references[k] ?? r, raw.prediction) : undefined)
        : -(choice === 'fewest_word_edits' ? wer(r, prediction).edits : charEditDistance(r, prediction));
    if (score > bestScore) {
      best = k;
      bestScore = score;
    }
  });
  return best;
}
