import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { AnswerCache } from '../../src/cache/store.js';
import type { PlannedTask } from '../../src/config/types.js';
import type { Engine, EngineRequest, EngineResponse } from '../../src/engines/types.js';
import { runTask } from '../../src/task/run.js';
import { vlmhb } from '../helpers/cli.js';
import { writeMiniDataset } from '../helpers/mini-dataset.js';
import { plannedTask } from '../helpers/task.js';

/** A fake engine (named as one) that counts what it is asked, so a cache hit shows as a call not made. */
class FakeEngine implements Engine {
  readonly framework = 'fake';
  readonly model = 'fake-1';
  readonly defaultConcurrency = 2;
  calls: string[] = [];
  constructor(private readonly answer: (req: EngineRequest) => EngineResponse) {}
  async ask(req: EngineRequest): Promise<EngineResponse> {
    this.calls.push(req.prompt);
    await new Promise((r) => setTimeout(r, 2));
    return this.answer(req);
  }
  async close() {}
}

const ITEMS = 9; // 3 documents × 3 fields
let datasetDir: string;
beforeAll(() => {
  datasetDir = writeMiniDataset(mkdtempSync(join(tmpdir(), 'vlmhb-ds-')));
});

const tmp = (p: string) => mkdtempSync(join(tmpdir(), p));
function task(root: string): PlannedTask {
  return plannedTask(datasetDir, { dataRoot: root, framework: 'fake', model: 'fake-1' });
}
const byId = (rs: { id: number; answer: string | null }[]) =>
  Object.fromEntries(rs.map((r) => [r.id, r.answer]));

describe('runTask with the shared answer cache', () => {
  it('serves a rerun into a new run folder from the cache, and leaves it out of the speed figures', async () => {
    const cache = AnswerCache.open(join(tmp('vlmhb-cache-'), 'answers.jsonl'));
    const first = new FakeEngine((req) => ({ output: `${req.prompt}!`, latencyMs: 200 }));
    const r1 = await runTask(task(tmp('vlmhb-run-')), { engine: first, cache });
    expect(first.calls).toHaveLength(ITEMS);
    expect(r1.outcome.status.from_cache).toBeUndefined();
    expect(r1.speed.requests).toBe(ITEMS);
    expect(r1.outcome.timing.model_s).toBeCloseTo((ITEMS * 200) / 1000, 5);

    const second = new FakeEngine(() => ({ output: 'never asked', latencyMs: 1 }));
    const r2 = await runTask(task(tmp('vlmhb-run-')), { engine: second, cache });
    cache.close();
    expect(second.calls).toHaveLength(0);
    expect(byId(r2.records)).toEqual(byId(r1.records));
    expect(r2.records.every((r) => r.extra?.['cache'] === 'hit')).toBe(true);
    expect(r2.metrics.groups.overall).toEqual(r1.metrics.groups.overall);
    // Nothing was asked of the model now: no requests, no model time, no throughput to boast of.
    expect(r2.outcome.status).toMatchObject({ complete: true, answered: ITEMS, from_cache: ITEMS });
    expect(r2.speed.requests).toBe(0);
    expect(r2.speed.documents).toBe(0);
    expect(r2.speed.docsPerSecond).toBeUndefined();
    expect(r2.outcome.timing).toMatchObject({ model_s: 0, docs_per_s: null, requests_per_s: null });
    const md = readFileSync(join(r2.runDir, 'summary.md'), 'utf8');
    expect(md).toContain(`From the answer cache: ${ITEMS} of ${ITEMS} answers`);
    const json = JSON.parse(readFileSync(join(r2.runDir, 'metrics.json'), 'utf8'));
    expect(json.status.from_cache).toBe(ITEMS);
  });

  it('never caches a failed answer: the next run asks exactly the failed items again', async () => {
    const cache = AnswerCache.open(join(tmp('vlmhb-cache-'), 'answers.jsonl'));
    const flaky = new FakeEngine((req) =>
      req.prompt === 'Напиши имя'
        ? { error: { code: 'http_500', message: 'server error' }, latencyMs: 1 }
        : { output: 'ok', latencyMs: 1 },
    );
    const r1 = await runTask(task(tmp('vlmhb-run-')), { engine: flaky, cache });
    expect(r1.outcome.status.failed).toBe(3);
    expect(cache.size).toBe(ITEMS - 3);

    const healed = new FakeEngine(() => ({ output: 'Иван', latencyMs: 7 }));
    const r2 = await runTask(task(tmp('vlmhb-run-')), { engine: healed, cache });
    cache.close();
    expect(healed.calls).toEqual(['Напиши имя', 'Напиши имя', 'Напиши имя']);
    expect(r2.outcome.status).toMatchObject({ failed: 0, answered: ITEMS, from_cache: ITEMS - 3 });
    // Speed counts the three asked now, not the six served from the cache.
    expect(r2.speed.requests).toBe(3);
    expect(r2.speed.requestLatencyMs.max).toBe(7);
  });

  it('cache: false asks every question again', async () => {
    const cache = AnswerCache.open(join(tmp('vlmhb-cache-'), 'answers.jsonl'));
    await runTask(task(tmp('vlmhb-run-')), {
      engine: new FakeEngine(() => ({ output: 'a', latencyMs: 1 })),
      cache,
    });
    cache.close();
    const again = new FakeEngine(() => ({ output: 'a', latencyMs: 1 }));
    const r = await runTask(task(tmp('vlmhb-run-')), { engine: again, cache: false });
    expect(again.calls).toHaveLength(ITEMS);
    expect(r.outcome.status.from_cache).toBeUndefined();
  });
});

describe('vlmhb run and the answer cache (embedded Tesseract)', () => {
  it('a rerun is served from the default cache; --no-cache asks the model again; --cache-file picks the file', async () => {
    const cwd = tmp('vlmhb-cwd-');
    const env = { VLMHB_CACHE_DIR: tmp('vlmhb-cachedir-') };
    const run = (out: string, extra: string[] = []) =>
      vlmhb(
        [
          'run',
          '--dataset',
          datasetDir,
          '--framework',
          'tesseract',
          '--model',
          'tesseract-5',
          '--out',
          out,
          '--json',
          ...extra,
        ],
        { cwd, env },
      );
    const parse = (stdout: unknown) => JSON.parse(String(stdout)).tasks[0];

    const a = await run(join(cwd, 'a'));
    expect(a.exitCode, String(a.stderr)).toBe(0);
    const first = parse(a.stdout);
    expect(first.status.from_cache).toBeUndefined();
    expect(first.speed.requests).toBe(ITEMS);
    const cacheFile = join(env.VLMHB_CACHE_DIR, 'answers.jsonl');
    expect(readFileSync(cacheFile, 'utf8').trim().split('\n')).toHaveLength(ITEMS);

    const b = await run(join(cwd, 'b'));
    expect(b.exitCode, String(b.stderr)).toBe(0);
    const second = parse(b.stdout);
    expect(second.status.from_cache).toBe(ITEMS);
    expect(second.speed.requests).toBe(0);
    expect(second.overall).toEqual(first.overall);
    const answers = (dir: string) =>
      readFileSync(join(cwd, dir, 'answers.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l))
        .map((r) => [r.id, r.answer]);
    expect(Object.fromEntries(answers('b'))).toEqual(Object.fromEntries(answers('a')));

    const c = await run(join(cwd, 'c'), ['--no-cache']);
    expect(c.exitCode, String(c.stderr)).toBe(0);
    const third = parse(c.stdout);
    expect(third.status.from_cache).toBeUndefined();
    expect(third.speed.requests).toBe(ITEMS);

    // `vlmhb task run` (what a Slurm job runs) shares the cache too, and takes --no-cache.
    const taskFile = (name: string) => {
      const t = JSON.parse(readFileSync(join(cwd, 'a', 'task.json'), 'utf8'));
      const file = join(cwd, `${name}.json`);
      writeFileSync(file, JSON.stringify({ ...t, runDir: join(cwd, name) }));
      return file;
    };
    const e = await vlmhb(['task', 'run', taskFile('e'), '--json'], { cwd, env });
    expect(e.exitCode, String(e.stderr)).toBe(0);
    expect(parse(e.stdout).status.from_cache).toBe(ITEMS);
    const f = await vlmhb(['task', 'run', taskFile('f'), '--json', '--no-cache'], { cwd, env });
    expect(f.exitCode, String(f.stderr)).toBe(0);
    expect(parse(f.stdout).status.from_cache).toBeUndefined();
    expect(parse(f.stdout).speed.requests).toBe(ITEMS);

    const own = join(cwd, 'own-cache.jsonl');
    const d = await run(join(cwd, 'd'), ['--cache-file', own]);
    expect(d.exitCode, String(d.stderr)).toBe(0);
    expect(parse(d.stdout).status.from_cache).toBeUndefined();
    expect(existsSync(own)).toBe(true);
  });
});
