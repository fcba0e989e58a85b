import { anlsLength, anlsScore } from './anls.js';
import { bleuFromStats, bleuStats, sumBleuStats } from './bleu.js';
import { cer } from './cer.js';
import { corpusErrorRate, type EditStats, meanErrorRate } from './error-rate.js';
import { exactMatch } from './exact-match.js';
import type { NormalizationPreset } from './normalize.js';
import { wer } from './wer.js';

/** Metrics scored per field and summarised per group. */
export const ITEM_METRIC_IDS = ['cer', 'wer', 'bleu', 'anls', 'exact_match'] as const;
export type ItemMetricId = (typeof ITEM_METRIC_IDS)[number];
/** Every metric id a config may name, in output order. doc_all_correct is judged per document. */
export const METRIC_IDS = [...ITEM_METRIC_IDS, 'doc_all_correct'] as const;
export type MetricId = (typeof METRIC_IDS)[number];
/** Aggregators in output order. */
export const AGGREGATOR_IDS = ['overall', 'by_doc_type', 'by_doc_question', 'by_split', 'by_id'] as const;
export type AggregatorId = (typeof AGGREGATOR_IDS)[number];

/** Output keys metrics write into a group, in output order. */
export const METRIC_FIELDS = [
  'cer',
  'wer',
  'cer_mean',
  'wer_mean',
  'bleu',
  'anls',
  'exact_match',
  'doc_all_correct',
] as const;
export type MetricField = (typeof METRIC_FIELDS)[number];
export type MetricFields = Partial<Record<MetricField, number>>;

/** A metric after scoring every pair once: answers per-item and per-group questions without rescoring. */
export interface PreparedMetric {
  /** Fields of one item as by_id shows them. */
  item(index: number): MetricFields;
  /** Fields of a group of items. */
  group(indices: readonly number[]): MetricFields;
}

/** The metric extension point: one object per metric, registered below by id. */
export interface MetricDefinition {
  id: ItemMetricId;
  /** Output keys this metric writes into a group, in order. */
  fields: readonly MetricField[];
  /** Preset applied when the user names none; see normalize.ts. */
  defaultNormalization: NormalizationPreset;
  /**
   * `pairs` are already normalised [reference, prediction]; `raw` the same pairs before normalisation
   * (ANLS divides by their length, as DocVQA's script does), absent = `pairs`.
   */
  prepare(
    pairs: readonly (readonly [string, string])[],
    raw?: readonly (readonly [string, string])[],
  ): PreparedMetric;
}

/** Builds a MetricDefinition from per-pair statistics of any shape, keeping that shape private. */
export function defineMetric<S>(d: {
  id: ItemMetricId;
  fields: readonly MetricField[];
  defaultNormalization: NormalizationPreset;
  score(reference: string, prediction: string, raw: readonly [string, string]): S;
  itemFields(s: S, reference: string, prediction: string): MetricFields;
  groupFields(stats: readonly S[]): MetricFields;
}): MetricDefinition {
  return {
    id: d.id,
    fields: d.fields,
    defaultNormalization: d.defaultNormalization,
    prepare(pairs, raw) {
      const stats = pairs.map(([r, p], i) => d.score(r, p, raw?.[i] ?? [r, p]));
      return {
        item: (i) => d.itemFields(stats[i]!, pairs[i]![0], pairs[i]![1]),
        group: (indices) => d.groupFields(indices.map((i) => stats[i]!)),
      };
    },
  };
}

function mean(values: readonly number[]): number {
  if (values.length === 0) return 0;
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}

const editRate = (id: 'cer' | 'wer', score: (r: string, p: string) => EditStats) => {
  const fields = (rate: number, meanRate: number): MetricFields =>
    id === 'cer' ? { cer: rate, cer_mean: meanRate } : { wer: rate, wer_mean: meanRate };
  return defineMetric<EditStats>({
    id,
    fields: id === 'cer' ? ['cer', 'cer_mean'] : ['wer', 'wer_mean'],
    defaultNormalization: 'none',
    score,
    itemFields: (s) => fields(s.value, s.value),
    // Corpus rate (sum of edits / sum of reference lengths, as jiwer and the original project) next to
    // the mean of per-field rates: short fields dominate the mean, long ones the corpus rate.
    groupFields: (stats) => fields(corpusErrorRate(stats), meanErrorRate(stats)),
  });
};

export const metricRegistry: Readonly<Record<ItemMetricId, MetricDefinition>> = {
  cer: editRate('cer', cer),
  wer: editRate('wer', wer),
  bleu: defineMetric({
    id: 'bleu',
    fields: ['bleu'],
    defaultNormalization: 'none',
    score: bleuStats,
    // One field alone: sentence BLEU (effective order); corpus BLEU of a 1–3 token field is almost always 0.
    itemFields: (s) => ({ bleu: bleuFromStats(s, { effectiveOrder: true }) }),
    groupFields: (stats) => ({ bleu: bleuFromStats(sumBleuStats(stats)) }),
  }),
  anls: defineMetric<number>({
    id: 'anls',
    fields: ['anls'],
    defaultNormalization: 'anls',
    score: (r, p, [rawR, rawP]) => anlsScore(r, p, anlsLength(rawR, rawP)),
    itemFields: (s) => ({ anls: s }),
    groupFields: (stats) => ({ anls: mean(stats) }),
  }),
  exact_match: defineMetric<number>({
    id: 'exact_match',
    fields: ['exact_match'],
    defaultNormalization: 'none',
    score: exactMatch,
    itemFields: (s) => ({ exact_match: s }),
    groupFields: (stats) => ({ exact_match: mean(stats) }),
  }),
};

/** Spellings users write (the original project's "CER", "EM", "ExactMatch", ...), keyed without case/_/-/space. */
const METRIC_ALIASES: Readonly<Record<string, MetricId>> = {
  cer: 'cer',
  wer: 'wer',
  bleu: 'bleu',
  sacrebleu: 'bleu',
  anls: 'anls',
  em: 'exact_match',
  exactmatch: 'exact_match',
  docallcorrect: 'doc_all_correct',
  docaccuracy: 'doc_all_correct',
};

const AGGREGATOR_ALIASES: Readonly<Record<string, AggregatorId>> = {
  overall: 'overall',
  // The original project's user_config.csv calls the overall aggregate "general".
  general: 'overall',
  bydoctype: 'by_doc_type',
  bydocclass: 'by_doc_type',
  bydocquestion: 'by_doc_question',
  bysplit: 'by_split',
  byaugmentation: 'by_split',
  byid: 'by_id',
};

const squash = (name: string): string =>
  name
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, '');

/** Canonical metric id for a user-written name, or undefined when unknown. */
export function canonicalMetric(name: string): MetricId | undefined {
  return METRIC_ALIASES[squash(name)];
}

/** Canonical aggregator id for a user-written name, or undefined when unknown. */
export function canonicalAggregator(name: string): AggregatorId | undefined {
  return AGGREGATOR_ALIASES[squash(name)];
}
