import type { CheckItem } from '../check/validity.js';
import { loadDataset } from '../dataset/load.js';
import { VlmhbError } from '../errors.js';
import { readOriginalAnswers } from '../report/original-answers.js';
import { readAnswersJsonl } from './answers.js';

/**
 * Answers to check from a run's answers.jsonl (self-describing: each line names its document and field)
 * or the original project's `id;model_answer` CSV (which needs the dataset to know what each id asks).
 * With a dataset, its rows decide the document and field of every id.
 */
export async function readCheckItems(file: string, datasetDir?: string): Promise<CheckItem[]> {
  const isJsonl = /\.jsonl?$/i.test(file);
  const dataset = datasetDir ? await loadDataset(datasetDir) : undefined;
  if (!isJsonl) {
    if (!dataset)
      throw new VlmhbError(
        'VLMHB_USAGE',
        'a CSV answers file (id;model_answer) needs --dataset to know which field each id asks',
        { where: { file } },
      );
    const answers = readOriginalAnswers(file);
    const samples = new Map(dataset.samples.map((s) => [s.id, s]));
    return [...answers].map(([id, answer]) => {
      const s = samples.get(id);
      if (!s)
        throw new VlmhbError('VLMHB_ANSWERS_INVALID', `id ${id} is not a row of ${dataset.annotationFile}`, {
          where: { file, column: 'id' },
        });
      return { id, docId: s.docId, docClass: s.docClass, questionType: s.questionType, answer };
    });
  }
  const records = readAnswersJsonl(file);
  const samples = dataset ? new Map(dataset.samples.map((s) => [s.id, s])) : undefined;
  const items: CheckItem[] = [];
  for (const r of records.values()) {
    const s = samples?.get(r.id);
    if (samples && !s)
      throw new VlmhbError('VLMHB_ANSWERS_INVALID', `id ${r.id} is not a row of the dataset`, {
        where: { file, column: 'id' },
      });
    const docId = s?.docId ?? r.docId;
    const docClass = s?.docClass ?? r.docClass;
    const questionType = s?.questionType ?? r.questionType;
    if (docId === undefined || docClass === undefined || questionType === undefined)
      throw new VlmhbError(
        'VLMHB_ANSWERS_INVALID',
        `answer ${r.id} lacks docId/docClass/questionType; pass --dataset to take them from the dataset`,
        { where: { file } },
      );
    items.push({ id: r.id, docId, docClass, questionType, answer: r.error ? null : (r.answer ?? '') });
  }
  return items.sort((a, b) => Number(a.id) - Number(b.id));
}
