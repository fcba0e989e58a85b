import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EXECUTOR_NAMES } from '../../config/schema.js';
import type { PlannedTask } from '../../config/types.js';
import { VlmhbError } from '../../errors.js';
import { EXECUTOR_IDS, isExecutorId } from '../../executors/registry.js';
import type { NormalizationSettings } from '../../metrics/aggregate.js';
import { canonicalAggregator, canonicalMetric } from '../../metrics/registry.js';

/** Flags of `vlmhb run` / `vlmhb plan` that set task fields. */
export interface TaskFlagValues {
  model?: string;
  prompts?: string;
  systemPrompt?: string;
  out?: string;
  metrics?: string[];
  aggregators?: string[];
  filterDocClass?: string[];
  filterQuestionType?: string[];
  onlyEvaluateMetrics?: boolean;
  baseUrl?: string;
  apiKeyEnv?: string;
  concurrency?: number;
  longSide?: number;
  maxPixels?: number;
  maxTokens?: number;
  normalize?: NormalizationSettings;
  mode?: 'field' | 'document';
  dockerImage?: string;
  /** Seconds per request attempt. */
  timeout?: number;
  maxRetries?: number;
  executor?: string;
}

function canonical(names: string[], canon: (n: string) => string | undefined, flag: string): string[] {
  const bad = names.filter((n) => canon(n) === undefined);
  if (bad.length > 0) throw new VlmhbError('VLMHB_USAGE', `${flag}: unknown name(s) ${bad.join(', ')}`);
  return [...new Set(names.map((n) => canon(n) as string))];
}

function existingFile(path: string, flag: string): string {
  const abs = resolve(path);
  if (!existsSync(abs))
    throw new VlmhbError('VLMHB_FILE_NOT_FOUND', `${flag}: no such file`, { where: { file: abs } });
  return abs;
}

export function checkExecutor(id: string | undefined): string | undefined {
  if (id === undefined) return undefined;
  const e = id.trim().toLowerCase();
  if (!isExecutorId(e) && !EXECUTOR_NAMES.includes(e))
    throw new VlmhbError(
      'VLMHB_USAGE',
      `--executor: unknown executor "${id}"; known: ${[...new Set([...EXECUTOR_NAMES, ...EXECUTOR_IDS])].join(', ')}`,
    );
  return e;
}

/**
 * Flags given together with a config apply to every task (a flag wins over the config's value). `--out`
 * moves every task's outputs under that folder: its own run folder in out/runs/, and the original
 * project's ModelsAnswers/, ModelsMetrics/, Reports/ beside it.
 */
export function configOverrides(f: TaskFlagValues): Partial<PlannedTask> {
  const o: Partial<PlannedTask> = {};
  if (f.model !== undefined) o.model = f.model;
  if (f.prompts !== undefined) o.promptCollectionFile = existingFile(f.prompts, '--prompts');
  if (f.systemPrompt !== undefined) o.systemPromptFile = existingFile(f.systemPrompt, '--system-prompt');
  if (f.metrics !== undefined) o.metrics = canonical(f.metrics, canonicalMetric, '--metrics');
  if (f.aggregators !== undefined)
    o.aggregators = canonical(f.aggregators, canonicalAggregator, '--aggregators');
  if (f.filterDocClass !== undefined) o.filterDocClass = f.filterDocClass;
  if (f.filterQuestionType !== undefined) o.filterQuestionType = f.filterQuestionType;
  if (f.onlyEvaluateMetrics) o.onlyEvaluateMetrics = true;
  if (f.baseUrl !== undefined) o.baseUrl = f.baseUrl;
  if (f.apiKeyEnv !== undefined) o.apiKeyEnv = f.apiKeyEnv;
  if (f.concurrency !== undefined) o.concurrency = f.concurrency;
  if (f.longSide !== undefined) o.longSide = f.longSide;
  if (f.maxPixels !== undefined) o.maxPixels = f.maxPixels;
  if (f.maxTokens !== undefined) o.maxTokens = f.maxTokens;
  if (f.normalize !== undefined) o.normalization = f.normalize;
  if (f.mode !== undefined) o.mode = f.mode;
  if (f.dockerImage !== undefined) o.dockerImage = f.dockerImage;
  if (f.timeout !== undefined) o.timeoutMs = f.timeout * 1000;
  if (f.maxRetries !== undefined) o.maxRetries = f.maxRetries;
  const ex = checkExecutor(f.executor);
  if (ex !== undefined) o.executor = ex;
  if (f.out !== undefined) {
    const out = resolve(f.out);
    o.dataRoot = out;
    o.answersDir = join(out, 'ModelsAnswers');
    o.metricsDir = join(out, 'ModelsMetrics');
    o.reportsDir = join(out, 'Reports');
  }
  return o;
}

/** Applies overrides; a task's own run folder is dropped when --out moves outputs (it is re-derived there). */
export function applyOverrides(
  tasks: PlannedTask[],
  o: Partial<PlannedTask>,
  out: string | undefined,
): PlannedTask[] {
  return tasks.map((t) => {
    const next: PlannedTask = { ...t, ...o };
    if (out !== undefined) delete next.runDir;
    return next;
  });
}
