import { type ErrorLocation, throwIssues, VlmhbError, type VlmhbIssue } from '../errors.js';
import { docAllCorrect } from './doc-all-correct.js';
import {
  type NormalizationPreset,
  type NormalizationSpec,
  type NormalizeOptions,
  normalizationSpecSchema,
  normalize,
  presetName,
  resolveNormalization,
} from './normalize.js';
import { pickReference, REFERENCE_CHOICE, type ReferenceChoice } from './references.js';
import {
  AGGREGATOR_IDS,
  type AggregatorId,
  canonicalAggregator,
  canonicalMetric,
  ITEM_METRIC_IDS,
  type ItemMetricId,
  METRIC_FIELDS,
  METRIC_IDS,
  type MetricFields,
  type MetricId,
  metricRegistry,
  type PreparedMetric,
} from './registry.js';

/** One answered question, as the runner hands it to scoring. */
export interface ScoreInput {
  id: number | string;
  docId: string;
  docClass: string;
  questionType: string;
  reference: string;
  /**
   * Every acceptable answer when the dataset has several (`reference` is the first). Each metric picks
   * one per item (see references.ts); absent or a single entry scores `reference` alone, as before.
   */
  references?: readonly string[];
  /** The engine's answer; null when the call failed (scored as an empty answer and counted in `errors`). */
  prediction: string | null;
  /** The dataset's `split` (for synthetic data: the augmentation subset), grouped by `by_split`. */
  split?: string;
  /** Alternative failure flag for callers that keep a partial output; a failed item scores as empty. */
  error?: boolean;
}

/**
 * Normalisation per metric id (any spelling canonicalMetric accepts) or 'all' for every metric not named.
 * A metric named nowhere uses its own default preset; doc_all_correct defaults to exact_match's setting.
 */
export type NormalizationSettings = Partial<Record<string, NormalizationSpec>>;

export interface ScoreOptions {
  /** Metric names, e.g. ['CER', 'wer', 'EM']; see canonicalMetric. */
  metrics: readonly string[];
  /** Aggregator names, e.g. ['overall', 'by_id']; see canonicalAggregator. */
  aggregators: readonly string[];
  normalization?: NormalizationSettings;
}

export interface ResolvedNormalization extends NormalizeOptions {
  preset: NormalizationPreset | 'custom';
}

/**
 * One group's numbers; keys appear in this order, metrics only when requested. The string index keeps
 * it usable by generic table code (`m[column]`) as well as by name (`m.cer`).
 */
export type GroupMetrics = { n: number } & MetricFields & { errors: number } & Record<
    string,
    number | undefined
  >;

/** Exactly the metrics JSON file: only the requested aggregators are present. */
export interface MetricsGroups {
  overall?: GroupMetrics;
  by_doc_type?: Record<string, GroupMetrics>;
  by_doc_question?: Record<string, GroupMetrics>;
  /** One group per split: clean vs blur:2 vs noise:3 ... shows what each scan artefact costs. */
  by_split?: Record<string, GroupMetrics>;
  by_id?: Record<string, GroupMetrics>;
}

export interface MetricsResult {
  metrics: MetricId[];
  aggregators: AggregatorId[];
  /** The normalisation each requested metric was computed with. */
  normalization: Partial<Record<MetricId, ResolvedNormalization>>;
  groups: MetricsGroups;
  /** CER and exact match under the `loose` preset beside the task's own numbers (see looseScores). */
  loose?: LooseScores;
}

/** One group's CER and exact match under the `loose` normalisation preset (a type, so tables can index it). */
export type LooseGroup = {
  n: number;
  cer: number;
  exact_match: number;
};

export interface LooseScores {
  preset: 'loose';
  overall: LooseGroup;
  by_doc_type: Record<string, LooseGroup>;
}

/**
 * CER and exact match with case, ё/е, punctuation, spacing and Latin look-alikes normalised away
 * (NORMALIZATION_PRESETS.loose), overall and per document type. Shown next to the raw numbers, the gap
 * between the two says how much of an error is "right answer, written differently" (a title-case
 * surname scored against an upper-case reference) rather than a wrong reading. Failed items count as
 * empty answers, as in the raw numbers.
 */
export function looseScores(items: readonly ScoreInput[]): LooseScores {
  const scorer = createScorer(items, ['cer', 'exact_match'], { all: 'loose' });
  const pick = (g: GroupMetrics): LooseGroup => ({
    n: g.n,
    cer: g.cer ?? 0,
    exact_match: g.exact_match ?? 0,
  });
  const byDoc: Record<string, LooseGroup> = {};
  for (const [k, idx] of groupBy(items, (it) => it.docClass)) byDoc[k] = pick(scorer.group(idx, false));
  return {
    preset: 'loose',
    overall: pick(
      scorer.group(
        items.map((_, i) => i),
        false,
      ),
    ),
    by_doc_type: byDoc,
  };
}

function dedupe<T>(xs: readonly T[]): T[] {
  return [...new Set(xs)];
}

/** Canonical ids in output order; every unknown name reported at once. */
export function resolveMetricNames(names: readonly string[], where?: ErrorLocation): MetricId[] {
  const issues: VlmhbIssue[] = [];
  const ids: MetricId[] = [];
  for (const n of names) {
    const id = canonicalMetric(n);
    if (id) ids.push(id);
    else
      issues.push({
        code: 'VLMHB_CONFIG_UNKNOWN_METRIC',
        message: `unknown metric "${n}"; known: ${METRIC_IDS.join(', ')} (also CER, WER, BLEU, ANLS, EM, ExactMatch)`,
        ...(where ? { where } : {}),
      });
  }
  if (issues.length > 0) throwIssues('VLMHB_CONFIG_UNKNOWN_METRIC', 'unknown metric name(s)', issues);
  const set = new Set(ids);
  return METRIC_IDS.filter((m) => set.has(m));
}

export function resolveAggregatorNames(names: readonly string[], where?: ErrorLocation): AggregatorId[] {
  const issues: VlmhbIssue[] = [];
  const ids: AggregatorId[] = [];
  for (const n of names) {
    const id = canonicalAggregator(n);
    if (id) ids.push(id);
    else
      issues.push({
        code: 'VLMHB_CONFIG_UNKNOWN_AGGREGATOR',
        message: `unknown aggregator "${n}"; known: ${AGGREGATOR_IDS.join(', ')}`,
        ...(where ? { where } : {}),
      });
  }
  if (issues.length > 0) throwIssues('VLMHB_CONFIG_UNKNOWN_AGGREGATOR', 'unknown aggregator name(s)', issues);
  const set = new Set(dedupe(ids));
  return AGGREGATOR_IDS.filter((a) => set.has(a));
}

function specFor(
  settings: NormalizationSettings | undefined,
): Partial<Record<MetricId | 'all', NormalizationSpec>> {
  const out: Partial<Record<MetricId | 'all', NormalizationSpec>> = {};
  if (!settings) return out;
  for (const [key, spec] of Object.entries(settings)) {
    if (spec === undefined) continue;
    const id = key === 'all' ? 'all' : canonicalMetric(key);
    if (!id) {
      throw new VlmhbError('VLMHB_CONFIG_UNKNOWN_METRIC', `normalization names unknown metric "${key}"`, {
        where: { key: `normalization.${key}` },
      });
    }
    const parsed = normalizationSpecSchema.safeParse(spec);
    if (!parsed.success) {
      throw new VlmhbError(
        'VLMHB_CONFIG_INVALID',
        `invalid normalization: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(value)'}: ${i.message}`).join('; ')}`,
        { where: { key: `normalization.${key}` } },
      );
    }
    out[id] = parsed.data;
  }
  return out;
}

/** Resolved options per metric: explicit entry, else 'all', else the metric's default preset. */
export function resolveMetricNormalization(
  metrics: readonly MetricId[],
  settings?: NormalizationSettings,
): Partial<Record<MetricId, ResolvedNormalization>> {
  const spec = specFor(settings);
  const out: Partial<Record<MetricId, ResolvedNormalization>> = {};
  const resolve = (id: ItemMetricId): NormalizeOptions =>
    resolveNormalization(spec[id] ?? spec.all, metricRegistry[id].defaultNormalization);
  for (const id of metrics) {
    const o =
      id === 'doc_all_correct'
        ? spec.doc_all_correct !== undefined
          ? resolveNormalization(spec.doc_all_correct, 'none')
          : resolve('exact_match')
        : resolve(id);
    out[id] = { preset: presetName(o), ...o };
  }
  return out;
}

/** Per-item and per-group scoring over one set of inputs; every pair is normalised and scored once. */
export interface Scorer {
  metrics: MetricId[];
  normalization: Partial<Record<MetricId, ResolvedNormalization>>;
  /** The item's own numbers (by_id): n = 1, sentence BLEU. */
  item(index: number): GroupMetrics;
  /** A group's numbers; doc_all_correct only when `wholeDocuments` (the group holds entire documents). */
  group(indices: readonly number[], wholeDocuments: boolean): GroupMetrics;
}

export function createScorer(
  items: readonly ScoreInput[],
  metrics: readonly MetricId[],
  settings?: NormalizationSettings,
): Scorer {
  const normalization = resolveMetricNormalization(metrics, settings);
  const failed = items.map((it) => it.prediction === null || it.error === true);
  const multi = items.map((it) => (it.references && it.references.length > 1 ? it.references : undefined));
  const anyMulti = multi.some((m) => m !== undefined);
  // The [reference, prediction] pairs before normalisation, for ANLS's denominator.
  const rawPred = items.map((it, i) => (failed[i] ? '' : (it.prediction ?? '')));
  // Per normalisation (and, when some item has several references, per way of choosing one): the
  // normalised [reference, prediction] pairs, the same pairs as given, and which reference each uses.
  const pairCache = new Map<
    string,
    { pairs: (readonly [string, string])[]; raw: (readonly [string, string])[]; chosen: number[] }
  >();
  const pairsFor = (o: NormalizeOptions, choice: ReferenceChoice) => {
    const key = JSON.stringify([
      o.case,
      o.whitespace,
      o.punctuation,
      o.yo,
      o.unicode,
      o.homoglyphs,
      anyMulti ? choice : '',
    ]);
    let entry = pairCache.get(key);
    if (!entry) {
      const chosen: number[] = [];
      const raw: (readonly [string, string])[] = [];
      const pairs = items.map((it, i) => {
        const given = rawPred[i] ?? '';
        const pred = normalize(given, o);
        const refs = multi[i];
        if (!refs) {
          chosen.push(0);
          raw.push([it.reference, given]);
          return [normalize(it.reference, o), pred] as const;
        }
        const normRefs = refs.map((r) => normalize(r, o));
        const k = pickReference(normRefs, pred, choice, { references: refs, prediction: given });
        chosen.push(k);
        raw.push([refs[k] ?? '', given]);
        return [normRefs[k] ?? '', pred] as const;
      });
      entry = { pairs, raw, chosen };
      pairCache.set(key, entry);
    }
    return entry;
  };
  const prepared: [ItemMetricId, PreparedMetric][] = [];
  // Which reference each metric scored against, in output order: metrics normalise and choose
  // differently (ANLS lower-cases and takes the best similarity, CER counts raw character edits).
  const chosenBy: [MetricId, number[]][] = [];
  for (const id of ITEM_METRIC_IDS) {
    const o = normalization[id];
    if (!o) continue;
    const entry = pairsFor(o, REFERENCE_CHOICE[id]);
    prepared.push([id, metricRegistry[id].prepare(entry.pairs, entry.raw)]);
    chosenBy.push([id, entry.chosen]);
  }
  const docNorm = normalization.doc_all_correct;
  const docEntry = docNorm ? pairsFor(docNorm, REFERENCE_CHOICE.doc_all_correct) : undefined;
  const fieldCorrect = docEntry ? docEntry.pairs.map(([r, p]) => r === p) : [];
  if (docEntry) chosenBy.push(['doc_all_correct', docEntry.chosen]);
  // by_id names the reference the first requested metric (output order) scored against.
  const matched = chosenBy[0]?.[1];

  const ordered = (n: number, fields: MetricFields, errors: number): GroupMetrics => {
    const out: MetricFields & { n: number } = { n };
    for (const f of METRIC_FIELDS) if (fields[f] !== undefined) out[f] = fields[f];
    return Object.assign(out, { errors });
  };

  return {
    metrics: [...metrics],
    normalization,
    item(i) {
      const fields: MetricFields = {};
      for (const [, p] of prepared) Object.assign(fields, p.item(i));
      const out = ordered(1, fields, failed[i] ? 1 : 0);
      // Only items with several references get the key, so single-reference output stays as it was.
      if (multi[i] && matched) {
        const first = matched[i] ?? 0;
        out['matched_reference'] = first;
        // A metric that scored against another reference says so, so no number is read against the
        // wrong answer: `matched_reference_anls: 1` beside `matched_reference: 0` (from CER).
        for (const [id, chosen] of chosenBy) {
          if ((chosen[i] ?? 0) !== first) out[`matched_reference_${id}`] = chosen[i] ?? 0;
        }
      }
      return out;
    },
    group(indices, wholeDocuments) {
      const fields: MetricFields = {};
      for (const [, p] of prepared) Object.assign(fields, p.group(indices));
      if (docNorm && wholeDocuments) {
        fields.doc_all_correct = docAllCorrect(
          indices.map((i) => ({ docId: items[i]!.docId, correct: fieldCorrect[i]! })),
        ).value;
      }
      let errors = 0;
      for (const i of indices) if (failed[i]) errors++;
      return ordered(indices.length, fields, errors);
    },
  };
}

function groupBy(items: readonly ScoreInput[], key: (it: ScoreInput) => string): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  items.forEach((it, i) => {
    const k = key(it);
    const g = groups.get(k);
    if (g) g.push(i);
    else groups.set(k, [i]);
  });
  return groups;
}

/**
 * Scores every item with the requested metrics and summarises them per requested aggregator.
 * doc_all_correct appears in `overall` and `by_doc_type` (groups made of whole documents); in
 * by_doc_question and by_id a group holds one field per document, where it would just repeat exact_match.
 */
export function scoreItems(items: readonly ScoreInput[], opts: ScoreOptions): MetricsResult {
  const metrics = resolveMetricNames(opts.metrics);
  const aggregators = resolveAggregatorNames(opts.aggregators);
  const scorer = createScorer(items, metrics, opts.normalization);
  const groups: MetricsGroups = {};
  const summarise = (key: (it: ScoreInput) => string, whole: boolean): Record<string, GroupMetrics> => {
    const out: Record<string, GroupMetrics> = {};
    for (const [k, idx] of groupBy(items, key)) out[k] = scorer.group(idx, whole);
    return out;
  };
  for (const agg of aggregators) {
    if (agg === 'overall') {
      groups.overall = scorer.group(
        items.map((_, i) => i),
        true,
      );
    } else if (agg === 'by_doc_type') {
      groups.by_doc_type = summarise((it) => it.docClass, true);
    } else if (agg === 'by_doc_question') {
      groups.by_doc_question = summarise((it) => `${it.docClass} ${it.questionType}`, false);
    } else if (agg === 'by_split') {
      groups.by_split = summarise((it) => it.split ?? '', true);
    } else {
      const byId: Record<string, GroupMetrics> = {};
      const seen = new Set<string>();
      items.forEach((it, i) => {
        const k = String(it.id);
        if (seen.has(k)) {
          throw new VlmhbError(
            'VLMHB_ANSWERS_INVALID',
            `id "${k}" appears more than once; by_id needs unique ids`,
          );
        }
        seen.add(k);
        byId[k] = scorer.item(i);
      });
      groups.by_id = byId;
    }
  }
  return {
    metrics,
    aggregators,
    normalization: scorer.normalization,
    groups,
    ...(items.length > 0 ? { loose: looseScores(items) } : {}),
  };
}

export type MetricsCsvRow = Record<string, string | number | null>;

/**
 * Flat rows for the ModelsMetrics CSV: aggregator, group, n, one column per metric field present in any
 * group, errors. Every row has every column (null where a group lacks the field, e.g. doc_all_correct in
 * by_id), so the first row's keys are the header.
 */
export function metricsToCsvRows(result: MetricsResult): MetricsCsvRow[] {
  const entries: [AggregatorId, string, GroupMetrics][] = [];
  const g = result.groups;
  for (const agg of AGGREGATOR_IDS) {
    if (agg === 'overall') {
      if (g.overall) entries.push(['overall', 'overall', g.overall]);
    } else {
      for (const [name, m] of Object.entries(g[agg] ?? {})) entries.push([agg, name, m]);
    }
  }
  const present = METRIC_FIELDS.filter((f) => entries.some(([, , m]) => m[f] !== undefined));
  return entries.map(([agg, name, m]) => {
    const row: MetricsCsvRow = { aggregator: agg, group: name, n: m.n };
    for (const f of present) row[f] = m[f] ?? null;
    return Object.assign(row, { errors: m.errors });
  });
}
