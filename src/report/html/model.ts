import { basename } from 'node:path';
import { servedFromCache } from '../../cache/engine.js';
import type { Sample } from '../../dataset/types.js';
import { createScorer, type NormalizationSettings, type ScoreInput } from '../../metrics/aggregate.js';
import { percentile } from '../../metrics/speed.js';
import { stringTable } from './interner.js';
import type { LoadedRun } from './load.js';
import type { AnswerLine, Limit, MetricsFile } from './schema.js';
import { defaultLimits, paretoFront, rankTasks, verdictOf } from './verdict.js';

/**
 * The one report data model: built from run folders, read by the HTML, Markdown and JSON renderers
 * and by the viewer. Pure: everything here comes from the loaded files; images are filled in later.
 */
export type Numbers = Record<string, number | null>;

export interface ReportTask {
  /** Run folder name, unique within a report. */
  id: string;
  dir: string;
  /** Human label: framework · model · prompts · resolution. */
  label: string;
  /** The parts of the label that differ between the report's tasks (legends, axes); the id when none do. */
  short: string;
  framework: string;
  frameworkVersion: string | null;
  model: string;
  dataset: string;
  datasetDir: string;
  promptCollection: string | null;
  systemPrompt: string | null;
  mode: string;
  settings: Record<string, string | number | boolean | null>;
  resolution: { kind: 'long_side' | 'max_pixels'; value: number } | null;
  /** e.g. "cer: none; anls: anls". */
  normalization: string;
  status: {
    complete: boolean;
    partial: boolean;
    answered: number;
    total: number | null;
    failed: number;
    errorsByCode: Record<string, number>;
    /** Answers served from the answer cache (src/cache/) instead of the model; not in the speed figures. */
    fromCache: number;
    /** 'metrics' when metrics.json carries it, 'answers' when counted here from the log. */
    source: 'metrics' | 'answers';
  };
  overall: Numbers;
  overallWithErrors: Numbers | null;
  byDocType: Record<string, Numbers>;
  byField: Record<string, Numbers>;
  bySplit: Record<string, Numbers>;
  /** Mean model seconds per document (its fields' request times summed). */
  secondsPerDoc: number | null;
  docLatencyMs: { mean: number; p50: number; p90: number; p99: number; max: number } | null;
  /** Sorted document latencies, thinned to at most 200 points, for the distribution chart. */
  latencyCdf: [ms: number, fraction: number][];
  docsPerSecond: number | null;
  gpuMemoryGb: number | null;
  device: string | null;
  cost: { per1000: number; currency: string; pricePerHour: number } | null;
  limits: Limit[];
  limitsSource: 'metrics.json' | 'defaults';
  verdict: 'pass' | 'fail' | 'n/a';
  run: {
    toolVersion: string | null;
    executor: string | null;
    startedAt: string | null;
    endedAt: string | null;
    machine: string | null;
  };
}

export interface ReportImage {
  /** As written in the annotation file (relative to the dataset). */
  name: string;
  /** Absolute path; used while building only, dropped before embedding. */
  abs?: string;
  width?: number;
  height?: number;
  /** Some answer about this image is wrong or failed: it gets an enlarged view in 'errors' mode. */
  wrong?: boolean;
  thumb?: string;
  full?: string;
}

/** Every answer, column by column (one array per field keeps 100,000 rows compact). */
export interface AnswerTable {
  /** Shared string table: doc ids, document types, fields, splits and prompts are indices into it. */
  strings: string[];
  task: number[];
  doc: number[];
  docType: number[];
  field: number[];
  split: number[];
  prompt: number[];
  /** The reference the answer was scored against (the closest one when the row has several). */
  expected: (string | null)[];
  /** Every acceptable answer when the dataset row has several, else null. */
  references: (string[] | null)[];
  /** Index into references of the one scored against (`matched_reference`), null for a single reference. */
  matched: (number | null)[];
  answer: (string | null)[];
  error: (string | null)[];
  cer: (number | null)[];
  anls: (number | null)[];
  exact: (0 | 1 | null)[];
  latencyMs: (number | null)[];
  /** 1 when the answer came from the answer cache: its latency is the original request's, not this run's. */
  fromCache: (0 | 1)[];
  /** Index into images, -1 when the image is not known. */
  image: number[];
  bbox: ([number, number, number, number] | null)[];
}

export interface Sweep {
  label: string;
  kind: 'long_side' | 'max_pixels';
  points: { value: number; task: number; cer: number | null; secondsPerDoc: number | null }[];
}

export interface PromptComparison {
  label: string;
  tasks: number[];
}

export interface ReportModel {
  title: string;
  generatedAt: string;
  toolVersion: string;
  tasks: ReportTask[];
  /** Task indices, best first. */
  leaderboard: number[];
  /** Task indices on the accuracy / seconds per document / GPU memory Pareto front. */
  pareto: number[];
  sweeps: Sweep[];
  promptComparisons: PromptComparison[];
  /** Metrics present in any task's overall, in display order. */
  metricKeys: string[];
  answers: AnswerTable;
  images: ReportImage[];
  warnings: string[];
}

export interface ModelOptions {
  toolVersion: string;
  now?: Date;
  title?: string;
  /** Extra limit: overall CER must not exceed this. */
  cerTarget?: number;
}

const METRIC_ORDER = ['cer', 'wer', 'bleu', 'anls', 'exact_match', 'doc_all_correct'];

function numbers(m: Record<string, number | null> | undefined): Numbers {
  return m ? { ...m } : {};
}

function baseName(p: string | undefined): string | null {
  return p ? basename(p) : null;
}

function resolutionOf(run: LoadedRun): ReportTask['resolution'] {
  if (run.task.longSide !== undefined) return { kind: 'long_side', value: run.task.longSide };
  if (run.task.maxPixels !== undefined) return { kind: 'max_pixels', value: run.task.maxPixels };
  return null;
}

function labelParts(
  framework: string,
  model: string,
  prompts: string | null,
  resolution: ReportTask['resolution'],
): (string | null)[] {
  return [
    framework,
    model,
    prompts,
    resolution ? `${resolution.kind === 'long_side' ? 'long side' : 'max pixels'} ${resolution.value}` : null,
  ];
}

/** Drops label parts every task shares, so legends show what tells the tasks apart. */
function shortLabels(tasks: ReportTask[]): void {
  const parts = tasks.map((t) => labelParts(t.framework, t.model, t.promptCollection, t.resolution));
  const differs = (k: number) => new Set(parts.map((p) => p[k] ?? '')).size > 1;
  const keep = [0, 1, 2, 3].filter(differs);
  tasks.forEach((t, i) => {
    const s = keep
      .map((k) => parts[i]![k])
      .filter(Boolean)
      .join(' · ');
    t.short = s || t.id;
  });
}

function normalizationText(m: MetricsFile | undefined): string {
  const n = m?.normalization;
  if (!n) return 'n/a';
  return Object.entries(n)
    .map(([k, v]) => `${k}: ${v.preset ?? 'custom'}`)
    .join('; ');
}

/** True for an answer the run took from the answer cache, as src/task/score.ts counts it. */
export function fromCache(a: AnswerLine): boolean {
  return servedFromCache((a as Record<string, unknown>)['extra']);
}

/**
 * Per-document model time: a document's requests summed, one shared request counted once. Cached
 * answers cost this run no model time and are left out, as metrics.json's speed leaves them out.
 */
function documentLatencies(run: LoadedRun): number[] {
  const perDoc = new Map<string, number>();
  const seen = new Set<string>();
  for (const a of run.answers) {
    if (fromCache(a)) continue;
    if (a.requestId !== undefined) {
      if (seen.has(a.requestId)) continue;
      seen.add(a.requestId);
    }
    perDoc.set(a.docId, (perDoc.get(a.docId) ?? 0) + a.latencyMs);
  }
  return [...perDoc.values()].sort((x, y) => x - y);
}

function thin(sorted: number[], max = 200): [number, number][] {
  if (sorted.length === 0) return [];
  const out: [number, number][] = [];
  const step = Math.max(1, Math.ceil(sorted.length / max));
  for (let i = step - 1; i < sorted.length; i += step)
    out.push([round(sorted[i]!, 1), (i + 1) / sorted.length]);
  const last = sorted.length - 1;
  if (out[out.length - 1]?.[1] !== 1) out.push([round(sorted[last]!, 1), 1]);
  return out;
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function statusOf(run: LoadedRun, total: number | null): ReportTask['status'] {
  const s = run.metrics?.status;
  const cached = run.answers.filter(fromCache).length;
  if (s) {
    return {
      complete: s.complete,
      partial: s.partial,
      answered: s.answered,
      total: s.total,
      failed: s.failed,
      errorsByCode: s.errors_by_code,
      fromCache: s.from_cache ?? cached,
      source: 'metrics',
    };
  }
  const errorsByCode: Record<string, number> = {};
  let failed = 0;
  for (const a of run.answers) {
    if (a.error === null) continue;
    failed++;
    const code = a.error.code ?? 'unknown';
    errorsByCode[code] = (errorsByCode[code] ?? 0) + 1;
  }
  const answered = run.answers.length - failed;
  const complete = total !== null && run.answers.length >= total && failed === 0;
  return {
    complete,
    partial: total !== null && run.answers.length < total,
    answered,
    total,
    failed,
    errorsByCode,
    fromCache: cached,
    source: 'answers',
  };
}

function taskOf(run: LoadedRun, opts: ModelOptions): ReportTask {
  const t = run.task;
  const m = run.metrics;
  const filters = {
    docClass: t.filterDocClass?.length ? new Set(t.filterDocClass) : undefined,
    questionType: t.filterQuestionType?.length ? new Set(t.filterQuestionType) : undefined,
  };
  const total = run.dataset
    ? run.dataset.samples.filter(
        (s) =>
          (!filters.docClass || filters.docClass.has(s.docClass)) &&
          (!filters.questionType || filters.questionType.has(s.questionType)),
      ).length
    : null;
  const docs = documentLatencies(run);
  const speed = m?.speed;
  const timed = speed?.documentLatencyMs;
  const docLatencyMs =
    timed &&
    timed.mean !== null &&
    timed.p50 !== null &&
    timed.p90 !== null &&
    timed.p99 !== null &&
    timed.max !== null
      ? {
          mean: timed.mean,
          p50: timed.p50,
          p90: timed.p90,
          p99: timed.p99,
          max: timed.max,
        }
      : docs.length > 0
        ? {
            mean: docs.reduce((s, x) => s + x, 0) / docs.length,
            p50: percentile(docs, 0.5),
            p90: percentile(docs, 0.9),
            p99: percentile(docs, 0.99),
            max: docs[docs.length - 1]!,
          }
        : null;
  const secondsPerDoc = docLatencyMs ? docLatencyMs.mean / 1000 : null;
  const gpuMb = m?.resources?.gpu_memory_peak_mb ?? null;
  const gpuMemoryGb = gpuMb === null ? null : gpuMb / 1024;
  const overall = numbers(m?.overall);
  const overallWithErrors = m?.overall_with_errors ? numbers(m.overall_with_errors) : null;
  const cer = overallWithErrors?.['cer'] ?? overall['cer'] ?? null;
  // An empty list means the user set no limits: the seed's defaults judge the task then.
  const ownLimits = m?.limits && m.limits.length > 0 ? m.limits : undefined;
  const limits =
    ownLimits ??
    defaultLimits({
      secondsPerDoc,
      maxSecondsPerDoc: docLatencyMs ? docLatencyMs.max / 1000 : null,
      gpuMemoryGb,
      cer,
      cerTarget: opts.cerTarget,
    });
  const resolution = resolutionOf(run);
  const promptCollection = baseName(t.promptCollectionFile);
  const settings: ReportTask['settings'] = {
    mode: t.mode ?? 'field',
    long_side: t.longSide ?? null,
    max_pixels: t.maxPixels ?? null,
    max_tokens: t.maxTokens ?? null,
    concurrency: t.concurrency ?? null,
    base_url: t.baseUrl ?? null,
    filter_doc_class: t.filterDocClass?.join(', ') ?? null,
    filter_question_type: t.filterQuestionType?.join(', ') ?? null,
  };
  const firstAnswer = run.answers[0];
  if (firstAnswer) {
    const s = (firstAnswer as Record<string, unknown>)['settings'];
    if (s && typeof s === 'object') {
      for (const [k, v] of Object.entries(s as Record<string, unknown>)) {
        if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') settings[k] = v;
      }
    }
  }
  const sessions = run.sessions?.sessions ?? [];
  const r = m?.run;
  const status = statusOf(run, total);
  return {
    id: basename(run.dir),
    dir: run.dir,
    label: labelParts(t.framework, t.model, promptCollection, resolution).filter(Boolean).join(' · '),
    short: '',
    framework: t.framework,
    frameworkVersion: m?.server?.version ?? null,
    model: t.model,
    dataset: t.dataset,
    datasetDir: t.datasetDir,
    promptCollection,
    systemPrompt: baseName(t.systemPromptFile),
    mode: t.mode ?? 'field',
    settings,
    resolution,
    normalization: normalizationText(m),
    status,
    overall,
    overallWithErrors,
    byDocType: m?.by_doc_type ?? {},
    byField: m?.by_doc_question ?? {},
    bySplit: m?.by_split ?? {},
    secondsPerDoc,
    docLatencyMs,
    latencyCdf: thin(docs),
    docsPerSecond: m?.timing?.docs_per_s ?? speed?.docsPerSecond ?? null,
    gpuMemoryGb,
    device: m?.resources?.device ?? null,
    cost: m?.cost
      ? { per1000: m.cost.per_1000_docs, currency: m.cost.currency, pricePerHour: m.cost.gpu_price_per_hour }
      : null,
    limits,
    limitsSource: ownLimits ? 'metrics.json' : 'defaults',
    verdict: status.partial ? 'fail' : verdictOf(limits),
    run: {
      toolVersion: r?.tool_version ?? null,
      executor: r?.executor ?? null,
      startedAt: r?.started_at ?? sessions[0]?.startedAt ?? firstAnswer?.at ?? null,
      endedAt: r?.ended_at ?? sessions[sessions.length - 1]?.endedAt ?? null,
      machine: r ? `${r.machine.hostname} (${r.machine.cpus} CPUs, ${r.machine.platform})` : null,
    },
  };
}

/** An answer table with no rows: every column present and empty. */
export function emptyAnswers(): AnswerTable {
  return {
    strings: [],
    task: [],
    doc: [],
    docType: [],
    field: [],
    split: [],
    prompt: [],
    expected: [],
    references: [],
    matched: [],
    answer: [],
    error: [],
    cer: [],
    anls: [],
    exact: [],
    latencyMs: [],
    fromCache: [],
    image: [],
    bbox: [],
  };
}

/** Each answer scored on its own with the run's own normalisation, so the rows agree with metrics.json. */
function scoreAnswers(run: LoadedRun, samples: Map<number, Sample>) {
  const items: ScoreInput[] = run.answers.map((a) => ({
    id: a.id,
    docId: a.docId,
    docClass: a.docClass,
    questionType: a.questionType,
    reference: samples.get(a.id)?.answer ?? '',
    ...(samples.get(a.id)?.references ? { references: samples.get(a.id)!.references! } : {}),
    prediction: a.error === null ? (a.answer ?? '') : null,
  }));
  const scorer = createScorer(
    items,
    ['cer', 'anls', 'exact_match'],
    run.task.normalization as NormalizationSettings | undefined,
  );
  return (i: number) => scorer.item(i);
}

export function buildModel(runs: readonly LoadedRun[], opts: ModelOptions): ReportModel {
  const tasks = runs.map((r) => taskOf(r, opts));
  // Two runs in folders of the same name (different parents) still need distinct ids.
  const seen = new Map<string, number>();
  for (const t of tasks) {
    const n = seen.get(t.id) ?? 0;
    seen.set(t.id, n + 1);
    if (n > 0) t.id = `${t.id}~${n + 1}`;
  }
  shortLabels(tasks);
  const strings = stringTable();
  const answers = emptyAnswers();
  const images: ReportImage[] = [];
  const imageIndex = new Map<string, number>();
  const warnings = runs.flatMap((r) => r.warnings);
  runs.forEach((run, ti) => {
    const samples = new Map((run.dataset?.samples ?? []).map((s) => [s.id, s]));
    const score = run.dataset ? scoreAnswers(run, samples) : undefined;
    const byId = (run.metrics as Record<string, unknown> | undefined)?.['by_id'] as
      | Record<string, Numbers>
      | undefined;
    run.answers.forEach((a, i) => {
      const s = samples.get(a.id);
      const item = score?.(i) ?? byId?.[String(a.id)];
      answers.task.push(ti);
      answers.doc.push(strings.id(a.docId));
      answers.docType.push(strings.id(a.docClass));
      answers.field.push(strings.id(a.questionType));
      answers.split.push(strings.id(s?.split ?? ''));
      answers.prompt.push(strings.id(a.prompt));
      const refs = s?.references && s.references.length > 1 ? s.references : null;
      const matched =
        refs && typeof item?.['matched_reference'] === 'number' ? item['matched_reference'] : null;
      answers.expected.push(s ? (matched !== null ? (refs![matched] ?? s.answer) : s.answer) : null);
      answers.references.push(refs ? [...refs] : null);
      answers.matched.push(matched);
      answers.fromCache.push(fromCache(a) ? 1 : 0);
      answers.answer.push(a.answer);
      answers.error.push(a.error ? `${a.error.code ?? 'error'}: ${a.error.message ?? ''}` : null);
      const cer = item?.['cer'];
      const anls = item?.['anls'];
      const em = item?.['exact_match'];
      answers.cer.push(typeof cer === 'number' ? round(cer, 4) : null);
      answers.anls.push(typeof anls === 'number' ? round(anls, 4) : null);
      answers.exact.push(typeof em === 'number' ? (em === 1 ? 1 : 0) : null);
      answers.latencyMs.push(round(a.latencyMs, 1));
      answers.bbox.push(s?.answerBbox ?? null);
      if (s?.imageAbsPath) {
        let k = imageIndex.get(s.imageAbsPath);
        if (k === undefined) {
          k = images.length;
          images.push({ name: s.imagePath, abs: s.imageAbsPath });
          imageIndex.set(s.imageAbsPath, k);
        }
        answers.image.push(k);
        if (a.error !== null || answers.exact[answers.exact.length - 1] !== 1) images[k]!.wrong = true;
      } else answers.image.push(-1);
    });
  });
  answers.strings = strings.list;
  const present = new Set(tasks.flatMap((t) => Object.keys(t.overall)));
  return {
    title: opts.title ?? 'VLMHyperBench report',
    generatedAt: (opts.now ?? new Date()).toISOString(),
    toolVersion: opts.toolVersion,
    tasks,
    leaderboard: rankTasks(tasks),
    pareto: paretoFront(tasks),
    sweeps: sweeps(tasks),
    promptComparisons: promptComparisons(tasks),
    metricKeys: METRIC_ORDER.filter((k) => present.has(k)),
    answers,
    images,
    warnings,
  };
}

/** Overall CER a task is judged by: failed items counted as empty answers when the run says so. */
export function taskCer(t: ReportTask): number | null {
  return t.overallWithErrors?.['cer'] ?? t.overall['cer'] ?? null;
}

function groupBy<K>(tasks: readonly ReportTask[], key: (t: ReportTask) => K): Map<string, number[]> {
  const out = new Map<string, number[]>();
  tasks.forEach((t, i) => {
    const k = JSON.stringify(key(t));
    const g = out.get(k);
    if (g) g.push(i);
    else out.set(k, [i]);
  });
  return out;
}

/** Tasks that differ only in image resolution: a sweep. */
function sweeps(tasks: readonly ReportTask[]): Sweep[] {
  const out: Sweep[] = [];
  const groups = groupBy(tasks, (t) => [
    t.dataset,
    t.framework,
    t.model,
    t.promptCollection,
    t.systemPrompt,
    t.mode,
    t.resolution?.kind ?? null,
  ]);
  for (const idx of groups.values()) {
    const withRes = idx.filter((i) => tasks[i]!.resolution !== null);
    const values = new Set(withRes.map((i) => tasks[i]!.resolution!.value));
    if (values.size < 2) continue;
    const first = tasks[withRes[0]!]!;
    out.push({
      label: `${first.framework} · ${first.model}${first.promptCollection ? ` · ${first.promptCollection}` : ''}`,
      kind: first.resolution!.kind,
      points: withRes
        .map((i) => ({
          value: tasks[i]!.resolution!.value,
          task: i,
          cer: taskCer(tasks[i]!),
          secondsPerDoc: tasks[i]!.secondsPerDoc,
        }))
        .sort((a, b) => a.value - b.value),
    });
  }
  return out;
}

/** Tasks that differ only in prompt collection: compared field by field. */
function promptComparisons(tasks: readonly ReportTask[]): PromptComparison[] {
  const out: PromptComparison[] = [];
  const groups = groupBy(tasks, (t) => [
    t.dataset,
    t.framework,
    t.model,
    t.mode,
    t.resolution,
    t.systemPrompt,
  ]);
  for (const idx of groups.values()) {
    const collections = new Set(idx.map((i) => tasks[i]!.promptCollection));
    if (collections.size < 2) continue;
    const first = tasks[idx[0]!]!;
    out.push({ label: `${first.framework} · ${first.model} · ${first.dataset}`, tasks: idx });
  }
  return out;
}
