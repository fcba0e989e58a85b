import type { Dataset, Sample } from '../dataset/types.js';
import type { GenerationSettings } from '../engines/types.js';
import { documentPrompt } from '../prompts/document-prompt.js';
import { buildExtractionSchema } from '../prompts/extraction.js';
import type { PromptCollection } from '../prompts/types.js';

/** How a task asks: one request per field (the seed's VQA way) or one per document for all its fields. */
export type AskMode = 'field' | 'document';

/** One request to the engine and the samples its answer is written to. */
export interface AskUnit {
  /** Shared by the answer records of one request; how speed stats count requests, not fields. */
  requestId: string;
  /** Every sample the request covers (a document's fields in document mode). */
  samples: Sample[];
  /** The subset still to be written (resume / --retry-errors may need only some of a document). */
  pending: Set<number>;
  prompt: string;
  settings: GenerationSettings;
  /** Document mode: split the JSON answer into these fields. */
  fields?: { questionType: string }[];
}

export function fieldUnits(
  pending: Sample[],
  prompts: Map<number, string>,
  settings: GenerationSettings,
): AskUnit[] {
  return pending.map((s) => ({
    requestId: `f${s.id}`,
    samples: [s],
    pending: new Set([s.id]),
    prompt: prompts.get(s.id) ?? s.question,
    settings,
  }));
}

/**
 * One unit per document image: the samples sharing a data_index and an image. A document is asked again
 * whole when any of its fields is pending, but only the pending fields are written.
 */
export function documentUnits(
  dataset: Dataset,
  pending: Sample[],
  settings: GenerationSettings,
  collection?: PromptCollection,
): AskUnit[] {
  const groups = new Map<string, Sample[]>();
  for (const s of dataset.samples) {
    const key = `${s.docId}\u0000${s.imagePath}`;
    const g = groups.get(key);
    if (g) g.push(s);
    else groups.set(key, [s]);
  }
  const wanted = new Set(pending.map((s) => s.id));
  const units: AskUnit[] = [];
  for (const samples of groups.values()) {
    const todo = samples.filter((s) => wanted.has(s.id));
    if (todo.length === 0) continue;
    const first = samples[0] as Sample;
    const fields = [...new Set(samples.map((s) => s.questionType))].map((questionType) => ({ questionType }));
    units.push({
      requestId: `d${first.id}`,
      samples,
      pending: new Set(todo.map((s) => s.id)),
      prompt: documentPrompt(
        first.docClass,
        fields.map((f) => f.questionType),
        collection,
      ),
      settings: { ...settings, jsonSchema: buildExtractionSchema(fields) },
      fields,
    });
  }
  return units;
}
