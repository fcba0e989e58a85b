import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultRunDir, taskFingerprint } from '../config/names.js';
import type { PlannedTask } from '../config/types.js';
import { checkImages, loadDataset } from '../dataset/load.js';
import type { Dataset, Sample } from '../dataset/types.js';
import type { GenerationSettings } from '../engines/types.js';
import { VlmhbError } from '../errors.js';
import { loadPromptCollection } from '../prompts/collection.js';
import { resolvePromptsWithKeys } from '../prompts/resolve.js';
import { loadSystemPrompt } from '../prompts/system-prompt.js';
import { promptKey } from '../prompts/types.js';
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
  /**
   * Per dataset field (`doc_class question_type`), the collection key that matched it, as written in the
   * collection (case, ё/е, the original's ids and field names may differ). Empty without a collection.
   */
  promptKeys: Record<string, string>;
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
  const resolved = mode === 'field' ? resolvePromptsWithKeys(dataset.samples, collection) : [];
  const prompts = resolved.map((r) => r.prompt);
  const promptKeys: Record<string, string> = {};
  resolved.forEach((r, i) => {
    const s = dataset.samples[i];
    if (s && r.matchedKey !== undefined) promptKeys[promptKey(s.docClass, s.questionType)] = r.matchedKey;
  });
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
  if (task.longSideByDocClass) applyLongSideByDocClass(units, task.longSideByDocClass, dataset);
  const fingerprint = taskFingerprint({
    dataset: dataset.annotationFile,
    framework: task.framework,
    model: task.model,
    baseUrl: task.baseUrl ?? null,
    systemPrompt: systemPrompt ?? null,
    mode,
    prompts: mode === 'field' ? prompts : units.map((u) => u.prompt),
    settings,
    // Only when set, so the fingerprints (and run folders) of tasks without it stay as they were.
    ...(task.longSideByDocClass ? { longSideByDocClass: task.longSideByDocClass } : {}),
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
    promptKeys,
  };
}

/**
 * A per-type long side (`long_side_by_doc_class`, what the resolution sweep picks) on the units of that
 * type, over the task's `long_side`. Ids match as the prompt keys do, case aside; an id no sample has is
 * a typo, refused with the types the dataset has rather than silently sending full-size pages.
 */
function applyLongSideByDocClass(units: AskUnit[], byClass: Record<string, number>, dataset: Dataset): void {
  const classes = new Map(dataset.samples.map((s) => [s.docClass.toLowerCase(), s.docClass]));
  const sides = new Map<string, number>();
  for (const [id, side] of Object.entries(byClass)) {
    if (!classes.has(id.toLowerCase())) {
      throw new VlmhbError(
        'VLMHB_CONFIG_INVALID',
        `long_side_by_doc_class: no document of type "${id}" in ${dataset.annotationFile} (its types: ${[...new Set(classes.values())].join(', ')})`,
      );
    }
    sides.set(id.toLowerCase(), side);
  }
  for (const u of units) {
    const side = sides.get((u.samples[0] as Sample).docClass.toLowerCase());
    if (side !== undefined) u.settings = { ...u.settings, longSide: side };
  }
}

/**
 * `task.json`: the planned task and its fingerprint, so a run folder says what it holds; `prompt-keys.json`:
 * which collection key answered each dataset field.
 */
export function writeTaskFile(p: PreparedTask): void {
  mkdirSync(p.runDir, { recursive: true });
  if (Object.keys(p.promptKeys).length > 0)
    writeFileSync(join(p.runDir, 'prompt-keys.json'), `${JSON.stringify(p.promptKeys, null, 2)}\n`);
  writeFileSync(
    join(p.runDir, 'task.json'),
    `${JSON.stringify({ ...p.task, fingerprint: p.fingerprint, apiKeyEnv: p.task.apiKeyEnv ?? null }, null, 2)}\n`,
  );
}
