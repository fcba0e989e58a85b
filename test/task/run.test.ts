import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PlannedTask } from '../../src/config/types.js';
import type { Engine, EngineRequest, EngineResponse } from '../../src/engines/types.js';
import { runTask } from '../../src/task/run.js';
import { SNILS_DOCS, writeMiniDataset } from '../helpers/mini-dataset.js';
import { plannedTask } from '../helpers/task.js';

/**
 * A fake engine (named as one): answers from a lookup keyed by prompt, so the runner's bookkeeping is
 * tested without OCR timing noise. The real engine runs in the SIGKILL test and the CLI tests.
 */
class FakeEngine implements Engine {
  readonly framework = 'fake';
  readonly model = 'fake-1';
  readonly defaultConcurrency = 2;
  calls: string[] = [];
  constructor(private readonly answer: (req: EngineRequest, n: number) => EngineResponse) {}
  async ask(req: EngineRequest): Promise<EngineResponse> {
    this.calls.push(req.prompt);
    await new Promise((r) => setTimeout(r, 2));
    return this.answer(req, this.calls.length);
  }
  async close() {}
}

let datasetDir: string;
beforeAll(() => {
  datasetDir = writeMiniDataset(mkdtempSync(join(tmpdir(), 'vlmhb-ds-')));
});

function task(root: string, extra: Partial<PlannedTask> = {}): PlannedTask {
  return plannedTask(datasetDir, { dataRoot: root, framework: 'fake', model: 'fake-1', ...extra });
}

const truth = new Map(SNILS_DOCS.flatMap((d) => d.fields.map((f) => [`${d.docId}|${f.question}`, f.value])));

describe('runTask', () => {
  it('stores every answer, writes the original answers file and scores perfect answers as perfect', async () => {
    const root = mkdtempSync(join(tmpdir(), 'vlmhb-run-'));
    const engine = new FakeEngine((req) => {
      const doc = (req.image.path ?? '').match(/snils_\d+/)?.[0];
      return { output: truth.get(`${doc}|${req.prompt}`) ?? '', latencyMs: 10 };
    });
    const r = await runTask(task(root), { engine });
    expect(engine.calls).toHaveLength(9);
    expect(r.records).toHaveLength(9);
    expect(r.metrics.groups.overall?.cer).toBe(0);
    expect(r.metrics.groups.overall?.exact_match).toBe(1);
    const files = readdirSync(join(root, 'ModelsAnswers'));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^mini_fake_fake-1_VQA_answers_\d{8}_\d{6}\.csv$/);
    const csv = readFileSync(join(root, 'ModelsAnswers', files[0] as string), 'utf8');
    expect(csv.startsWith('\ufeffid;model_answer\n0;Иванов\n')).toBe(true);
    expect(existsSync(join(root, 'run', 'metrics.json'))).toBe(true);
    const json = JSON.parse(readFileSync(join(root, 'run', 'metrics.json'), 'utf8'));
    expect(Object.keys(json)).toEqual(
      expect.arrayContaining(['overall', 'by_doc_type', 'by_doc_question', 'by_id']),
    );
    expect(json.by_doc_question['СНИЛС Фамилия'].n).toBe(3);
  });

  it('adds no second ModelsAnswers/ModelsMetrics copy on a rerun that changes nothing, and one when answers change', async () => {
    const root = mkdtempSync(join(tmpdir(), 'vlmhb-run-'));
    const answerWith = (output: string) => new FakeEngine(() => ({ output, latencyMs: 1 }));
    // Different clock readings, so a new copy would get a new timestamped name.
    const at = (s: number) => () => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
    const copies = () => ({
      answers: readdirSync(join(root, 'ModelsAnswers')).sort(),
      metrics: readdirSync(join(root, 'ModelsMetrics')).sort(),
    });
    await runTask(task(root), { engine: answerWith('a'), now: at(1) });
    const first = copies();
    expect(first.answers).toHaveLength(1);
    expect(first.metrics).toHaveLength(2); // .json and .csv
    const r2 = await runTask(task(root), { engine: answerWith('b'), now: at(2) });
    expect(r2.skipped).toBe(true);
    expect(copies()).toEqual(first);
    expect(r2.modelsAnswersFile).toBe(join(root, 'ModelsAnswers', first.answers[0] as string));
    const jsonCopy = first.metrics.find((f) => f.endsWith('.json')) as string;
    expect(r2.saved.json).toContain(join(root, 'ModelsMetrics', jsonCopy));

    // Other answers (a fresh run folder of the same task): new copies beside the old ones.
    await runTask(task(root, { runDir: join(root, 'run-2') }), { engine: answerWith('Иванов'), now: at(3) });
    expect(copies().answers).toHaveLength(2);
    expect(copies().metrics).toHaveLength(4);
  });

  it('resumes after an interruption without asking finished items again or duplicating them', async () => {
    const root = mkdtempSync(join(tmpdir(), 'vlmhb-run-'));
    const ac = new AbortController();
    const first = new FakeEngine((_req, n) => {
      if (n === 4) ac.abort();
      return { output: 'x', latencyMs: 1 };
    });
    const r1 = await runTask(task(root), { engine: first, signal: ac.signal, concurrency: 1 });
    expect(r1.interrupted).toBe(true);
    expect(r1.asked).toBe(4);
    const second = new FakeEngine(() => ({ output: 'y', latencyMs: 1 }));
    const r2 = await runTask(task(root), { engine: second });
    expect(second.calls).toHaveLength(5);
    const lines = readFileSync(join(root, 'run', 'answers.jsonl'), 'utf8')
      .trim()
      .split('\n');
    const ids = lines.map((l) => JSON.parse(l).id as number);
    expect(new Set(ids).size).toBe(9);
    expect(ids).toHaveLength(9);
    expect(r2.records.filter((r) => r.answer === 'x')).toHaveLength(4);
  });

  it('keeps failures as rows, and --retry-errors re-asks only them', async () => {
    const root = mkdtempSync(join(tmpdir(), 'vlmhb-run-'));
    const flaky = new FakeEngine((req) =>
      req.prompt === 'Напиши имя'
        ? { error: { code: 'http_500', message: 'server error' }, latencyMs: 1 }
        : { output: 'ok', latencyMs: 1 },
    );
    const r1 = await runTask(task(root), { engine: flaky });
    expect(r1.records.filter((r) => r.error?.code === 'http_500')).toHaveLength(3);
    expect(r1.speed.failed).toBe(3);

    const again = new FakeEngine(() => ({ output: 'z', latencyMs: 1 }));
    await runTask(task(root), { engine: again });
    expect(again.calls).toHaveLength(0);

    const retry = new FakeEngine(() => ({ output: 'Иван', latencyMs: 1 }));
    const r3 = await runTask(task(root), { engine: retry, retryErrors: true });
    expect(retry.calls).toEqual(['Напиши имя', 'Напиши имя', 'Напиши имя']);
    expect(r3.records.filter((r) => r.error)).toHaveLength(0);
    expect(r3.records.filter((r) => r.attempt === 2)).toHaveLength(3);
  });

  it('re-scores stored answers without calling the model when only_evaluate_metrics is set', async () => {
    const root = mkdtempSync(join(tmpdir(), 'vlmhb-run-'));
    await runTask(task(root), { engine: new FakeEngine(() => ({ output: 'Иванов', latencyMs: 1 })) });
    const never = new FakeEngine(() => {
      throw new Error('must not be called');
    });
    const r = await runTask(task(root, { onlyEvaluateMetrics: true, metrics: ['exact_match'] }), {
      engine: never,
    });
    expect(never.calls).toHaveLength(0);
    // Only the first document's surname is "Иванов": 1 of 9 items right.
    expect(r.metrics.groups.overall?.exact_match).toBeCloseTo(1 / 9, 12);
    expect(r.metrics.groups.overall?.cer).toBeUndefined();
  });

  it("re-scores the original project's answers file when the run folder has no log", async () => {
    const root = mkdtempSync(join(tmpdir(), 'vlmhb-run-'));
    await runTask(task(root, { runDir: join(root, 'first') }), {
      engine: new FakeEngine(() => ({ output: 'Иван', latencyMs: 1 })),
    });
    const r = await runTask(task(root, { runDir: join(root, 'second'), onlyEvaluateMetrics: true }), {
      engine: new FakeEngine(() => {
        throw new Error('must not be called');
      }),
    });
    expect(r.records).toHaveLength(9);
    expect(r.metrics.groups.by_doc_question?.['СНИЛС Имя']?.exact_match).toBeCloseTo(1 / 3, 12);
  });

  it('asks one JSON request per document in document mode and splits it back into fields', async () => {
    const root = mkdtempSync(join(tmpdir(), 'vlmhb-run-'));
    const engine = new FakeEngine((req) => {
      const doc = (req.image.path ?? '').match(/snils_\d+/)?.[0];
      const keys = Object.keys((req.settings.jsonSchema?.['properties'] ?? {}) as object);
      // Right surname and name, a wrong number, to see each field scored on its own.
      const obj = Object.fromEntries(
        keys.map((k) => {
          const f = SNILS_DOCS.find((d) => d.docId === doc)?.fields.find((x) => x.questionType === k);
          return [k, k === 'Номер СНИЛС' ? '000-000-000 00' : (f?.value ?? '')];
        }),
      );
      return { output: `Вот ответ:\n\`\`\`json\n${JSON.stringify(obj)}\n\`\`\``, latencyMs: 30 };
    });
    const r = await runTask(task(root, { mode: 'document' }), { engine });
    expect(engine.calls).toHaveLength(3);
    expect(engine.calls[0]).toContain('"Фамилия", "Имя", "Номер СНИЛС"');
    expect(r.records).toHaveLength(9);
    expect(r.metrics.groups.by_doc_question?.['СНИЛС Фамилия']?.exact_match).toBe(1);
    expect(r.metrics.groups.by_doc_question?.['СНИЛС Номер СНИЛС']?.exact_match).toBe(0);
    // Three requests of 30 ms: one per document, not one per field.
    expect(r.speed.requests).toBe(3);
    expect(r.speed.documentLatencyMs.p50).toBe(30);
  });

  it('records a schema error on the fields a document answer lacks, keeping the ones it has', async () => {
    const root = mkdtempSync(join(tmpdir(), 'vlmhb-run-'));
    const engine = new FakeEngine(() => ({ output: '{"Фамилия": "Иванов"}', latencyMs: 1 }));
    const r = await runTask(task(root, { mode: 'document' }), { engine });
    const surname = r.records.filter((x) => x.questionType === 'Фамилия');
    expect(surname.every((x) => x.error === null && x.answer === 'Иванов')).toBe(true);
    const others = r.records.filter((x) => x.questionType !== 'Фамилия');
    expect(others.every((x) => x.error?.code === 'schema_mismatch')).toBe(true);
    // Failed items are errors, not wrong answers (issue 7): `overall` covers the 3 answered items and
    // the failures are counted by code and, named apart, scored as empty answers.
    expect(r.metrics.groups.overall).toMatchObject({ n: 3, errors: 0 });
    expect(r.withErrors.groups.overall).toMatchObject({ n: 9, errors: 6 });
    expect(r.outcome.status).toMatchObject({
      answered: 3,
      failed: 6,
      errors_by_code: { schema_mismatch: 6 },
    });
  });

  it("scores with the task's normalisation and records it in metrics.json", async () => {
    const root = mkdtempSync(join(tmpdir(), 'vlmhb-run-'));
    // Upper-case answers: wrong as written, right once case is folded.
    const engine = new FakeEngine((req) => {
      const doc = (req.image.path ?? '').match(/snils_\d+/)?.[0];
      return { output: (truth.get(`${doc}|${req.prompt}`) ?? '').toUpperCase(), latencyMs: 1 };
    });
    const r = await runTask(
      task(root, { metrics: ['exact_match'], normalization: { exact_match: { case: 'lower' } } }),
      { engine },
    );
    expect(r.metrics.groups.overall?.exact_match).toBe(1);
    const json = JSON.parse(readFileSync(join(root, 'run', 'metrics.json'), 'utf8'));
    expect(json.normalization.exact_match).toMatchObject({ case: 'lower', preset: 'custom' });
  });
});
