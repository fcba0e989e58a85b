import type { Sample } from '../dataset/types.js';
import { type NormalizationSettings, resolveMetricNormalization } from '../metrics/aggregate.js';
import { anlsScore } from '../metrics/anls.js';
import { cer } from '../metrics/cer.js';
import { normalize } from '../metrics/normalize.js';
import { wer } from '../metrics/wer.js';

/**
 * One item's numbers for statistics: the pieces a corpus CER is summed from, and the per-item ANLS and
 * exact match, under the same normalisation the run's metrics use. A failed request scores as an empty
 * answer (as `overall_with_errors` does), so a candidate cannot improve by failing.
 */
export interface ItemScore {
  id: number;
  docId: string;
  /** `doc_class question_type`, as in by_doc_question. */
  field: string;
  edits: number;
  refLen: number;
  /** Word edits and reference words, for a corpus WER. */
  wordEdits: number;
  wordRefLen: number;
  anls: number;
  exactMatch: number;
  failed: boolean;
  latencyMs: number | null;
}

export function itemScores(
  samples: readonly Sample[],
  answerOf: (id: number) => { answer: string | null; error: unknown; latencyMs?: number } | undefined,
  settings?: NormalizationSettings,
): ItemScore[] {
  const norm = resolveMetricNormalization(['cer', 'wer', 'anls', 'exact_match'], settings);
  const out: ItemScore[] = [];
  for (const s of samples) {
    const a = answerOf(s.id);
    if (!a) continue;
    const failed = a.error !== null && a.error !== undefined;
    const pred = failed ? '' : (a.answer ?? '');
    const nc = norm.cer;
    const na = norm.anls;
    const ne = norm.exact_match;
    const c = nc ? cer(normalize(s.answer, nc), normalize(pred, nc)) : cer(s.answer, pred);
    const nw = norm.wer;
    const w = nw ? wer(normalize(s.answer, nw), normalize(pred, nw)) : wer(s.answer, pred);
    const anls = na ? anlsScore(normalize(s.answer, na), normalize(pred, na)) : 0;
    const em = ne ? (normalize(s.answer, ne) === normalize(pred, ne) ? 1 : 0) : 0;
    out.push({
      id: s.id,
      docId: s.docId,
      field: `${s.docClass} ${s.questionType}`,
      edits: c.edits,
      refLen: c.refLen,
      wordEdits: w.edits,
      wordRefLen: w.refLen,
      anls,
      exactMatch: em,
      failed,
      latencyMs: failed || a.latencyMs === undefined ? null : a.latencyMs,
    });
  }
  return out;
}
