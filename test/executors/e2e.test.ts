import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlannedTask } from '../../src/config/types.js';
import { DockerApi, resolveSocket } from '../../src/executors/docker/api.js';
import { LABEL } from '../../src/executors/docker/body.js';
import { loadExecutor } from '../../src/executors/registry.js';
import type { Executor, RunningServer } from '../../src/executors/types.js';
import { runSchedule } from '../../src/scheduler/drive.js';
import { planSchedule } from '../../src/scheduler/plan.js';
import { serveFramework } from '../../src/serve/index.js';
import { writeMiniDataset } from '../helpers/mini-dataset.js';
import { podmanForTests } from '../helpers/podman.js';
import { plannedTask } from '../helpers/task.js';
import { processesWith } from './suite.js';

// The seed's task end to end with real executors: a config of 4 tasks (2 servers × 2 prompt collections) of
// the embedded engine, each server started once by the real `local` / `docker` executor (a process group; a
// Podman container from the tool's own image), asked over HTTP, stopped, scored — and the answers and metrics
// equal those of the same tasks against servers started by hand.
const env = await podmanForTests();
const api = new DockerApi(resolveSocket());
afterAll(async () => {
  await api.close();
});

let datasetDir: string;
let collections: string[];
beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), 'vlmhb-e2e-'));
  datasetDir = writeMiniDataset(join(dir, 'ds'));
  collections = ['a', 'b'].map((name) => {
    const f = join(dir, `${name}.csv`);
    const word = name === 'a' ? 'Напиши' : 'Запиши';
    writeFileSync(
      f,
      `doc_type_question_type,optimal_prompt\nСНИЛС Фамилия,${word} фамилию\nСНИЛС Имя,${word} имя\nСНИЛС Номер СНИЛС,${word} номер СНИЛС\n`,
    );
    return f;
  });
});

function tasks(root: string, models: string[], extra: Partial<PlannedTask>): PlannedTask[] {
  return models.flatMap((model, i) =>
    collections.map((c, j) =>
      plannedTask(datasetDir, {
        index: i * 2 + j,
        dataRoot: root,
        framework: 'tesseract',
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

/** The real executor, with every start it made remembered. */
function counted(inner: Executor): Executor & { started: RunningServer[] } {
  const started: RunningServer[] = [];
  return {
    id: inner.id,
    supportsGpu: inner.supportsGpu,
    started,
    async start(spec, ctx) {
      const s = await inner.start(spec, ctx);
      started.push(s);
      return s;
    },
  };
}

describe.each(['local', 'docker'])('4 tasks with executor %s', (executorId) => {
  const byHand: Awaited<ReturnType<typeof serveFramework>>[] = [];
  afterAll(async () => {
    for (const s of byHand) await s.close();
  });

  it('each server starts once, answers over HTTP, is stopped; answers and metrics equal a pre-started server’s', async () => {
    const stamp = `${executorId}-${Date.now()}`;
    const models = [`tess-a-${stamp}`, `tess-b-${stamp}`];
    const root = mkdtempSync(join(tmpdir(), `vlmhb-e2e-${executorId}-`));
    const planned = tasks(root, models, {
      executor: executorId,
      ...(executorId === 'docker' ? { dockerImage: env.image } : {}),
    });
    const schedule = planSchedule(planned, []);
    expect(schedule.cpu.map((g) => g.tasks.length)).toEqual([2, 2]);

    const ex = counted(await loadExecutor(executorId));
    const out = await runSchedule(schedule, { loadExecutor: async () => ex, readyTimeoutMs: 120_000 });
    expect(out.map((o) => o.error)).toEqual([undefined, undefined, undefined, undefined]);
    expect(ex.started).toHaveLength(2);
    const results = out.map((o) => o.result!);
    for (const r of results)
      expect(r.outcome.status).toMatchObject({ complete: true, answered: 9, total: 9 });
    // Asked through the started server: it reports the model name it was launched with.
    expect(results.map((r) => r.server?.models)).toEqual(models.flatMap((m) => [[m], [m]]));
    expect(results[0]?.outcome.timing.model_load_s).toBeGreaterThan(0);
    expect(results[1]?.outcome.run.server_reused).toBe(true);
    expect(results[1]?.records[0]?.prompt).toBe('Запиши фамилию');
    // The answers are OCR readings of the mini dataset (which Tesseract reads exactly), not errors.
    for (const r of results) {
      expect(r.records.filter((x) => x.error)).toEqual([]);
      expect(r.metrics.groups.overall?.exact_match).toBe(1);
    }

    // Stopped: no process, no container.
    for (const m of models) {
      expect(processesWith(m)).toEqual([]);
      expect(await api.list([`${LABEL.model}=${m}`])).toEqual([]);
    }

    // The same tasks against servers started by hand, handed over as they are.
    for (const model of models) byHand.push(await serveFramework({ framework: 'tesseract', model, port: 0 }));
    const prestarted: Executor = {
      id: 'prestarted',
      supportsGpu: false,
      async start(spec) {
        const s = byHand[models.indexOf(spec.model)];
        if (!s) throw new Error(`no server for ${spec.model}`);
        return { baseUrl: `${s.url}/v1`, loadMs: 1, logFile: '', tail: () => '', stop: async () => {} };
      },
    };
    const root2 = mkdtempSync(join(tmpdir(), 'vlmhb-e2e-byhand-'));
    const ref = await runSchedule(planSchedule(tasks(root2, models, { executor: 'prestarted' }), []), {
      loadExecutor: async () => prestarted,
    });
    for (const [i, o] of ref.entries()) {
      expect(o.result?.records.map((r) => [r.id, r.answer, r.prompt])).toEqual(
        results[i]?.records.map((r) => [r.id, r.answer, r.prompt]),
      );
      expect(o.result?.metrics.groups.overall).toEqual(results[i]?.metrics.groups.overall);
    }
  }, 300_000);
});

describe('a server that cannot start fails its own tasks only', () => {
  it('docker: the group whose image cannot be pulled fails with the reason; the other group runs', async () => {
    const stamp = `fail-${Date.now()}`;
    const models = [`tess-broken-${stamp}`, `tess-ok-${stamp}`];
    const root = mkdtempSync(join(tmpdir(), 'vlmhb-e2e-fail-'));
    const planned = tasks(root, models, { executor: 'docker' }).map((t) => ({
      ...t,
      dockerImage: t.model === models[0] ? 'localhost/vlmhb-missing-image:0' : env.image,
    }));
    const out = await runSchedule(planSchedule(planned, []), { readyTimeoutMs: 120_000 });
    const failures = out.map((o) => (o.error as { code?: string } | undefined)?.code ?? 'ok');
    expect(failures).toEqual(['VLMHB_EXECUTOR_FAILED', 'VLMHB_EXECUTOR_FAILED', 'ok', 'ok']);
    expect((out[0]?.error as Error).message).toContain(
      'localhost/vlmhb-missing-image:0 is not on this machine',
    );
    expect(out[2]?.result?.outcome.status).toMatchObject({ complete: true, answered: 9 });
    for (const m of models) expect(await api.list([`${LABEL.model}=${m}`])).toEqual([]);
  }, 300_000);
});
