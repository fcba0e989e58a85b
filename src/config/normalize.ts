import type { z } from 'zod';
import { canonicalFramework, FRAMEWORK_IDS } from '../engines/registry.js';
import type { VlmhbIssue } from '../errors.js';
import { EXECUTOR_IDS, isExecutorId } from '../executors/registry.js';
import {
  AGGREGATOR_IDS,
  canonicalAggregator as knownAggregator,
  canonicalMetric as knownMetric,
  METRIC_IDS,
} from '../metrics/registry.js';
import { candidatePaths, type DataDirs, findPath, type PathKind } from './paths.js';
import type { RawTask } from './raw.js';
import { EXECUTOR_NAMES, type LaunchSchema, TaskSchema } from './schema.js';
import { DEFAULT_AGGREGATORS, DEFAULT_METRICS, type PlannedTask } from './types.js';

export interface NormalizeContext {
  /** Folder that relative paths in the config are read against first. */
  configDir: string;
  dirs: DataDirs;
}

/** Frameworks that run locally and need no model name (the model is the OCR engine itself). */
const MODEL_OPTIONAL = new Set(['tesseract']);

/**
 * Normalise and cross-field step for one task: schema check, names to canonical ids, paths resolved
 * against the data root conventions. Returns every issue found instead of stopping at the first.
 */
export function normalizeTask(
  raw: RawTask,
  ctx: NormalizeContext,
): { task?: PlannedTask; issues: VlmhbIssue[] } {
  const issues: VlmhbIssue[] = [];
  const parsed = TaskSchema.safeParse(raw.input);
  if (!parsed.success) {
    for (const i of parsed.error.issues) {
      const field = i.path.filter((p) => typeof p === 'string').join('.');
      const message =
        i.code === 'invalid_type' && i.input === undefined ? `"${field}" is required` : i.message;
      issues.push({ code: 'VLMHB_CONFIG_INVALID', message, where: raw.where(field) });
    }
    return { issues };
  }
  const t = parsed.data;

  const framework = canonicalFramework(t.framework);
  if (!framework) {
    issues.push({
      code: 'VLMHB_CONFIG_UNKNOWN_FRAMEWORK',
      message: `unknown framework "${t.framework}"; known: ${FRAMEWORK_IDS.join(', ')}`,
      where: raw.where('framework'),
    });
  }
  let model = t.model.trim();
  if (!model && framework && MODEL_OPTIONAL.has(framework)) model = framework;
  if (!model && framework) {
    issues.push({
      code: 'VLMHB_CONFIG_INVALID',
      message: `framework "${framework}" needs a model name`,
      where: raw.where('model'),
    });
  }

  const metrics = canonicalList(t.metrics, knownMetric, DEFAULT_METRICS, (name) =>
    issues.push({
      code: 'VLMHB_CONFIG_UNKNOWN_METRIC',
      message: `unknown metric "${name}"; known: ${METRIC_IDS.join(', ')}`,
      where: raw.where('metrics'),
    }),
  );
  const aggregators = canonicalList(t.aggregators, knownAggregator, DEFAULT_AGGREGATORS, (name) =>
    issues.push({
      code: 'VLMHB_CONFIG_UNKNOWN_AGGREGATOR',
      message: `unknown aggregator "${name}"; known: ${AGGREGATOR_IDS.join(', ')} (and "general" = overall)`,
      where: raw.where('aggregators'),
    }),
  );

  const pathCtx = { configDir: ctx.configDir, dirs: ctx.dirs, task: t.task, dataset: t.dataset, model };
  const find = (kind: PathKind, written: string | undefined): string | undefined => {
    if (written === undefined || written.trim() === '') return undefined;
    const candidates = candidatePaths(kind, written.trim(), pathCtx);
    const found = findPath(kind, candidates);
    if (!found) {
      const what =
        kind === 'dataset'
          ? 'dataset folder'
          : kind === 'system_prompt'
            ? 'system prompt file'
            : 'prompt collection file';
      issues.push({
        code: 'VLMHB_FILE_NOT_FOUND',
        message: `${what} "${written}" not found; looked in:\n${candidates.map((c) => `      ${c}`).join('\n')}`,
        where: raw.where(kind),
      });
    }
    return found;
  };
  const datasetDir = find('dataset', t.dataset);
  const systemPromptFile = find('system_prompt', t.system_prompt);
  const promptCollectionFile = find('prompt_collection', t.prompt_collection);

  if (issues.length > 0 || !framework || !datasetDir) return { issues };

  const task: PlannedTask = {
    index: raw.index,
    source: raw.source,
    datasetDir,
    dataset: t.dataset,
    task: t.task,
    framework,
    model,
    metrics,
    onlyEvaluateMetrics: t.only_evaluate_metrics,
    aggregators,
    dataRoot: ctx.dirs.root,
    answersDir: ctx.dirs.answers,
    metricsDir: ctx.dirs.metrics,
    reportsDir: ctx.dirs.reports,
  };
  if (t.docker_image) task.dockerImage = t.docker_image;
  if (systemPromptFile) task.systemPromptFile = systemPromptFile;
  if (promptCollectionFile) task.promptCollectionFile = promptCollectionFile;
  const docClass = cleanList(t.filter?.doc_class);
  if (docClass) task.filterDocClass = docClass;
  const questionType = cleanList(t.filter?.question_type);
  if (questionType) task.filterQuestionType = questionType;
  if (t.base_url) task.baseUrl = t.base_url;
  if (t.api_key_env) task.apiKeyEnv = t.api_key_env;
  if (t.concurrency !== undefined) task.concurrency = t.concurrency;
  if (t.long_side !== undefined) task.longSide = t.long_side;
  if (t.long_side_by_doc_class !== undefined) task.longSideByDocClass = t.long_side_by_doc_class;
  if (t.max_pixels !== undefined) task.maxPixels = t.max_pixels;
  if (t.max_image_pixels !== undefined) task.maxImagePixels = t.max_image_pixels;
  if (t.normalization !== undefined) task.normalization = t.normalization;
  if (t.max_tokens !== undefined) task.maxTokens = t.max_tokens;
  if (t.mode !== undefined) task.mode = t.mode;
  if (t.timeout_s !== undefined) task.timeoutMs = t.timeout_s * 1000;
  if (t.max_retries !== undefined) task.maxRetries = t.max_retries;
  if (t.params !== undefined) task.params = t.params;
  if (t.executor !== undefined) {
    const id = t.executor.trim().toLowerCase();
    if (isExecutorId(id) || EXECUTOR_NAMES.includes(id)) task.executor = id;
    else
      issues.push({
        code: 'VLMHB_CONFIG_INVALID',
        message: `unknown executor "${t.executor}"; known: ${[...new Set([...EXECUTOR_NAMES, ...EXECUTOR_IDS])].join(', ')}`,
        where: raw.where('executor'),
      });
  }
  if (t.executor_options !== undefined) task.executorOptions = t.executor_options;
  if (t.launch !== undefined) task.launch = launchOptions(t.launch);
  if (t.gpu_price_per_hour !== undefined) task.gpuPricePerHour = t.gpu_price_per_hour;
  if (t.currency !== undefined) task.currency = t.currency;
  if (t.limits !== undefined) task.limits = t.limits;
  if (t.slurm !== undefined) task.slurm = t.slurm;
  return issues.length > 0 ? { issues } : { task, issues };
}

function launchOptions(l: z.output<typeof LaunchSchema>): NonNullable<PlannedTask['launch']> {
  const out: NonNullable<PlannedTask['launch']> = {};
  if (l.dtype !== undefined) out.dtype = l.dtype;
  if (l.max_model_len !== undefined) out.maxModelLen = l.max_model_len;
  if (l.images_per_prompt !== undefined) out.imagesPerPrompt = l.images_per_prompt;
  if (l.min_pixels !== undefined) out.minPixels = l.min_pixels;
  if (l.max_pixels !== undefined) out.maxPixels = l.max_pixels;
  if (l.gpu_memory_fraction !== undefined) out.gpuMemoryFraction = l.gpu_memory_fraction;
  if (l.trust_remote_code !== undefined) out.trustRemoteCode = l.trust_remote_code;
  if (l.served_model_name !== undefined) out.servedModelName = l.served_model_name;
  if (l.mmproj !== undefined) out.mmproj = l.mmproj;
  if (l.extra_args !== undefined) out.extraArgs = l.extra_args;
  return out;
}

/** Canonical ids in the user's order without repeats; an empty list means the defaults. */
function canonicalList(
  names: string[],
  canonical: (name: string) => string | undefined,
  defaults: readonly string[],
  unknown: (name: string) => void,
): string[] {
  const out: string[] = [];
  for (const name of names) {
    if (name.trim() === '') continue;
    const id = canonical(name);
    if (id === undefined) unknown(name);
    else if (!out.includes(id)) out.push(id);
  }
  return out.length > 0 || names.some((n) => n.trim() !== '') ? out : [...defaults];
}

/** A filter value as a clean list; absent or all-blank → undefined (no filtering). */
function cleanList(value: string | string[] | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const list = (Array.isArray(value) ? value : [value]).map((v) => v.trim()).filter((v) => v !== '');
  return list.length > 0 ? list : undefined;
}
