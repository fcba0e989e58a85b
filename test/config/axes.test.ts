import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { AXES, expandAxes } from '../../src/config/axes.js';
import { loadConfig } from '../../src/config/load.js';
import { prepareTask } from '../../src/task/prepare.js';
import { vlmhb } from '../helpers/cli.js';
import { writeMiniDataset } from '../helpers/mini-dataset.js';
import { caught, testdir } from '../helpers/testdir.js';

let cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups) await c();
  cleanups = [];
});
async function dir(files: Record<string, string>) {
  const t = await testdir(files);
  cleanups.push(t.cleanup);
  return t;
}

const ANNOTATION = 'data_index;split;image_path;question;answer;doc_class;question_type;answer_bbox\n';
const COLLECTION = 'prompt;doc_class_question_type;cer\n';
const root = {
  'Datasets/mini/annotation.csv': ANNOTATION,
  'p1.csv': COLLECTION,
  'p2.csv': COLLECTION,
};

describe('expandAxes (pure)', () => {
  it('keeps a task without lists as it is and orders axes as AXES, first slowest', () => {
    expect(expandAxes({ model: 'a', long_side: 5 })).toEqual([
      { input: { model: 'a', long_side: 5 }, picks: [] },
    ]);
    const combos = expandAxes({ mode: ['field', 'document'], model: ['a', 'b'], dataset: 'd' });
    expect(combos.map((c) => [c.input['model'], c.input['mode']])).toEqual([
      ['a', 'field'],
      ['a', 'document'],
      ['b', 'field'],
      ['b', 'document'],
    ]);
    expect(combos[1]?.picks).toEqual([
      { axis: 'model', index: 0 },
      { axis: 'mode', index: 1 },
    ]);
    expect(AXES.indexOf('model')).toBeLessThan(AXES.indexOf('mode'));
  });
});

describe('loadConfig: list axes in YAML', () => {
  it('expands model × prompt_collection × long_side into 8 tasks in the documented order', async () => {
    const t = await dir({
      ...root,
      'c.yaml': [
        'tasks:',
        '  - { dataset: mini, framework: tesseract }',
        '  - dataset: mini',
        '    framework: openai',
        '    base_url: "http://127.0.0.1:9/v1"',
        '    long_side: [1600, 800]',
        '    model: [a, b]',
        '    prompt_collection: [p1.csv, p2.csv]',
        '',
      ].join('\n'),
    });
    const tasks = await loadConfig(t.path('c.yaml'));
    expect(tasks).toHaveLength(9);
    expect(tasks.map((x) => x.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(tasks[0]).toMatchObject({ framework: 'tesseract', source: { key: 'tasks[0]', row: 2 } });
    const swept = tasks.slice(1).map((x) => [x.model, x.promptCollectionFile?.slice(-6), x.longSide]);
    expect(swept).toEqual([
      ['a', 'p1.csv', 1600],
      ['a', 'p1.csv', 800],
      ['a', 'p2.csv', 1600],
      ['a', 'p2.csv', 800],
      ['b', 'p1.csv', 1600],
      ['b', 'p1.csv', 800],
      ['b', 'p2.csv', 1600],
      ['b', 'p2.csv', 800],
    ]);
    expect(tasks[1]?.promptCollectionFile).toBe(t.path('p1.csv'));
    for (const x of tasks.slice(1)) {
      expect(x).toMatchObject({ framework: 'openai', baseUrl: 'http://127.0.0.1:9/v1', dataset: 'mini' });
      expect(x.source.row).toBe(3);
    }
    expect(tasks[6]?.source.key).toBe('tasks[1] (model[1], prompt_collection[0], long_side[1])');
  });

  it('expands every task by lists in defaults; a task value replaces the list', async () => {
    const t = await dir({
      ...root,
      'c.yaml': [
        'defaults: { dataset: mini, framework: openai, base_url: "http://127.0.0.1:9/v1", model: [a, b], mode: [field, document] }',
        'tasks:',
        '  - { long_side: 800 }',
        '  - { model: c }',
        '',
      ].join('\n'),
    });
    const tasks = await loadConfig(t.path('c.yaml'));
    expect(tasks.map((x) => `${x.model}/${x.mode}/${x.longSide ?? '-'}`)).toEqual([
      'a/field/800',
      'a/document/800',
      'b/field/800',
      'b/document/800',
      'c/field/-',
      'c/document/-',
    ]);
    expect(tasks[5]?.source.key).toBe('tasks[1] (mode[1])');
  });

  it('reports a bad value inside a list at its exact key, in a task or in defaults', async () => {
    const t = await dir({
      ...root,
      'c.yaml': [
        'defaults: { dataset: mini, base_url: "http://127.0.0.1:9/v1", model: m }',
        'tasks:',
        '  - { framework: openai, long_side: [1600, 0] }',
        '  - framework: [openai, nosuch]',
        '    prompt_collection: [p1.csv, p2.csv, missing.csv]',
        '',
      ].join('\n'),
    });
    const e = await caught(() => loadConfig(t.path('c.yaml')));
    expect(e.issues.map((i) => [i.code, i.where?.key, i.where?.row])).toEqual([
      ['VLMHB_CONFIG_INVALID', 'tasks[0].long_side[1]', 3],
    ]);
    // Structure is fine once long_side is; the normalise step then names each combination's bad value.
    const t2 = await dir({
      ...root,
      'c.yaml': [
        'defaults: { dataset: mini, base_url: "http://127.0.0.1:9/v1", model: m, system_prompt: [nope.txt] }',
        'tasks:',
        '  - framework: [openai, nosuch]',
        '    prompt_collection: [p1.csv, missing.csv]',
        '',
      ].join('\n'),
    });
    const e2 = await caught(() => loadConfig(t2.path('c.yaml')));
    const keys = new Set(e2.issues.map((i) => `${i.code} ${i.where?.key} ${i.where?.row}`));
    expect(keys).toEqual(
      new Set([
        'VLMHB_FILE_NOT_FOUND tasks[0] (from defaults.system_prompt[0]) 1',
        'VLMHB_FILE_NOT_FOUND tasks[0].prompt_collection[1] 4',
        'VLMHB_CONFIG_UNKNOWN_FRAMEWORK tasks[0].framework[1] 3',
      ]),
    );
  });

  it('refuses an empty list and a product over 10,000 tasks with a clear error', async () => {
    const t = await dir({
      ...root,
      'c.yaml': 'tasks:\n  - { dataset: mini, framework: openai, model: [] }\n',
    });
    const e = await caught(() => loadConfig(t.path('c.yaml')));
    expect(e.issues[0]?.where?.key).toBe('tasks[0].model');
    const sizes = Array.from({ length: 101 }, (_, i) => i + 1).join(', ');
    const t2 = await dir({
      ...root,
      'c.yaml': `tasks:\n  - { dataset: mini, framework: openai, long_side: [${sizes}], max_pixels: [${sizes}] }\n`,
    });
    const e2 = await caught(() => loadConfig(t2.path('c.yaml')));
    expect(e2.message).toMatch(/expand into 10201 tasks \(tasks\[0\]: 10201\); at most 10000/);
  });

  it('leaves a single-value config exactly as before', async () => {
    const t = await dir({
      ...root,
      'c.yaml': [
        'defaults: { dataset: mini, base_url: "http://127.0.0.1:9/v1" }',
        'tasks:',
        '  - { framework: openai, model: a, long_side: 800, prompt_collection: p1.csv, mode: document }',
        '',
      ].join('\n'),
    });
    const tasks = await loadConfig(t.path('c.yaml'));
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({
      index: 0,
      source: { file: t.path('c.yaml'), row: 3, key: 'tasks[0]' },
      model: 'a',
      longSide: 800,
      mode: 'document',
      promptCollectionFile: t.path('p1.csv'),
    });
  });

  it('gives every expanded task its own default run folder (settings are in the fingerprint)', async () => {
    const base = mkdtempSync(join(tmpdir(), 'vlmhb-axes-'));
    cleanups.push(() => rmSync(base, { recursive: true, force: true }));
    writeMiniDataset(join(base, 'Datasets', 'mini'));
    writeFileSync(
      join(base, 'c.yaml'),
      'tasks:\n  - { dataset: mini, framework: openai, base_url: "http://127.0.0.1:9/v1", model: [a, b], long_side: [1600, 800], max_pixels: [400000, 100000] }\n',
    );
    const tasks = await loadConfig(join(base, 'c.yaml'));
    expect(tasks).toHaveLength(8);
    const runDirs = await Promise.all(tasks.map(async (x) => (await prepareTask(x)).runDir));
    expect(new Set(runDirs).size).toBe(8);
  });
});

describe('loadConfig: list axes in CSV (list literals, as the original writes its metrics cells)', () => {
  const HEADER = 'dataset;framework;model_name;base_url;prompt_collection;long_side;mode;metrics';
  it('expands bracketed cells of the axis columns in the same order as YAML', async () => {
    const t = await dir({
      ...root,
      'c.csv': [
        HEADER,
        'mini;tesseract;;;;;;',
        "mini;openai;['a', 'b'];http://127.0.0.1:9/v1;[p1.csv, p2.csv];[1600, 800];document;['CER', 'WER']",
        '',
      ].join('\n'),
    });
    const tasks = await loadConfig(t.path('c.csv'));
    expect(tasks).toHaveLength(9);
    expect(tasks[0]).toMatchObject({ framework: 'tesseract', source: { row: 2 } });
    expect(tasks[0]?.source.key).toBeUndefined();
    expect(tasks.slice(1).map((x) => [x.model, x.promptCollectionFile?.slice(-6), x.longSide])).toEqual([
      ['a', 'p1.csv', 1600],
      ['a', 'p1.csv', 800],
      ['a', 'p2.csv', 1600],
      ['a', 'p2.csv', 800],
      ['b', 'p1.csv', 1600],
      ['b', 'p1.csv', 800],
      ['b', 'p2.csv', 1600],
      ['b', 'p2.csv', 800],
    ]);
    for (const x of tasks.slice(1)) {
      expect(x).toMatchObject({ framework: 'openai', mode: 'document', source: { row: 3 } });
      // A list in a non-axis column keeps its old meaning: the metrics of every task.
      expect(x.metrics).toEqual(['cer', 'wer']);
    }
    expect(tasks[6]?.source.key).toBe('row 3 (model_name[1], prompt_collection[0], long_side[1])');
    // The same sweep written in YAML gives the same tasks.
    const y = await dir({
      ...root,
      'c.yaml': [
        'tasks:',
        '  - { dataset: mini, framework: tesseract }',
        '  - { dataset: mini, framework: openai, model: [a, b], base_url: "http://127.0.0.1:9/v1",',
        '      prompt_collection: [p1.csv, p2.csv], long_side: [1600, 800], mode: document, metrics: [cer, wer] }',
        '',
      ].join('\n'),
    });
    const fromYaml = await loadConfig(y.path('c.yaml'));
    const shape = (xs: typeof tasks) =>
      xs.map((x) => [x.framework, x.model, x.promptCollectionFile?.slice(-6), x.longSide, x.mode]);
    expect(shape(tasks)).toEqual(shape(fromYaml));
  });

  it('reads the seed dialect (comma separator, quoted JSON lists) too', async () => {
    const t = await dir({
      ...root,
      'c.csv': [
        'dataset,framework,model,base_url,max_pixels',
        'mini,openai,"[""a"", ""b""]",http://127.0.0.1:9/v1,"[400000, 100000]"',
        '',
      ].join('\n'),
    });
    const tasks = await loadConfig(t.path('c.csv'));
    expect(tasks.map((x) => `${x.model}/${x.maxPixels}`)).toEqual([
      'a/400000',
      'a/100000',
      'b/400000',
      'b/100000',
    ]);
  });

  it('names the row, the column and the list element of a bad value, and refuses an empty list', async () => {
    const t = await dir({
      ...root,
      'c.csv': [
        HEADER,
        'mini;openai;m;http://127.0.0.1:9/v1;;;;',
        'mini;openai;[];http://127.0.0.1:9/v1;;;;',
        '',
      ].join('\n'),
    });
    const e = await caught(() => loadConfig(t.path('c.csv')));
    expect(new Set(e.issues.map((i) => `${i.where?.row} ${i.where?.column}`))).toEqual(
      new Set(['3 model_name']),
    );
    expect(e.issues[0]?.message).toMatch(/empty list/);
    const t2 = await dir({
      ...root,
      'c.csv': [HEADER, 'mini;openai;m;http://127.0.0.1:9/v1;[p1.csv, missing.csv];[1600, 0];;', ''].join(
        '\n',
      ),
    });
    const e2 = await caught(() => loadConfig(t2.path('c.csv')));
    const found = new Set(e2.issues.map((i) => `${i.where?.row} ${i.where?.column} ${i.where?.key}`));
    expect(found).toEqual(new Set(['2 long_side long_side[1]', '2 prompt_collection prompt_collection[1]']));
    expect(e2.issues.map((i) => i.message).join('\n')).toMatch(/missing\.csv/);
  });
});

describe('vlmhb plan CONFIG --json with list axes', () => {
  // Stand-in nvidia-smi (says it is one); the tasks go to an external server, so the CPU pool plans them.
  const fakeSmiDir = fileURLToPath(new URL('../fixtures/nvidia-smi/', import.meta.url));
  it('shows the expanded tasks', async () => {
    const base = mkdtempSync(join(tmpdir(), 'vlmhb-axes-plan-'));
    cleanups.push(() => rmSync(base, { recursive: true, force: true }));
    writeMiniDataset(join(base, 'Datasets', 'mini'));
    writeFileSync(join(base, 'p1.csv'), COLLECTION);
    writeFileSync(join(base, 'p2.csv'), COLLECTION);
    writeFileSync(
      join(base, 'c.yaml'),
      'tasks:\n  - { dataset: mini, framework: openai, base_url: "http://127.0.0.1:9/v1", model: [a, b], prompt_collection: [p1.csv, p2.csv] }\n',
    );
    const r = await vlmhb(['plan', 'c.yaml', '--json'], {
      cwd: base,
      env: { ...process.env, PATH: `${fakeSmiDir}${delimiter}${process.env['PATH']}` },
    });
    expect(r.exitCode, String(r.stderr)).toBe(0);
    const plan = JSON.parse(String(r.stdout)) as {
      rounds: { groups: { tasks: Row[] }[] }[];
      cpu: { tasks: Row[] }[];
    };
    type Row = {
      index: number;
      model: string;
      prompt_collection: string | null;
      planned: { source: { key: string } };
    };
    const rows = [...plan.rounds.flatMap((x) => x.groups), ...plan.cpu]
      .flatMap((g) => g.tasks)
      .sort((a, b) => a.index - b.index);
    expect(rows.map((x) => `${x.index} ${x.model} ${x.prompt_collection?.slice(-6)}`)).toEqual([
      '0 a p1.csv',
      '1 a p2.csv',
      '2 b p1.csv',
      '3 b p2.csv',
    ]);
    expect(rows[3]?.planned.source.key).toBe('tasks[0] (model[1], prompt_collection[1])');
  });

  it('shows the tasks the list cells of a CSV config expand into', async () => {
    const base = mkdtempSync(join(tmpdir(), 'vlmhb-axes-plan-'));
    cleanups.push(() => rmSync(base, { recursive: true, force: true }));
    writeMiniDataset(join(base, 'Datasets', 'mini'));
    writeFileSync(
      join(base, 'c.csv'),
      "dataset;framework;model_name;base_url;long_side\nmini;openai;['a', 'b'];http://127.0.0.1:9/v1;[1600, 800]\n",
    );
    const r = await vlmhb(['plan', 'c.csv'], {
      cwd: base,
      env: { ...process.env, PATH: `${fakeSmiDir}${delimiter}${process.env['PATH']}` },
    });
    expect(r.exitCode, String(r.stderr)).toBe(0);
    const lines = String(r.stdout)
      .split('\n')
      .filter((l) => /task \d+:/.test(l))
      .map((l) => l.trim());
    expect(lines).toEqual([
      'task 1: mini · openai · a · (dataset questions) · long side 1600',
      'task 2: mini · openai · a · (dataset questions) · long side 800',
      'task 3: mini · openai · b · (dataset questions) · long side 1600',
      'task 4: mini · openai · b · (dataset questions) · long side 800',
    ]);
  });

  it('tells expanded tasks apart in the text plan by the settings they sweep', async () => {
    const base = mkdtempSync(join(tmpdir(), 'vlmhb-axes-plan-'));
    cleanups.push(() => rmSync(base, { recursive: true, force: true }));
    writeMiniDataset(join(base, 'Datasets', 'mini'));
    writeFileSync(
      join(base, 'c.yaml'),
      'tasks:\n  - { dataset: mini, framework: openai, base_url: "http://127.0.0.1:9/v1", model: a, long_side: [1600, 800], mode: [field, document] }\n',
    );
    const r = await vlmhb(['plan', 'c.yaml'], {
      cwd: base,
      env: { ...process.env, PATH: `${fakeSmiDir}${delimiter}${process.env['PATH']}` },
    });
    expect(r.exitCode, String(r.stderr)).toBe(0);
    const lines = String(r.stdout)
      .split('\n')
      .filter((l) => /task \d+:/.test(l))
      .map((l) => l.trim());
    expect(lines).toEqual([
      'task 1: mini · openai · a · (dataset questions) · long side 1600 · mode field',
      'task 2: mini · openai · a · (dataset questions) · long side 1600 · mode document',
      'task 3: mini · openai · a · (dataset questions) · long side 800 · mode field',
      'task 4: mini · openai · a · (dataset questions) · long side 800 · mode document',
    ]);
  });
});
