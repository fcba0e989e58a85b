import { relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { caught, testdir } from '../helpers/testdir.js';

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups) await c();
  cleanups = [];
});
async function dir(files: Record<string, string | Buffer>) {
  const t = await testdir(files);
  cleanups.push(t.cleanup);
  return t;
}

const ANNOTATION = 'data_index;split;image_path;question;answer;doc_class;question_type;answer_bbox\n';
const HEADER =
  'dataset;task;framework;model_name;system_prompt;prompt_collection;metrics;only_evaluate_metrics;metrics_aggregators;filter_doc_class;filter_question_type\n';
const row = (sys: string, prompts: string) =>
  `midv-mini;VQA;vllm;Qwen2-VL-2B;${sys};${prompts};['CER'];False;['overall'];[];[]\n`;

describe('config paths', () => {
  it('a relative dataRoot (a command-line path) is read against the working directory, not the config folder', async () => {
    const t = await dir({
      'cfg/c.csv': HEADER + row('', ''),
      'cfg/data/Datasets/VQA/midv-mini/annotation.csv': ANNOTATION,
      'data/Datasets/VQA/midv-mini/annotation.csv': ANNOTATION,
    });
    const fromCwd = relative(process.cwd(), t.path('data'));
    const [task] = await loadConfig(t.path('cfg/c.csv'), { dataRoot: fromCwd });
    expect(task?.datasetDir).toBe(t.path('data/Datasets/VQA/midv-mini'));
  });

  it("a data_root written in the config stays relative to the config's folder", async () => {
    const t = await dir({
      'cfg/c.yaml':
        'data_root: data\ndefaults: { framework: vllm, model: m, task: VQA }\ntasks:\n  - dataset: midv-mini\n',
      'cfg/data/Datasets/VQA/midv-mini/annotation.csv': ANNOTATION,
    });
    const [task] = await loadConfig(t.path('cfg/c.yaml'));
    expect(task?.datasetDir).toBe(t.path('cfg/data/Datasets/VQA/midv-mini'));
  });

  it('finds a bare collection name under PromptCollections/<task>/<dataset>/ (the original layout)', async () => {
    const t = await dir({
      'c.csv': HEADER + row('', 'precise.csv'),
      'Datasets/VQA/midv-mini/annotation.csv': ANNOTATION,
      'PromptCollections/VQA/midv-mini/precise.csv': 'prompt;doc_class_question_type\n',
    });
    const [task] = await loadConfig(t.path('c.csv'));
    expect(task?.promptCollectionFile).toBe(t.path('PromptCollections/VQA/midv-mini/precise.csv'));
  });

  it("finds the seed's PromptCollection/<dataset>/<model>/<file> and SystemPrompts/<dataset>/<model>/<file>", async () => {
    const t = await dir({
      'c.csv': HEADER + row('sys.txt', 'precise.csv'),
      'Datasets/VQA/midv-mini/annotation.csv': ANNOTATION,
      'PromptCollection/midv-mini/Qwen2-VL-2B/precise.csv': 'prompt;doc_class_question_type\n',
      'SystemPrompts/midv-mini/Qwen2-VL-2B/sys.txt': 'Ты — система.\n',
    });
    const [task] = await loadConfig(t.path('c.csv'));
    expect(task?.promptCollectionFile).toBe(t.path('PromptCollection/midv-mini/Qwen2-VL-2B/precise.csv'));
    expect(task?.systemPromptFile).toBe(t.path('SystemPrompts/midv-mini/Qwen2-VL-2B/sys.txt'));
  });

  it('names every place searched when a collection is nowhere', async () => {
    const t = await dir({
      'c.csv': HEADER + row('', 'missing.csv'),
      'Datasets/VQA/midv-mini/annotation.csv': ANNOTATION,
    });
    const e = await caught(() => loadConfig(t.path('c.csv')));
    expect(e.code).toBe('VLMHB_FILE_NOT_FOUND');
    for (const p of [
      'missing.csv',
      'PromptCollections/VQA/missing.csv',
      'PromptCollections/VQA/midv-mini/missing.csv',
      'PromptCollections/midv-mini/Qwen2-VL-2B/missing.csv',
      'PromptCollections/missing.csv',
      'PromptCollection/VQA/midv-mini/missing.csv',
      'PromptCollection/midv-mini/Qwen2-VL-2B/missing.csv',
      'PromptCollection/missing.csv',
    ])
      expect(e.message).toContain(`      ${t.path(p)}\n`.trimEnd());
  });
});
