import { charEditDistance, codePointLength } from './levenshtein.js';
import { NORMALIZATION_PRESETS, normalize } from './normalize.js';

/** DocVQA's τ: a similarity 1 − NL below τ scores 0 (the answer is taken as wrong, not misread). */
export const ANLS_THRESHOLD = 0.5;

/**
 * Normalised Levenshtein similarity of already-normalised strings: NL = lev / max(len) over code points,
 * score = 1 − NL, or 0 when 1 − NL < τ. This is DocVQA's own evaluation script (the one docvqa.org and
 * the RRC portal score submissions with, copied by VLMEvalKit and lmms-eval): `question_result = 1 -
 * min(NL)`, then `if question_result < threshold: question_result = 0`, so NL exactly 0.5 ("12" vs
 * "13") scores 0.5. The paper's formula (Biten et al. 2019) writes `NL ≥ τ → 0`, which would give 0
 * there; published DocVQA numbers come from the script, so the script wins. Both empty → 1.
 * `length` is the denominator: the script divides by the longer string as given, before trimming and
 * collapsing whitespace (`anlsLength` of the raw strings; the scorers pass it), so extra spaces in an
 * answer lower NL a little; without it, the longer of the strings given here.
 * The normalisation itself (DocVQA: lower-case, trim, collapse inner whitespace) is the 'anls' preset,
 * applied by the caller so it can be switched like every other metric's.
 */
export function anlsScore(reference: string, prediction: string, length?: number): number {
  const similarity = anlsSimilarity(reference, prediction, length);
  return similarity < ANLS_THRESHOLD ? 0 : similarity;
}

/** 1 − NL before the threshold: what the script's `min(values)` ranks references by. */
export function anlsSimilarity(reference: string, prediction: string, length?: number): number {
  const len = length ?? Math.max(codePointLength(reference), codePointLength(prediction));
  if (len === 0) return 1;
  return 1 - charEditDistance(reference, prediction) / len;
}

/** The script's denominator from the strings before normalisation: `max(len(a.upper()), len(p.upper()))`. */
export function anlsLength(reference: string, prediction: string): number {
  return Math.max(codePointLength(reference.toUpperCase()), codePointLength(prediction.toUpperCase()));
}

/** ANLS of one question with DocVQA's own preprocessing (`' '.join(s.strip().lower().split())`). */
export function anls(reference: string, prediction: string): number {
  const o = NORMALIZATION_PRESETS.anls;
  return anlsScore(normalize(reference, o), normalize(prediction, o), anlsLength(reference, prediction));
}
