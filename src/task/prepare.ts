import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultRunDir, taskFingerprint } from '../config/names.js';
import type { PlannedTask } from '../config/types.js';
import { checkImages, loadDataset } from '../dataset/load.js';
import type { Dataset } from '../dataset/types.js';
import type { GenerationSettings } from '../engines/types.js';
import { VlmhbError } from '../errors.js';
import { loadPromptCollection } from '../prompts/collection.js';
import { resolvePrompts } from '../prompts/resolve.js';
import { loadSystemPrompt } from '../prompts/system-prompt.js';
import { type AskMode, type AskUnit, documentUnits, fieldUnits } from '../runner/units.js';

/** A task with its inputs read and checked: what the runner needs, before any server is touched. */
export interface PreparedTask {
  task: PlannedTask;
  dataset: Dataset;
  mode: AskMode;
  systemPrompt?: string;
  settings: GenerationSettings;
  /** One unit per request over every sample (resume later picks the pending ones). */
  units: AskUnit[];
  fingerprint: string;
  runDir: string;
}

export function settingsFor(task: PlannedTask): GenerationSettings {
  const s: GenerationSettings = { temperature: 0, maxTokens: task.maxTokens ?? 256, seed: 0 };
  if (task.longSide !== undefined) s.longSide = task.longSide;
  if (task.maxPixels !== undefined) s.maxPixels = task.maxPixels;
  return s;
}

/**
 * Loads the dataset, prompt collection and system prompt, reports every unreadable image and missing
 * prompt key before a single model call, and names the run folder by the task's fingerprint.
 */
export async function prepareTask(task: PlannedTask): Promise<PreparedTask> {
  const dataset = await loadDataset(task.datasetDir, {
    ...(task.filterDocClass ? { filterDocClass: task.filterDocClass } : {}),
    ...(task.filterQuestionType ? { filterQuestionType: task.filterQuestionType } : {}),
  });
  if (dataset.samples.length === 0) {
    throw new VlmhbError('VLMHB_DATASET_INVALID', 'no samples left after filters', {
      where: { file: dataset.annotationFile },
    });
  }
  if (!task.onlyEvaluateMetrics)
    await checkImages(dataset, task.maxImagePixels ? { maxImagePixels: task.maxImagePixels } : {});
  const collection = task.promptCollectionFile
    ? await loadPromptCollection(task.promptCollectionFile)
    : undefined;
  const mode: AskMode = task.mode ?? 'field';
  // Per-field prompts only matter when fields are asked one by one.
  const prompts = mode === 'field' ? resolvePrompts(dataset.samples, collection) : [];
  const systemPrompt = task.systemPromptFile ? await loadSystemPrompt(task.systemPromptFile) : undefined;
  const settings = settingsFor(task);
  const units =
    mode === 'document'
      ? documentUnits(dataset, dataset.samples, settings, collection)
      : fieldUnits(
          dataset.samples,
          new Map(dataset.samples.map((s, i) => [s.id, prompts[i] as string])),
          settings,
        );
  const fingerprint = taskFingerprint({
    dataset: dataset.annotationFile,
    framework: task.framework,
    model: task.model,
    baseUrl: task.baseUrl ?? null,
    systemPrompt: systemPrompt ?? null,
    mode,
    prompts: mode === 'field' ? prompts : units.map((u) => u.prompt),
    settings,
  });
  const runDir = task.runDir ?? defaultRunDir(task, fingerprint);
  return {
    task,
    dataset,
    mode,
    ...(systemPrompt !== undefined ? { systemPrompt } : {}),
    settings,
    units,
    fingerprint,
    runDir,
  };
}

/** `task.json`: the planned task and its fingerprint, so a run folder says what it holds. */
export function writeTaskFile(p: PreparedTask): void {
  mkdirSync(p.runDir, { recursive: true });
  writeFileSync(
    join(p.runDir, 'task.json'),
    `${JSON.stringify({ ...p.task, fingerprint: p.fingerprint, apiKeyEnv: p.task.apiKeyEnv ?? null }, null, 2)}\n`,
  );
}
