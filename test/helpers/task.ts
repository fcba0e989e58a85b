import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PlannedTask } from '../../src/config/types.js';

/**
 * A planned task over `datasetDir` with its outputs in a fresh temp root (`runDir` = root/run), as
 * loadConfig would produce it; tests override what they are about.
 */
export function plannedTask(datasetDir: string, overrides: Partial<PlannedTask> = {}): PlannedTask {
  const root = overrides.dataRoot ?? mkdtempSync(join(tmpdir(), 'vlmhb-task-'));
  return {
    index: 0,
    source: { file: 'test' },
    datasetDir,
    dataset: 'mini',
    task: 'VQA',
    framework: 'tesseract',
    model: 'tesseract-5',
    metrics: ['cer', 'wer', 'bleu', 'anls', 'exact_match'],
    onlyEvaluateMetrics: false,
    aggregators: ['by_id', 'by_doc_question', 'by_doc_type', 'overall'],
    dataRoot: root,
    answersDir: join(root, 'ModelsAnswers'),
    metricsDir: join(root, 'ModelsMetrics'),
    reportsDir: join(root, 'Reports'),
    runDir: join(root, 'run'),
    ...overrides,
  };
}

/**
 * Servers (models) × prompt collections in the config's order, each task writing to its own run folder
 * (`root/run-<model index>-<collection index>`): the shape of a config whose tasks share servers.
 */
export function serverGrid(
  datasetDir: string,
  root: string,
  models: string[],
  collections: string[],
  extra: Partial<PlannedTask> = {},
): PlannedTask[] {
  return models.flatMap((model, i) =>
    collections.map((c, j) =>
      plannedTask(datasetDir, {
        index: i * collections.length + j,
        dataRoot: root,
        model,
        promptCollectionFile: c,
        metrics: ['cer', 'exact_match'],
        aggregators: ['overall', 'by_id'],
        concurrency: 2,
        runDir: join(root, `run-${i}-${j}`),
        ...extra,
      }),
    ),
  );
}
