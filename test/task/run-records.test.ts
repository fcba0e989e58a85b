import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Engine, EngineRequest, EngineResponse } from '../../src/engines/types.js';
import { runTask } from '../../src/task/run.js';
import { SNILS_DOCS, writeMiniDataset } from '../helpers/mini-dataset.js';
import { plannedTask } from '../helpers/task.js';

/** A fake engine (named as one): the dataset's own answers, except one СНИЛС number with a broken check sum. */
class TruthEngine implements Engine {
  readonly framework = 'fake';
  readonly model = 'fake-1';
  readonly defaultConcurrency = 1;
  private readonly truth = new Map(
    SNILS_DOCS.flatMap((d) => d.fields.map((f) => [`${d.docId}|${f.question}`, f.value])),
  );
  async ask(req: EngineRequest): Promise<EngineResponse> {
    const doc = (req.image.path ?? '').match(/snils_\d+/)?.[0];
    const value = this.truth.get(`${doc}|${req.prompt}`) ?? '';
    // 112-233-445 95 is valid; its last check digit changed makes it invalid.
    return { output: value === '112-233-445 95' ? '112-233-445 96' : value, latencyMs: 5 };
  }
  async close() {}
}

describe('label-free validity in every run', () => {
  it('metrics.json carries the check rates per field and overall, flagging the broken check sum only', async () => {
    const root = mkdtempSync(join(tmpdir(), 'vlmhb-validity-'));
    const dataset = writeMiniDataset(join(root, 'ds'));
    const task = plannedTask(dataset, { dataRoot: root, framework: 'fake', model: 'fake-1' });
    await runTask(task, { engine: new TruthEngine() });
    const json = JSON.parse(readFileSync(join(root, 'run', 'metrics.json'), 'utf8'));
    expect(json.validity.overall).toMatchObject({ n: 9, checked: 9, invalid: 1, failed: 0 });
    const number = json.validity.by_field['СНИЛС Номер СНИЛС'];
    expect(number).toMatchObject({ n: 3, valid: 2, invalid: 1 });
    expect(number.by_reason.checksum).toBe(1);
    expect(json.validity.by_field['СНИЛС Фамилия']).toMatchObject({ n: 3, valid: 3, invalid: 0 });
    // The same rates in the run's summary.md, where a reader of a production run looks.
    const md = readFileSync(join(root, 'run', 'summary.md'), 'utf8');
    expect(md).toContain('## Label-free validity');
    expect(md).toMatch(/\| СНИЛС Номер СНИЛС \| \w+ \| 3 \| 66\.7 % \| 0 \| checksum 1 \|/);
    expect(md).toMatch(/\| \*\*overall\*\* \| \| 9 \| 88\.9 % \| 0 \| checksum 1 \|/);
  });
});

describe('prompt keys as the user wrote them', () => {
  it('records in prompt-keys.json which collection key answered each dataset field', async () => {
    const root = mkdtempSync(join(tmpdir(), 'vlmhb-keys-'));
    const dataset = writeMiniDataset(join(root, 'ds'));
    const collection = join(root, 'prompts.csv');
    // The original project's spellings: its doc class id and field name, another case.
    writeFileSync(
      collection,
      '\ufeffprompt;doc_class_question_type\nНапиши фамилию;snils фамилия\nНапиши имя;СНИЛС Имя\nНапиши номер СНИЛС;snils Номер снилса\n',
    );
    const task = plannedTask(dataset, {
      dataRoot: root,
      framework: 'fake',
      model: 'fake-1',
      promptCollectionFile: collection,
    });
    await runTask(task, { engine: new TruthEngine() });
    expect(JSON.parse(readFileSync(join(root, 'run', 'prompt-keys.json'), 'utf8'))).toEqual({
      'СНИЛС Фамилия': 'snils фамилия',
      'СНИЛС Имя': 'СНИЛС Имя',
      'СНИЛС Номер СНИЛС': 'snils Номер снилса',
    });
  });
});
