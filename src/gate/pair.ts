import type { LoadedRun } from '../runs/load.js';

/** Why two runs cannot be compared; the gate exits 2 with this text instead of a verdict. */
export interface Incomparable {
  code: 'different_dataset' | 'different_items' | 'missing_answers' | 'different_normalization';
  reason: string;
}

function sampleKey(s: { docId: string; docClass: string; questionType: string; answer: string }): string {
  return JSON.stringify([s.docId, s.docClass, s.questionType, s.answer]);
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/**
 * The paired design's precondition: the same dataset (by content), the same items (ids, documents,
 * fields and references), every item answered in both runs (a failed request is an answer: it scores as
 * empty), and the same scoring normalisation. Returns the first violation, or undefined.
 */
export function incomparable(base: LoadedRun, cand: LoadedRun): Incomparable | undefined {
  if (base.datasetHash !== cand.datasetHash) {
    return {
      code: 'different_dataset',
      reason: `different datasets: ${base.dataset.annotationFile} (sha256 ${base.datasetHash.slice(0, 12)}) vs ${cand.dataset.annotationFile} (sha256 ${cand.datasetHash.slice(0, 12)})`,
    };
  }
  const b = new Map(base.dataset.samples.map((s) => [s.id, sampleKey(s)]));
  const c = new Map(cand.dataset.samples.map((s) => [s.id, sampleKey(s)]));
  const onlyB = [...b.keys()].filter((id) => !c.has(id));
  const onlyC = [...c.keys()].filter((id) => !b.has(id));
  const differ = [...b.keys()].filter((id) => c.has(id) && c.get(id) !== b.get(id));
  if (onlyB.length + onlyC.length + differ.length > 0) {
    const parts = [
      onlyB.length
        ? `${onlyB.length} item(s) only in the baseline (ids ${onlyB.slice(0, 5).join(', ')})`
        : '',
      onlyC.length
        ? `${onlyC.length} item(s) only in the candidate (ids ${onlyC.slice(0, 5).join(', ')})`
        : '',
      differ.length ? `${differ.length} item(s) differ (ids ${differ.slice(0, 5).join(', ')})` : '',
    ].filter(Boolean);
    return { code: 'different_items', reason: `different items (filters differ?): ${parts.join('; ')}` };
  }
  for (const [name, run] of [
    ['baseline', base],
    ['candidate', cand],
  ] as const) {
    const missing = run.dataset.samples.filter((s) => !run.answers.has(s.id)).map((s) => s.id);
    if (missing.length > 0)
      return {
        code: 'missing_answers',
        reason: `the ${name} run is partial: ${missing.length} of ${run.dataset.samples.length} item(s) have no answer (ids ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''}) in ${run.dir}`,
      };
  }
  if (!sameJson(base.task.normalization, cand.task.normalization))
    return {
      code: 'different_normalization',
      reason: `different normalisation: ${JSON.stringify(base.task.normalization ?? 'default')} vs ${JSON.stringify(cand.task.normalization ?? 'default')}`,
    };
  return undefined;
}
