import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { z } from 'zod';
import { loadDataset } from '../../dataset/load.js';
import type { Dataset } from '../../dataset/types.js';
import { VlmhbError } from '../../errors.js';
import {
  type AnswerLine,
  answerLineSchema,
  type MetricsFile,
  metricsFileSchema,
  type SessionsFile,
  sessionsFileSchema,
  type TaskFile,
  taskFileSchema,
} from './schema.js';

/** One run folder as read from disk; nothing in it is trusted beyond its schema. */
export interface LoadedRun {
  /** Absolute path of the run folder. */
  dir: string;
  task: TaskFile;
  /** Absent while a run has answers but was never scored (interrupted before saving). */
  metrics?: MetricsFile;
  /** Latest record per id, in id order (a retried error is superseded by its re-ask). */
  answers: AnswerLine[];
  sessions?: SessionsFile;
  /** The dataset the task ran on; absent when its folder is gone (the report then lacks expected values). */
  dataset?: Dataset;
  /** Problems that did not stop loading, for the log. */
  warnings: string[];
}

/** A folder is a run when it holds task.json and at least one of answers.jsonl / metrics.json. */
export function isRunDir(dir: string): boolean {
  return (
    existsSync(join(dir, 'task.json')) &&
    (existsSync(join(dir, 'answers.jsonl')) || existsSync(join(dir, 'metrics.json')))
  );
}

const SKIP = new Set(['node_modules', 'ModelsAnswers', 'ModelsMetrics', 'Reports', 'images', 'Datasets']);

/**
 * Run folders named by the user: each argument is a run folder or a folder searched for them
 * (a results root, a data root's runs/). Symbolic links are not followed, so a search stays where
 * the user pointed it; the result is sorted for stable reports.
 */
export function findRunDirs(paths: readonly string[], maxDepth = 4): string[] {
  const found = new Set<string>();
  const walk = (dir: string, depth: number) => {
    if (isRunDir(dir)) {
      found.add(dir);
      return;
    }
    if (depth >= maxDepth) return;
    let entries: import('node:fs').Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (!e.isDirectory() || e.name.startsWith('.') || SKIP.has(e.name)) continue;
      walk(join(dir, e.name), depth + 1);
    }
  };
  for (const p of paths) {
    const abs = resolve(p);
    if (!existsSync(abs) || !statSync(abs).isDirectory()) {
      throw new VlmhbError('VLMHB_FILE_NOT_FOUND', 'not a folder', { where: { file: abs } });
    }
    walk(abs, 0);
  }
  return [...found].sort();
}

function readJson<T>(file: string, schema: z.ZodType<T>): T {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new VlmhbError('VLMHB_RUN_INVALID', `not valid JSON: ${(e as Error).message}`, {
      where: { file },
      cause: e,
    });
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new VlmhbError(
      'VLMHB_RUN_INVALID',
      `${first?.path.join('.') || '(file)'}: ${first?.message ?? 'invalid'}`,
      { where: { file, ...(first ? { key: first.path.join('.') } : {}) } },
    );
  }
  return parsed.data;
}

/**
 * answers.jsonl, read only (the runner's AnswersLog would cut a torn tail: a report must not write).
 * A last line without a newline is a write in progress and skipped; a bad line elsewhere is an error
 * naming its line.
 */
export function readAnswers(file: string): AnswerLine[] {
  if (!existsSync(file)) return [];
  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n');
  const torn = !text.endsWith('\n');
  const latest = new Map<number, AnswerLine>();
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    if (torn && i === lines.length - 1) return;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch (e) {
      throw new VlmhbError('VLMHB_ANSWERS_INVALID', `not valid JSON: ${(e as Error).message}`, {
        where: { file, row: i + 1 },
      });
    }
    const parsed = answerLineSchema.safeParse(raw);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      throw new VlmhbError('VLMHB_ANSWERS_INVALID', `${first?.message ?? 'invalid record'}`, {
        where: { file, row: i + 1, ...(first ? { column: first.path.join('.') } : {}) },
      });
    }
    latest.set(parsed.data.id, parsed.data);
  });
  return [...latest.values()].sort((a, b) => a.id - b.id);
}

/** Datasets read once per folder: every task of a sweep shares one. */
export type DatasetCache = Map<string, Promise<Dataset>>;

export async function loadRun(dir: string, datasets: DatasetCache = new Map()): Promise<LoadedRun> {
  const abs = resolve(dir);
  const taskFile = join(abs, 'task.json');
  if (!existsSync(taskFile)) {
    throw new VlmhbError('VLMHB_FILE_NOT_FOUND', 'not a run folder (no task.json)', { where: { file: abs } });
  }
  const task = readJson(taskFile, taskFileSchema);
  const metricsPath = join(abs, 'metrics.json');
  const sessionsPath = join(abs, 'sessions.json');
  const warnings: string[] = [];
  let dataset: Dataset | undefined;
  try {
    // Filters are applied by the model (ids are positions before filtering), so one load serves all.
    let pending = datasets.get(task.datasetDir);
    if (!pending) {
      pending = loadDataset(task.datasetDir);
      datasets.set(task.datasetDir, pending);
    }
    dataset = await pending;
  } catch (e) {
    warnings.push(
      `${abs}: dataset ${task.datasetDir} unreadable, expected answers and images left out: ${(e as Error).message.split('\n')[0]}`,
    );
  }
  return {
    dir: abs,
    task,
    ...(existsSync(metricsPath) ? { metrics: readJson(metricsPath, metricsFileSchema) } : {}),
    answers: readAnswers(join(abs, 'answers.jsonl')),
    ...(existsSync(sessionsPath) ? { sessions: readJson(sessionsPath, sessionsFileSchema) } : {}),
    ...(dataset ? { dataset } : {}),
    warnings,
  };
}

/** Every run under the given paths, sharing dataset reads. */
export async function loadRuns(paths: readonly string[]): Promise<LoadedRun[]> {
  const datasets: DatasetCache = new Map();
  const runs: LoadedRun[] = [];
  for (const dir of findRunDirs(paths)) runs.push(await loadRun(dir, datasets));
  return runs;
}

/** task.json and metrics.json only: enough to list a run without reading its answers or dataset. */
export function readRunHeader(dir: string): {
  task: TaskFile;
  metrics?: MetricsFile;
  sessions?: SessionsFile;
} {
  const metricsPath = join(dir, 'metrics.json');
  const sessionsPath = join(dir, 'sessions.json');
  return {
    task: readJson(join(dir, 'task.json'), taskFileSchema),
    ...(existsSync(metricsPath) ? { metrics: readJson(metricsPath, metricsFileSchema) } : {}),
    ...(existsSync(sessionsPath) ? { sessions: readJson(sessionsPath, sessionsFileSchema) } : {}),
  };
}
