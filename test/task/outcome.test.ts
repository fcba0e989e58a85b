import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { PlannedTask } from '../../src/config/types.js';
import type { Engine, EngineRequest, EngineResponse } from '../../src/engines/types.js';
import { runTask } from '../../src/task/run.js';
import { renderMiniDoc, SNILS_DOCS, writeMiniDataset } from '../helpers/mini-dataset.js';
import { plannedTask } from '../helpers/task.js';

/** A fake engine (named as one): answers from a function, counting calls, so bookkeeping is tested alone. */
class FakeEngine implements Engine {
  readonly framework = 'fake';
  readonly model = 'fake-1';
  readonly defaultConcurrency = 1;
  calls: EngineRequest[] = [];
  constructor(private readonly answer: (req: EngineRequest, n: number) => EngineResponse) {}
  async ask(req: EngineRequest): Promise<EngineResponse> {
    this.calls.push(req);
    await new Promise((r) => setTimeout(r, 1));
    return this.answer(req, this.calls.length);
  }
  async close() {}
}

let datasetDir: string;
let root: string;
beforeEach(() => {
  datasetDir = writeMiniDataset(mkdtempSync(join(tmpdir(), 'vlmhb-ds-')));
  root = mkdtempSync(join(tmpdir(), 'vlmhb-outcome-'));
});
const task = (extra: Partial<PlannedTask> = {}) =>
  plannedTask(datasetDir, { dataRoot: root, framework: 'fake', model: 'fake-1', ...extra });
const json = (t: PlannedTask) => JSON.parse(readFileSync(join(t.runDir as string, 'metrics.json'), 'utf8'));

describe('a failed run does not look like a bad model', () => {
  it('counts failed items by code next to metrics over the answered items, and apart with errors as empty answers', async () => {
    const t = task({ metrics: ['exact_match'] });
    const truth = new Map(
      SNILS_DOCS.flatMap((d) => d.fields.map((f) => [`${d.docId}|${f.question}`, f.value])),
    );
    const engine = new FakeEngine((req) => {
      if (req.prompt === 'Напиши имя') return { error: { code: 'http_5xx', message: 'boom' }, latencyMs: 1 };
      if (req.prompt === 'Напиши номер СНИЛС')
        return { error: { code: 'timeout', message: 'slow' }, latencyMs: 1 };
      const doc = (req.image.path ?? '').match(/snils_\d+/)?.[0];
      return { output: truth.get(`${doc}|${req.prompt}`) ?? '', latencyMs: 1 };
    });
    const r = await runTask(t, { engine });
    expect(r.outcome.status).toEqual({
      complete: true,
      partial: false,
      answered: 3,
      total: 9,
      failed: 6,
      errors_by_code: { http_5xx: 3, timeout: 3 },
    });
    // The 3 answered surnames are right: a model that answered is not blamed for the server's failures...
    expect(r.metrics.groups.overall).toMatchObject({ n: 3, exact_match: 1, errors: 0 });
    // ...and, named apart, the same run with failures scored as empty answers.
    expect(r.withErrors.groups.overall).toMatchObject({ n: 9, errors: 6 });
    expect(r.withErrors.groups.overall?.exact_match).toBeCloseTo(3 / 9, 12);
    const j = json(t);
    expect(j.status.errors_by_code).toEqual({ http_5xx: 3, timeout: 3 });
    expect(j.overall_with_errors.n).toBe(9);
    const md = readFileSync(join(t.runDir as string, 'summary.md'), 'utf8');
    expect(md).toContain('| 6 (http_5xx: 3, timeout: 3) |');
    expect(md).toContain('With errors counted as empty answers (n = 9)');
  });
});

describe('an interrupted run is partial everywhere', () => {
  it('saves answered/total, metrics over the answered items, partial: true, and no original-format files', async () => {
    const t = task();
    const ac = new AbortController();
    const engine = new FakeEngine((_req, n) => {
      if (n === 4) ac.abort();
      return { output: 'x', latencyMs: 1 };
    });
    const r = await runTask(t, { engine, signal: ac.signal, concurrency: 1 });
    expect(r.interrupted).toBe(true);
    expect(r.outcome.status).toMatchObject({
      complete: false,
      partial: true,
      answered: 4,
      total: 9,
      failed: 0,
    });
    expect(r.metrics.groups.overall?.n).toBe(4);
    // Never-asked items are not "resumed".
    expect(r.resumed).toBe(0);
    const j = json(t);
    expect(j.status.partial).toBe(true);
    expect(j.overall.n).toBe(4);
    expect(existsSync(join(root, 'ModelsMetrics'))).toBe(false);
    expect(existsSync(join(root, 'ModelsAnswers'))).toBe(false);
    expect(readFileSync(join(t.runDir as string, 'summary.md'), 'utf8')).toContain(
      '**Partial run:** 4 of 9 items asked',
    );

    const r2 = await runTask(t, { engine: new FakeEngine(() => ({ output: 'y', latencyMs: 1 })) });
    expect(r2.resumed).toBe(4);
    expect(r2.asked).toBe(5);
    expect(r2.outcome.status.complete).toBe(true);
    expect(readdirSync(join(root, 'ModelsMetrics'))).toHaveLength(2);
    expect(readdirSync(join(root, 'ModelsAnswers'))).toHaveLength(1);
  });
});

describe('a resume with changed inputs', () => {
  it('re-asks exactly the items whose prompt, image or system prompt changed, and says how many', async () => {
    const t = task();
    await runTask(t, { engine: new FakeEngine(() => ({ output: 'a', latencyMs: 1 })) });

    // Same inputs: nothing asked.
    const same = new FakeEngine(() => ({ output: 'b', latencyMs: 1 }));
    const r0 = await runTask(t, { engine: same });
    expect(same.calls).toHaveLength(0);
    expect(r0.skipped).toBe(true);

    // New image bytes for the first document (3 items) and a new prompt for every "Имя" question (3 items,
    // one of them on the first document).
    const d0 = SNILS_DOCS[0] as (typeof SNILS_DOCS)[number];
    writeFileSync(
      join(datasetDir, 'images', `${d0.docId}.png`),
      renderMiniDoc({ ...d0, fields: d0.fields.map((f) => ({ ...f, value: `${f.value}!` })) }),
    );
    const collection = join(root, 'prompts.csv');
    writeFileSync(
      collection,
      [
        'doc_type_question_type,optimal_prompt',
        'СНИЛС Фамилия,Напиши фамилию',
        'СНИЛС Имя,Как зовут?',
        'СНИЛС Номер СНИЛС,Напиши номер СНИЛС',
        '',
      ].join('\n'),
    );
    const logs: string[] = [];
    const changed = new FakeEngine(() => ({ output: 'c', latencyMs: 1 }));
    const r = await runTask(
      { ...t, promptCollectionFile: collection },
      { engine: changed, log: (m) => logs.push(m) },
    );
    expect(r.changed).toBe(5);
    expect(changed.calls).toHaveLength(5);
    expect(r.resumed).toBe(4);
    expect(logs.join('\n')).toContain('5 answered items were asked with other inputs');
    expect(r.records.filter((x) => x.answer === 'c').map((x) => x.id)).toEqual([0, 1, 2, 4, 7]);

    // A changed system prompt changes every item.
    const sys = join(root, 'system.txt');
    writeFileSync(sys, 'Отвечай кратко.');
    const all = new FakeEngine(() => ({ output: 'd', latencyMs: 1 }));
    const r2 = await runTask(
      { ...t, promptCollectionFile: collection, systemPromptFile: sys },
      { engine: all },
    );
    expect(r2.changed).toBe(9);
  });
});

describe('contract fields and limits', () => {
  it('writes status, timing, resources, cost, limits and run into metrics.json and shows them in summary.md', async () => {
    const t = task({
      gpuPricePerHour: 52.5,
      currency: 'RUB',
      limits: { exact_match: 0.5, hard_seconds_per_document: 1e-6, gpu_memory_gb: 48 },
    });
    const r = await runTask(t, { engine: new FakeEngine(() => ({ output: 'Иванов', latencyMs: 5 })) });
    const j = json(t);
    expect(j.limits).toEqual([
      { name: 'exact_match', limit: 0.5, value: 1 / 9, pass: false },
      { name: 'hard_seconds_per_document', limit: 1e-6, value: 0.015, pass: false },
      { name: 'gpu_memory_gb', limit: 48, value: null, pass: null },
    ]);
    expect(j.timing).toMatchObject({ model_load_s: null, model_s: 0.045 });
    expect(j.timing.wall_s).toBeGreaterThan(0);
    expect(j.timing.docs_per_s).toBeGreaterThan(0);
    expect(j.resources).toMatchObject({ device: 'cpu', gpu_memory_peak_mb: null, gpu_memory_timeline: [] });
    expect(j.cost.currency).toBe('RUB');
    expect(j.cost.per_1000_docs).toBeCloseTo((52.5 * (j.timing.wall_s / 3600) * 1000) / 3, 9);
    expect(j.run).toMatchObject({ tool_version: '0.1.0', executor: 'external' });
    expect(j.run.machine.cpus).toBeGreaterThan(0);
    expect(r.outcome.limits.map((l) => l.pass)).toEqual([false, false, null]);
    const md = readFileSync(join(t.runDir as string, 'summary.md'), 'utf8');
    expect(md).toContain('Cost / 1000 docs');
    expect(md).toContain('FAIL: exact_match, hard_seconds_per_document; unknown: gpu_memory_gb |');
    expect(md).toContain('| Load s | Peak GPU MiB | Peak RSS MiB | Cost / 1000 docs | Limits |');
    expect(md).toMatch(/\| gpu_memory_gb \| 48 \| – \| unknown \|/);
  });
});

describe('GPU memory through nvidia-smi (stand-in on PATH: no GPU here)', () => {
  it('samples the pinned GPU with the real nvidia-smi path and checks the gpu_memory_gb limit', async () => {
    const { delimiter } = await import('node:path');
    const { fileURLToPath } = await import('node:url');
    const fake = fileURLToPath(new URL('../fixtures/nvidia-smi/', import.meta.url));
    const saved = process.env['PATH'];
    process.env['PATH'] = `${fake}${delimiter}${saved}`;
    try {
      const t = task({ limits: { gpu_memory_gb: 16 } });
      // Slow enough answers that the sampler (every 50 ms here) sees the task run.
      const slow = new FakeEngine(() => ({ output: 'x', latencyMs: 60 }));
      const ask = slow.ask.bind(slow);
      slow.ask = async (req) => {
        await new Promise((r) => setTimeout(r, 60));
        return ask(req);
      };
      const r = await runTask(t, {
        engine: slow,
        device: { kind: 'gpu', index: 0 },
        sampler: { intervalMs: 50 },
      });
      // The stand-in's GPU 0 uses 17235 MiB; its one compute process is not ours, so the GPU's total counts.
      expect(r.outcome.resources.device).toBe('gpu:0');
      expect(r.outcome.resources.gpu_memory_peak_mb).toBe(17235);
      expect(r.outcome.resources.gpu_memory_timeline.length).toBeGreaterThan(1);
      expect(r.outcome.limits).toEqual([
        { name: 'gpu_memory_gb', limit: 16, value: 17235 / 1024, pass: false },
      ]);
    } finally {
      process.env['PATH'] = saved;
    }
  });
});
