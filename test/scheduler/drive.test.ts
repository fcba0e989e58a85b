import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlannedTask } from '../../src/config/types.js';
import type { Executor } from '../../src/executors/types.js';
import { runSchedule } from '../../src/scheduler/drive.js';
import { planSchedule } from '../../src/scheduler/plan.js';
import { serveFramework } from '../../src/serve/index.js';
import { alive, serveExecutor } from '../fixtures/serve-executor.js';
import { writeMiniDataset } from '../helpers/mini-dataset.js';
import { serverGrid } from '../helpers/task.js';

let datasetDir: string;
let collections: string[];
beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), 'vlmhb-sched-'));
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

const gpus = [
  { kind: 'gpu' as const, index: 0 },
  { kind: 'gpu' as const, index: 1 },
];

/** 2 servers (models) × 2 prompt collections, in the config's order, each writing to its own run folder. */
function tasks(root: string, extra: Partial<PlannedTask>): PlannedTask[] {
  return serverGrid(datasetDir, root, ['m-a', 'm-b'], collections, { framework: 'vllm', ...extra });
}

describe('runSchedule with a started server per group (real child processes)', () => {
  const external: Awaited<ReturnType<typeof serveFramework>>[] = [];
  afterAll(async () => {
    for (const s of external) await s.close();
  });

  it('starts each server once, pins one GPU each, reuses it across prompt collections, stops it, and answers as a pre-started server does', async () => {
    const root = mkdtempSync(join(tmpdir(), 'vlmhb-sched-run-'));
    const ex = serveExecutor();
    const planned = tasks(root, { executor: ex.id });
    const schedule = planSchedule(planned, gpus);
    expect(schedule.rounds).toHaveLength(1);
    expect(schedule.rounds[0]?.groups.map((g) => g.tasks.length)).toEqual([2, 2]);

    const out = await runSchedule(schedule, { loadExecutor: async () => ex });
    expect(out.map((o) => o.error)).toEqual([undefined, undefined, undefined, undefined]);
    expect(ex.starts).toHaveLength(2);
    expect(ex.starts.map((s) => s.spec.model).sort()).toEqual(['m-a', 'm-b']);
    expect(ex.starts.map((s) => (s.device.kind === 'gpu' ? s.device.index : -1)).sort()).toEqual([0, 1]);
    expect(ex.stops).toBe(2);
    for (const s of ex.starts) expect(alive(s.pid)).toBe(false);

    const results = out.map((o) => o.result!);
    for (const r of results)
      expect(r.outcome.status).toMatchObject({ complete: true, answered: 9, total: 9 });
    // The model loads once per server: the first task of a group carries the load time, the second reuses it.
    expect(results[0]?.outcome.timing.model_load_s).toBeGreaterThan(0);
    expect(results[1]?.outcome.timing.model_load_s).toBe(0);
    expect(results[1]?.outcome.run.server_reused).toBe(true);
    const gpuOf = (model: string) => {
      const d = ex.starts.find((s) => s.spec.model === model)?.device;
      return d?.kind === 'gpu' ? `gpu:${d.index}` : 'none';
    };
    expect(results.map((r) => r.outcome.resources.device)).toEqual(results.map((r) => gpuOf(r.task.model)));
    // The second collection's prompts were sent, not the first's.
    expect(results[1]?.records[0]?.prompt).toBe('Запиши фамилию');

    // The same tasks against servers started by hand (executor external) give the same answers and metrics.
    const root2 = mkdtempSync(join(tmpdir(), 'vlmhb-sched-ext-'));
    for (const model of ['m-a', 'm-b'])
      external.push(await serveFramework({ framework: 'tesseract', model, port: 0 }));
    const ext = tasks(root2, {}).map((t) => ({
      ...t,
      baseUrl: `${external[t.model === 'm-a' ? 0 : 1]?.url}/v1`,
    }));
    const extOut = await runSchedule(planSchedule(ext, []), {});
    for (const [i, o] of extOut.entries()) {
      expect(o.result?.records.map((r) => [r.id, r.answer, r.prompt])).toEqual(
        results[i]?.records.map((r) => [r.id, r.answer, r.prompt]),
      );
      expect(o.result?.metrics.groups.overall).toEqual(results[i]?.metrics.groups.overall);
    }

    // A rerun skips the finished tasks: no server is started, nothing is asked.
    const again = await runSchedule(planSchedule(planned, gpus), { loadExecutor: async () => ex });
    expect(ex.starts).toHaveLength(2);
    expect(again.map((o) => [o.result?.asked, o.result?.skipped])).toEqual([
      [0, true],
      [0, true],
      [0, true],
      [0, true],
    ]);
    // What the first run measured is kept.
    expect(again[0]?.result?.outcome.timing.model_load_s).toBe(results[0]?.outcome.timing.model_load_s);
  }, 120_000);

  it('starts a group’s server again when it died between two tasks, and the next task runs on the new one', async () => {
    const root = mkdtempSync(join(tmpdir(), 'vlmhb-sched-restart-'));
    const ex = serveExecutor();
    const planned = serverGrid(datasetDir, root, ['m-a'], collections, {
      framework: 'vllm',
      executor: ex.id,
    });
    const logs: string[] = [];
    const out = await runSchedule(planSchedule(planned, gpus), {
      loadExecutor: async () => ex,
      log: (m) => logs.push(m),
      // The server is killed as if the OOM killer took it, after the first task and before the second.
      onTaskDone: (o) => {
        if (o.task.index === 0) process.kill(ex.starts[0]?.pid ?? 0, 'SIGKILL');
      },
    });
    expect(out.map((o) => o.error)).toEqual([undefined, undefined]);
    expect(ex.starts).toHaveLength(2);
    expect(ex.starts[0]?.device).toEqual(ex.starts[1]?.device);
    expect(logs.some((l) => /m-a on GPU 0 no longer answers \/health; restarting it/.test(l))).toBe(true);
    const second = out[1]?.result;
    expect(second?.outcome.status).toMatchObject({ complete: true, answered: 9, total: 9, failed: 0 });
    // A fresh server: its load is measured again, not reported as reused.
    expect(second?.outcome.run.server_reused ?? false).toBe(false);
    expect(second?.outcome.timing.model_load_s).toBeGreaterThan(0);
    for (const s of ex.starts) expect(alive(s.pid)).toBe(false);
  }, 120_000);

  it('a server that dies during its task: the failed items are errors, and its log tail says why', async () => {
    const root = mkdtempSync(join(tmpdir(), 'vlmhb-sched-died-'));
    const ex = serveExecutor();
    const planned = serverGrid(datasetDir, root, ['m-a'], collections.slice(0, 1), {
      framework: 'vllm',
      executor: ex.id,
      concurrency: 1,
      maxRetries: 0,
    });
    const logs: string[] = [];
    let ticks = 0;
    const out = await runSchedule(planSchedule(planned, gpus), {
      loadExecutor: async () => ex,
      // Asked for real: an earlier test of this file answered the same questions into the shared cache.
      cache: false,
      log: (m) => logs.push(m),
      progress: () => ({
        start() {},
        stop() {},
        // Killed as the OOM killer would, after the third answer.
        tick() {
          if (++ticks === 3) process.kill(ex.starts[0]?.pid ?? 0, 'SIGKILL');
        },
      }),
    });
    const status = out[0]?.result?.outcome.status;
    // Every item has a record: the answers before the kill (a fourth may have been in flight), the rest
    // errors counted as failed, never as wrong answers.
    expect(status?.total).toBe(9);
    expect(status?.answered).toBeGreaterThanOrEqual(3);
    expect(status?.answered).toBeLessThanOrEqual(4);
    expect(status?.failed).toBe(9 - (status?.answered ?? 0));
    const report = logs.find((l) => l.includes('stopped answering during the task'));
    expect(report).toMatch(
      /^error: the vllm server for m-a \(executor test-serve\) stopped answering during the task; \d+ item\(s\) failed\. Last lines of .*server\.log:\n/,
    );
    expect(report).toContain('vlmhb: serving tesseract');
  }, 120_000);

  it('serves the embedded engine in the CPU pool through a started server, asked over HTTP', async () => {
    const root = mkdtempSync(join(tmpdir(), 'vlmhb-sched-cpu-'));
    const ex = serveExecutor();
    const planned = tasks(root, { framework: 'tesseract', model: 'tesseract-5', executor: ex.id }).slice(
      0,
      2,
    );
    const schedule = planSchedule(planned, gpus);
    expect(schedule.rounds).toEqual([]);
    expect(schedule.cpu.map((g) => g.tasks.length)).toEqual([2]);
    const out = await runSchedule(schedule, { loadExecutor: async () => ex });
    expect(ex.starts).toHaveLength(1);
    expect(ex.starts[0]?.spec.launch.argv.slice(0, 3)).toEqual(['vlmhb', 'serve', '--framework']);
    expect(ex.starts[0]?.device).toEqual({ kind: 'cpu' });
    const r = out[0]?.result;
    expect(r?.outcome.status.complete).toBe(true);
    // Streamed over HTTP: the in-process engine reports no time to first token.
    expect(r?.records.some((x) => x.ttftMs !== undefined)).toBe(true);
    expect(r?.outcome.resources.rss_peak_mb).toBeGreaterThan(0);
    expect(ex.stops).toBe(1);
  }, 120_000);

  it('runs the CPU pool beside the GPU rounds: both servers are up at the same time', async () => {
    const root = mkdtempSync(join(tmpdir(), 'vlmhb-sched-pool-'));
    const ex = serveExecutor();
    const events: string[] = [];
    let cpuUp: () => void = () => {};
    const cpuStarted = new Promise<void>((r) => {
      cpuUp = r;
    });
    const traced: Executor = {
      id: ex.id,
      supportsGpu: true,
      async start(spec, ctx) {
        const s = await ex.start(spec, ctx);
        events.push(`up ${ctx.device.kind}`);
        if (ctx.device.kind === 'cpu') cpuUp();
        // The GPU task may begin only once the CPU pool's server is up: with the lanes one after the other
        // this would wait forever, and the GPU group fail.
        else
          await Promise.race([
            cpuStarted,
            new Promise((_, reject) =>
              setTimeout(() => reject(new Error('the CPU pool did not start beside the GPU round')), 60_000),
            ),
          ]);
        return {
          ...s,
          stop: async () => {
            events.push(`stop ${ctx.device.kind}`);
            await s.stop();
          },
        };
      },
    };
    const gpuTask = tasks(root, { executor: ex.id })[0] as PlannedTask;
    const cpuTask = {
      ...(tasks(root, { framework: 'tesseract', model: 'tesseract-5', executor: ex.id })[3] as PlannedTask),
    };
    const schedule = planSchedule([gpuTask, cpuTask], gpus);
    expect(schedule.rounds[0]?.groups.map((g) => g.tasks.length)).toEqual([1]);
    expect(schedule.cpu.map((g) => g.tasks.length)).toEqual([1]);
    const out = await runSchedule(schedule, { loadExecutor: async () => traced });
    expect(out.map((o) => o.result?.outcome.status.complete)).toEqual([true, true]);
    // Neither lane waited for the other: both servers were started before either was stopped.
    expect(events.slice(0, 2).sort()).toEqual(['up cpu', 'up gpu']);
    expect(events.slice(2).sort()).toEqual(['stop cpu', 'stop gpu']);
  }, 120_000);

  it('mounts the dataset folders of every task a container server asks, read-only at the same path', async () => {
    const root = mkdtempSync(join(tmpdir(), 'vlmhb-sched-mounts-'));
    const other = writeMiniDataset(join(root, 'other-ds'));
    const ex = serveExecutor();
    // Stands in for the docker executor (tested on real Podman elsewhere): records the spec the task layer
    // built for it and serves it as a child process on 127.0.0.1 instead of in a container.
    const docker: Executor = {
      id: 'docker',
      supportsGpu: true,
      start: (spec, ctx) =>
        ex.start(
          {
            ...spec,
            launch: {
              ...spec.launch,
              argv: spec.launch.argv.map((a) => (a === '0.0.0.0' ? '127.0.0.1' : a)),
            },
          },
          ctx,
        ),
    };
    const [first, second] = tasks(root, { framework: 'tesseract', model: 'tesseract-5', executor: 'docker' });
    const planned = [first as PlannedTask, { ...(second as PlannedTask), datasetDir: other }];
    const out = await runSchedule(planSchedule(planned, gpus), { loadExecutor: async () => docker });
    expect(out.map((o) => o.result?.outcome.status.complete)).toEqual([true, true]);
    expect(ex.starts).toHaveLength(1);
    expect(ex.starts[0]?.spec.mounts).toEqual([
      { host: datasetDir, container: datasetDir },
      { host: other, container: other },
    ]);
  }, 120_000);

  it('fails every task of a group whose server does not start, and runs the other groups', async () => {
    const root = mkdtempSync(join(tmpdir(), 'vlmhb-sched-fail-'));
    const ok = serveExecutor();
    const broken = {
      id: 'broken',
      supportsGpu: true,
      start: async () => Promise.reject(new Error('no image')),
    };
    const planned = tasks(root, {}).map((t) => ({ ...t, executor: t.model === 'm-a' ? 'broken' : ok.id }));
    const out = await runSchedule(planSchedule(planned, gpus), {
      loadExecutor: async (id) => (id === 'broken' ? broken : ok),
    });
    expect(out.map((o) => (o.error as Error | undefined)?.message ?? 'ok')).toEqual([
      'no image',
      'no image',
      'ok',
      'ok',
    ]);
    expect(ok.starts).toHaveLength(1);
    expect(ok.stops).toBe(1);
  }, 120_000);
});
