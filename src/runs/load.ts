import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { loadDataset } from '../dataset/load.js';
import type { Dataset } from '../dataset/types.js';
import { VlmhbError } from '../errors.js';
import type { NormalizationSettings } from '../metrics/aggregate.js';
import { type LoggedAnswer, readAnswersJsonl } from './answers.js';

/** What a run folder's task.json must say for its answers to be judged again (other keys pass through). */
const taskJsonSchema = z
  .object({
    datasetDir: z.string(),
    dataset: z.string().optional(),
    framework: z.string(),
    model: z.string(),
    filterDocClass: z.array(z.string()).optional(),
    filterQuestionType: z.array(z.string()).optional(),
    normalization: z.record(z.string(), z.unknown()).optional(),
    promptCollectionFile: z.string().optional(),
    systemPromptFile: z.string().optional(),
    fingerprint: z.string().optional(),
  })
  .passthrough();

export type RunTaskJson = z.infer<typeof taskJsonSchema>;

/** A finished (or partial) run folder as written by the runner: the task, its dataset and answers. */
export interface LoadedRun {
  dir: string;
  task: RunTaskJson;
  dataset: Dataset;
  /** sha256 of the annotation file: two runs on the same data agree on it wherever the folder lives. */
  datasetHash: string;
  answers: Map<number, LoggedAnswer>;
  /** metrics.json when present (resources, timing and status are read from it where written). */
  metrics: Record<string, unknown> | undefined;
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new VlmhbError('VLMHB_ANSWERS_INVALID', `cannot read JSON: ${(e as Error).message}`, {
      where: { file },
      cause: e,
    });
  }
}

/**
 * Loads a run folder. `datasetDir` overrides the one task.json names (the run was made on another
 * machine, e.g. a stored CI baseline); the annotation hash still decides whether two runs compare.
 */
export async function loadRun(dir: string, opts: { datasetDir?: string } = {}): Promise<LoadedRun> {
  const taskFile = join(dir, 'task.json');
  if (!existsSync(taskFile))
    throw new VlmhbError('VLMHB_FILE_NOT_FOUND', 'not a run folder: task.json is missing', {
      where: { file: taskFile },
    });
  const parsed = taskJsonSchema.safeParse(readJson(taskFile));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new VlmhbError('VLMHB_ANSWERS_INVALID', `task.json: ${issue?.message ?? 'invalid'}`, {
      where: { file: taskFile, ...(issue?.path.length ? { key: issue.path.join('.') } : {}) },
    });
  }
  const task = parsed.data;
  const dataset = await loadDataset(opts.datasetDir ?? task.datasetDir, {
    ...(task.filterDocClass ? { filterDocClass: task.filterDocClass } : {}),
    ...(task.filterQuestionType ? { filterQuestionType: task.filterQuestionType } : {}),
  });
  const datasetHash = createHash('sha256').update(readFileSync(dataset.annotationFile)).digest('hex');
  const answersFile = join(dir, 'answers.jsonl');
  if (!existsSync(answersFile))
    throw new VlmhbError('VLMHB_FILE_NOT_FOUND', 'the run has no answers.jsonl', {
      where: { file: answersFile },
    });
  const metricsFile = join(dir, 'metrics.json');
  const metrics = existsSync(metricsFile) ? (readJson(metricsFile) as Record<string, unknown>) : undefined;
  return { dir, task, dataset, datasetHash, answers: readAnswersJsonl(answersFile), metrics };
}

export function runNormalization(run: LoadedRun): NormalizationSettings | undefined {
  return run.task.normalization as NormalizationSettings | undefined;
}

/** A number at a dotted path of metrics.json (e.g. `resources.gpu_memory_peak_mb`), when written. */
export function metricsNumber(run: LoadedRun, path: string): number | undefined {
  let v: unknown = run.metrics;
  for (const k of path.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[k];
  }
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}
