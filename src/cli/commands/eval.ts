import { DEFAULT_AGGREGATORS, DEFAULT_METRICS } from '../../config/types.js';
import { loadDataset } from '../../dataset/load.js';
import { VlmhbError } from '../../errors.js';
import { type NormalizationSettings, scoreItems } from '../../metrics/aggregate.js';
import { canonicalMetric } from '../../metrics/registry.js';
import { markdownGroups } from '../../report/markdown.js';
import { readOriginalAnswers } from '../../report/original-answers.js';
import { readAnswersLog } from '../../runner/answers-log.js';
import { scoreInput } from '../../task/score-input.js';
import { EXIT } from '../errors.js';

export function metricIds(names: string[] | undefined): string[] {
  if (!names || names.length === 0) return [...DEFAULT_METRICS];
  return names.map((n) => {
    const id = canonicalMetric(n);
    if (!id) {
      throw new VlmhbError(
        'VLMHB_CONFIG_UNKNOWN_METRIC',
        `unknown metric "${n}"; known: ${DEFAULT_METRICS.join(', ')}`,
        {
          where: { key: '--metrics' },
        },
      );
    }
    return id;
  });
}

/**
 * The answers to score: the original's `id;model_answer` CSV, or this tool's own answers.jsonl (the last
 * record per id; a failed item scores as an empty answer, as the original scored it, and is counted).
 */
function readAnswers(file: string): Map<number, string> {
  if (!/\.jsonl$/i.test(file)) return readOriginalAnswers(file);
  const { records, badLines } = readAnswersLog(file);
  if (badLines.length > 0)
    process.stderr.write(
      `vlmhb: ${file}: ${badLines.length} unreadable line(s) skipped (line ${badLines.slice(0, 10).join(', ')})\n`,
    );
  const failed = [...records.values()].filter((r) => r.answer === null).length;
  if (failed > 0) process.stderr.write(`vlmhb: ${failed} item(s) failed in the run and score as empty\n`);
  return new Map([...records].map(([id, r]) => [id, r.answer ?? '']));
}

export async function evalCommand(f: {
  dataset: string;
  answers: string;
  metrics?: string[];
  normalize?: NormalizationSettings;
  json?: boolean;
}) {
  const metrics = metricIds(f.metrics);
  // Scoring reads the annotation only: the original's answers file scores with no images present.
  const dataset = await loadDataset(f.dataset, { images: false });
  const answers = readAnswers(f.answers);
  const known = new Set(dataset.samples.map((s) => s.id));
  const unknown = [...answers.keys()].filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw new VlmhbError(
      'VLMHB_ANSWERS_INVALID',
      `${unknown.length} id(s) not in dataset ${dataset.annotationFile} (ids are 0-based annotation rows): ${unknown.slice(0, 10).join(', ')}`,
      { where: { file: f.answers, column: 'id' } },
    );
  }
  const missing = dataset.samples.filter((s) => !answers.has(s.id)).length;
  if (missing > 0) process.stderr.write(`vlmhb: ${missing} item(s) have no answer and score as empty\n`);
  const result = scoreItems(
    dataset.samples.map((s) => scoreInput(s, answers.get(s.id) ?? null)),
    {
      metrics,
      aggregators: [...DEFAULT_AGGREGATORS],
      ...(f.normalize ? { normalization: f.normalize } : {}),
    },
  );
  if (f.json) {
    process.stdout.write(
      `${JSON.stringify({ ...result.groups, normalization: result.normalization }, null, 2)}\n`,
    );
  } else {
    const g = result.groups;
    if (g.overall) process.stdout.write(markdownGroups('Group', { overall: g.overall }));
    if (g.by_doc_type) process.stdout.write(`\n${markdownGroups('Document type', g.by_doc_type)}`);
    if (g.by_doc_question) process.stdout.write(`\n${markdownGroups('Field', g.by_doc_question)}`);
  }
  return EXIT.ok;
}
