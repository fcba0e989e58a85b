import type { Sample } from '../dataset/types.js';
import { type NormalizationSettings, resolveMetricNormalization } from '../metrics/aggregate.js';
import { anlsLength, anlsScore } from '../metrics/anls.js';
import { cer } from '../metrics/cer.js';
import { normalize } from '../metrics/normalize.js';
import { pickReference, REFERENCE_CHOICE } from '../metrics/references.js';
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
  /** The reference the CER was taken against, as written (the closest of several acceptable answers). */
  reference: string;
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
    // Several acceptable answers: each metric scores against the reference it would choose in
    // metrics.json (references.ts), so statistics and the results agree.
    const refs = s.references && s.references.length > 1 ? s.references : [s.answer];
    const pick = (id: 'cer' | 'wer' | 'anls' | 'exact_match') => {
      const o = norm[id];
      const p = o ? normalize(pred, o) : pred;
      const rs = o ? refs.map((r) => normalize(r, o)) : refs;
      const k = pickReference(rs, p, REFERENCE_CHOICE[id], { references: refs, prediction: pred });
      return { pair: [rs[k] ?? '', p] as const, raw: refs[k] ?? '' };
    };
    const pc = pick('cer');
    const c = cer(...pc.pair);
    const w = wer(...pick('wer').pair);
    const pa = pick('anls');
    const anls = norm.anls ? anlsScore(...pa.pair, anlsLength(pa.raw, pred)) : 0;
    const [er, ep] = pick('exact_match').pair;
    const em = norm.exact_match ? (er === ep ? 1 : 0) : 0;
    out.push({
      id: s.id,
      docId: s.docId,
      field: `${s.docClass} ${s.questionType}`,
      edits: c.edits,
      refLen: c.refLen,
      reference: pc.raw,
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
